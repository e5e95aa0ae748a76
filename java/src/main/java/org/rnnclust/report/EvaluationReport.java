package org.rnnclust.report;

import java.util.List;
import java.util.Map;

/**
 * What the evaluate report shows: NMI per dataset per method with its spread over the seeds, the
 * seeds' agreement, the sensitivity probe's result, and the result tables. Every matrix is
 * datasets × methods.
 *
 * @param title       page heading
 * @param facts       name → value lines (seeds, budget, time)
 * @param datasets    dataset names, in table order
 * @param methods     method names, in table order
 * @param nmi         mean NMI over seeds
 * @param nmiStd      its sample standard deviation over seeds
 * @param nmiMin      its minimum over seeds
 * @param nmiMax      its maximum over seeds
 * @param agreement   mean pairwise ARI of the seeds' partitions; NaN where undefined (one seed)
 * @param sensitivity mean |ΔNMI| of the sensitivity probe; NaN where it did not run
 * @param markdown    the results.md text, shown verbatim below the chart
 */
public record EvaluationReport(String title, Map<String, String> facts, List<String> datasets, List<String> methods,
                               double[][] nmi, double[][] nmiStd, double[][] nmiMin, double[][] nmiMax,
                               double[][] agreement, double[][] sensitivity, String markdown) {}
