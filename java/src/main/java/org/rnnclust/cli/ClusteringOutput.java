package org.rnnclust.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.io.AtomicOutput;
import org.rnnclust.io.ResultFiles;
import org.rnnclust.metrics.ClusteringScores;

/** What kmeans, train and cluster write alike: scores when labels exist, and the result files, atomically. */
final class ClusteringOutput {
    private ClusteringOutput() {}

    /** Extra files written into the same atomic output (the model file of train). */
    @FunctionalInterface
    interface Extra {
        void write(AtomicOutput output) throws IOException;
    }

    /** Adds acc, nmi and ari to {@code metrics} when {@code scored} has labels; returns them, or null. */
    static ClusteringScores score(Dataset scored, int[] clusters, Map<String, Object> metrics) {
        if (!scored.hasLabels()) return null;
        ClusteringScores s = ClusteringScores.of(scored.labels(), clusters);
        metrics.put("acc", s.acc());
        metrics.put("nmi", s.nmi());
        metrics.put("ari", s.ari());
        return s;
    }

    /** Writes assignments.csv, metrics.json and {@code extra} into {@code dir}: all of them or none. */
    static void write(Path dir, Dataset scored, int[] clusters, Map<String, Object> metrics, Extra extra) {
        try (AtomicOutput output = AtomicOutput.in(dir)) {
            if (extra != null) extra.write(output);
            ResultFiles.writeAssignments(output.file(ResultFiles.ASSIGNMENTS), clusters, scored.labels(),
                    scored.labelNames());
            ResultFiles.writeJson(output.file(ResultFiles.METRICS), metrics);
            output.commit();
        } catch (IOException e) {
            throw new InputException(AtomicOutput.describe(dir, e));
        }
    }
}
