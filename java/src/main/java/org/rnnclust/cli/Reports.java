package org.rnnclust.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.report.ClusteringReport;

/** Assembles report data from what the commands computed (the drawing is org.rnnclust.report's). */
final class Reports {
    private Reports() {}

    /** Facts: the scalar entries of {@code metrics} (lists such as loss_history are plotted, not listed). */
    static ClusteringReport clustering(String title, Map<String, Object> metrics, List<Double> loss, float[] emb,
                                       int dims, int[] clusters, Dataset scoredRaw, PaddedSequences scored) {
        Map<String, String> facts = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v instanceof List<?>) return;
            facts.put(k, v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(v));
        });
        return new ClusteringReport(title, facts, loss, emb, dims, clusters, scoredRaw.labels(),
                scoredRaw.labelNames(), scored);
    }
}
