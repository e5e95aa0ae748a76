package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.Map;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.metrics.ClusteringScores;

/** What kmeans, train and cluster write alike: scores when labels exist, and the result files, atomically. */
final class ClusteringOutput {
    private ClusteringOutput() {}

    /** Adds acc, nmi and ari to {@code metrics} when {@code scored} has labels; returns them, or null. */
    static ClusteringScores score(Dataset scored, int[] clusters, Map<String, Object> metrics) {
        if (!scored.hasLabels()) return null;
        ClusteringScores s = ClusteringScores.of(scored.labels(), clusters);
        metrics.put("acc", s.acc());
        metrics.put("nmi", s.nmi());
        metrics.put("ari", s.ari());
        return s;
    }

    /**
     * Writes assignments.csv, metrics.json (with {@code provenance} last) and the model file (if
     * {@code model} is not null, last): all or none.
     */
    static void write(Path dir, Dataset scored, int[] clusters, Map<String, Object> metrics,
                      Map<String, Object> provenance, ClusteringModel model) {
        metrics.put("provenance", provenance);
        try (OutputFolder output = OutputFolder.open(dir)) {
            output.writeAssignments(clusters, scored);
            output.writeJson(OutputFolder.METRICS, metrics);
            // Last: the model is moved into place after the files that describe its run.
            if (model != null) output.writeModel(model);
            output.commit();
        }
    }
}
