package org.rnnclust.metrics;

import java.util.List;

/**
 * How alike several clusterings of the same items are, without labels: the mean adjusted Rand
 * index over every pair of them. 1 when they all group the items the same way (whatever the
 * cluster numbers), about 0 when they agree no more than chance. The agreement of a single
 * clustering with itself says nothing, so it needs two at least.
 */
public final class PartitionAgreement {
    private PartitionAgreement() {}

    /**
     * The mean of {@link RandIndex#ari} over the m·(m−1)/2 pairs of the {@code m ≥ 2} partitions,
     * each a cluster number per item, all of the same items in the same order.
     *
     * @throws IllegalArgumentException with fewer than two partitions, or partitions of different lengths
     */
    public static double meanPairwiseAri(List<int[]> partitions) {
        int m = partitions.size();
        if (m < 2) throw new IllegalArgumentException("agreement needs two partitions at least, got " + m);
        int n = partitions.get(0).length;
        for (int[] p : partitions) {
            if (p.length != n) {
                throw new IllegalArgumentException("partitions of " + n + " and " + p.length + " items");
            }
        }
        double sum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) sum += RandIndex.ari(partitions.get(i), partitions.get(j));
        }
        return sum / ((double) m * (m - 1) / 2);
    }
}
