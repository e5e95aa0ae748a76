package org.rnnclust.report;

import java.util.List;
import java.util.Map;
import org.rnnclust.data.PaddedSequences;

/**
 * What a report on one clustering shows; the commands fill it, {@link ReportWriter} draws it.
 *
 * @param title         page heading
 * @param facts         name → value lines shown as a table (data, method, scores, time)
 * @param lossHistory   training loss per epoch (empty: no loss plot)
 * @param embeddings    n × dimensions, row-major: what was clustered
 * @param dimensions    size of one embedding
 * @param clusters      the cluster of each of the n items
 * @param labels        the true class of each item, or null
 * @param labelNames    class names (for the legend and the confusion matrix)
 * @param sequences     the n items as preprocessed sequences (for the cluster means), or null
 * @param stages        scores per stage, a header row first (e.g. the k-means start against the
 *                      refined clusters); empty: none
 * @param refineKl      refinement's mean KL(P‖Q) per epoch (empty: no refinement plot)
 * @param settings      every setting of the run (name → value), shown as a table; empty: none
 * @param reconstructions the autoencoder's reconstructions of {@code sequences}, in their layout, or
 *                      null (no reconstruction panels)
 */
public record ClusteringReport(String title, Map<String, String> facts, List<Double> lossHistory, float[] embeddings,
                               int dimensions, int[] clusters, int[] labels, List<String> labelNames,
                               PaddedSequences sequences, List<List<String>> stages, List<Double> refineKl,
                               Map<String, String> settings, float[] reconstructions) {
    public ClusteringReport {
        if (embeddings.length != (long) clusters.length * dimensions) {
            throw new IllegalArgumentException(embeddings.length + " embedding values for " + clusters.length
                    + " items of " + dimensions);
        }
        if (labels != null && labels.length != clusters.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + clusters.length + " items");
        }
        if (reconstructions != null && (sequences == null || reconstructions.length != sequences.values().length)) {
            throw new IllegalArgumentException("reconstructions need the sequences, in their layout");
        }
        if (sequences != null && sequences.n() != clusters.length) {
            throw new IllegalArgumentException(sequences.n() + " sequences for " + clusters.length + " items");
        }
    }
}
