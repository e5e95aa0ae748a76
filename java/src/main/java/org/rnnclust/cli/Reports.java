package org.rnnclust.cli;

import java.util.ArrayList;
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

    /**
     * Facts: the scalar entries of {@code metrics} (lists such as loss_history are plotted, not
     * listed), then where the result came from (version, commit, date, command line, from its
     * provenance); the scores before and after refinement, the refinement's KL per epoch, and
     * every setting, where {@code metrics} holds them.
     */
    static ClusteringReport clustering(String title, Map<String, Object> metrics, List<Double> loss, float[] emb,
                                       int dims, int[] clusters, Dataset scoredRaw, PaddedSequences scored) {
        return clustering(title, metrics, loss, emb, dims, clusters, scoredRaw, scored, null);
    }

    /** The same, with the autoencoder's reconstructions of {@code scored} (null: none). */
    static ClusteringReport clustering(String title, Map<String, Object> metrics, List<Double> loss, float[] emb,
                                       int dims, int[] clusters, Dataset scoredRaw, PaddedSequences scored,
                                       float[] reconstructions) {
        Map<String, String> facts = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v instanceof List<?> || v instanceof Map<?, ?>) return;
            facts.put(k, format(v));
        });
        Map<String, String> settings = new LinkedHashMap<>();
        if (metrics.get("provenance") instanceof Map<?, ?> p) {
            facts.putAll(Provenance.facts(p));
            if (p.get("settings") instanceof Map<?, ?> flags) flags.forEach((k, v) -> settings.put(String.valueOf(k), format(v)));
        }
        List<List<String>> stages = new ArrayList<>();
        if (metrics.get("before_refine") instanceof Map<?, ?> before && metrics.containsKey("nmi")) {
            stages.add(List.of("clusters", "ACC", "NMI", "ARI"));
            stages.add(List.of("before refinement (the k-means start)", format(before.get("acc")),
                    format(before.get("nmi")), format(before.get("ari"))));
            stages.add(List.of("after " + metrics.get("refine") + " refinement", format(metrics.get("acc")),
                    format(metrics.get("nmi")), format(metrics.get("ari"))));
        }
        List<Double> refineKl = new ArrayList<>();
        if (metrics.get("refine_kl_history") instanceof List<?> kl) {
            for (Object v : kl) refineKl.add(((Number) v).doubleValue());
        }
        return new ClusteringReport(title, facts, loss, emb, dims, clusters, scoredRaw.labels(), scoredRaw.labelNames(),
                scored, stages, refineKl, settings, reconstructions);
    }

    private static String format(Object v) {
        if (v instanceof Double d) return Double.isNaN(d) ? "–" : String.format(Locale.ROOT, "%.4f", d);
        if (v instanceof List<?> list) return String.join(",", list.stream().map(String::valueOf).toList());
        return String.valueOf(v);
    }
}
