package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.KSweep;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.Dataset;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.InternalScores;

/** What kmeans, train and cluster write alike: scores when labels exist, and the result files, atomically. */
final class ClusteringOutput {
    private ClusteringOutput() {}

    /** Adds acc, nmi and ari to {@code metrics} when {@code scored} has labels; returns them, or null. */
    static ClusteringScores score(Dataset scored, int[] clusters, Map<String, Object> metrics) {
        return scored.hasLabels() ? score(scored.labels(), clusters, metrics) : null;
    }

    /** Adds the acc, nmi and ari of {@code clusters} against {@code labels} to {@code metrics}, and returns them. */
    static ClusteringScores score(int[] labels, int[] clusters, Map<String, Object> metrics) {
        ClusteringScores s = ClusteringScores.of(labels, clusters);
        metrics.put("acc", s.acc());
        metrics.put("nmi", s.nmi());
        metrics.put("ari", s.ari());
        return s;
    }

    /**
     * Adds the label-free scores of {@code clusters} on {@code points} ({@code n × d}, the space the
     * clusters were formed in) to {@code metrics} as silhouette, silhouette_sample, davies_bouldin
     * and calinski_harabasz; returns them, or null where they are undefined (one cluster, or one
     * per point), which metrics.json records as nulls. The silhouette is sampled as
     * {@link KSweep#score} samples it, drawn by {@code seed}.
     */
    static InternalScores internal(float[] points, int n, int d, int[] clusters, long seed,
                                   Map<String, Object> metrics) {
        long distinct = java.util.Arrays.stream(clusters).distinct().count();
        InternalScores s = distinct >= 2 && distinct <= n - 1 ? KSweep.score(points, n, d, clusters, seed) : null;
        metrics.put("silhouette", s == null ? null : s.silhouette());
        metrics.put("silhouette_sample", s == null ? null : s.silhouetteSample());
        metrics.put("davies_bouldin", s == null ? null : s.daviesBouldin());
        metrics.put("calinski_harabasz", s == null ? null : s.calinskiHarabasz());
        return s;
    }

    /**
     * Writes assignments.csv, metrics.json (with {@code provenance} last) and the model file (if
     * {@code model} is not null, last): all or none.
     */
    static void write(Path dir, Dataset scored, int[] clusters, Map<String, Object> metrics,
                      Map<String, Object> provenance, ClusteringModel model) {
        write(dir, scored, clusters, metrics, provenance, model, ModelKeys.NONE, output -> {});
    }

    /**
     * The same, the model signed with the signing key of {@code keys} when it has one, and with more
     * files that {@code extra} writes into the set (before the model).
     */
    static void write(Path dir, Dataset scored, int[] clusters, Map<String, Object> metrics,
                      Map<String, Object> provenance, ClusteringModel model, ModelKeys keys,
                      Consumer<OutputFolder> extra) {
        metrics.put("provenance", provenance);
        try (OutputFolder output = OutputFolder.open(dir)) {
            output.writeAssignments(clusters, scored);
            output.writeJson(OutputFolder.METRICS, metrics);
            extra.accept(output);
            // Last: the model is moved into place after the files that describe its run.
            if (model != null) output.writeModel(model, keys);
            output.commit();
        }
    }
}
