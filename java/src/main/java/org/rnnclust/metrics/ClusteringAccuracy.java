package org.rnnclust.metrics;

/**
 * Unsupervised clustering accuracy as used in the DEC papers: the fraction of samples whose
 * cluster maps to their class under the best one-to-one cluster-to-class mapping. When there are
 * more clusters than classes the surplus clusters match nothing and their samples count as wrong.
 */
public final class ClusteringAccuracy {
    private ClusteringAccuracy() {}

    public static double acc(int[] labelsTrue, int[] labelsPred) {
        return acc(ContingencyTable.of(labelsTrue, labelsPred));
    }

    static double acc(ContingencyTable table) {
        int[][] counts = table.dense();
        int[] match = Hungarian.maximize(counts);
        long matched = 0;
        for (int r = 0; r < match.length; r++) if (match[r] >= 0) matched += counts[r][match[r]];
        return (double) matched / table.n();
    }
}
