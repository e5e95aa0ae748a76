package org.rnnclust.report;

import java.util.List;
import java.util.Map;

/**
 * What the evaluate report shows: NMI per dataset per method, and the result tables.
 *
 * @param title     page heading
 * @param facts     name → value lines (seeds, budget, time)
 * @param datasets  dataset names, in table order
 * @param methods   method names, in table order
 * @param nmi       datasets × methods, mean NMI over seeds
 * @param markdown  the results.md text, shown verbatim below the chart
 */
public record EvaluationReport(String title, Map<String, String> facts, List<String> datasets, List<String> methods,
                               double[][] nmi, String markdown) {}
