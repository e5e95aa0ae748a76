package org.rnnclust.cli;

import java.util.List;
import java.util.Locale;
import org.rnnclust.api.RefinementSummary;
import org.rnnclust.metrics.ClusteringAccuracy;

/**
 * The line {@code train} adds when refinement lowered its own objective (the KL term) and yet moved
 * many series to other clusters than the k-means start. A lower KL says the clusters are more
 * confident, not that they are right: on SyntheticControl with 10 epochs DEC lowered ACC from 0.49 to
 * 0.44. Without labels nothing tells the user which clustering to keep, so it is said.
 */
final class RefinementNote {
    /** The share of series moved that counts as many. */
    static final double MANY = 0.10;

    private RefinementNote() {}

    /**
     * @param before the k-means start's labels
     * @param after  the refined labels of the same rows
     * @return the line, or null when refinement did not lower its KL or moved fewer than {@link #MANY}
     */
    static String of(String method, RefinementSummary refined, int[] before, int[] after) {
        List<Double> kl = refined.klHistory();
        if (kl.size() < 2 || !(kl.get(kl.size() - 1) < kl.get(0))) return null;
        // Cluster ids need not match: the share moved is what the best matching of the two leaves over.
        double moved = 1 - ClusteringAccuracy.acc(before, after);
        if (moved < MANY) return null;
        return String.format(Locale.ROOT, "note: %s lowered its KL from %.4g to %.4g but moved %.1f%% of the series to "
                + "another cluster than the k-means start; a lower KL means more confident clusters, not better ones "
                + "(--refine none keeps the start)", method, kl.get(0), kl.get(kl.size() - 1), 100 * moved);
    }
}
