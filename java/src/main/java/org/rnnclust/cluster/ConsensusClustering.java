package org.rnnclust.cluster;

import java.util.List;
import org.rnnclust.backend.Backend;
import org.rnnclust.metrics.RandIndex;

/**
 * The consensus of several partitions of the same items, and a centroid model that carries it.
 *
 * <p>The consensus is k-means on each item's labels in the R partitions, one-hot, side by side
 * (R·k columns): the squared distance between two items is twice the number of partitions that
 * separate them, so k-means groups items that the partitions mostly put together (the
 * co-association criterion, in O(n·R·k) memory instead of an n × n matrix). Several recurrent
 * networks trained from different seeds give partitions that differ by chance; their consensus
 * keeps what they share.
 */
public final class ConsensusClustering {
    private ConsensusClustering() {}

    /**
     * The consensus labels of {@code partitions} (each of n items, labels in 0..k−1).
     *
     * @param kmeans k-means settings for the consensus (its k is the number of clusters)
     */
    public static int[] of(Backend backend, List<int[]> partitions, int k, KMeansParams kmeans) {
        return model(backend, partitions, k, kmeans).labels();
    }

    /**
     * The k-means model behind {@link #of}: its centroids live in the one-hot space of
     * {@link #oneHot}, so that items labelled by the same R partitioners later are assigned to the
     * consensus cluster nearest to their labels.
     */
    public static KMeansModel model(Backend backend, List<int[]> partitions, int k, KMeansParams kmeans) {
        if (partitions.isEmpty()) throw new IllegalArgumentException("no partition");
        int n = partitions.get(0).length;
        return new KMeans(kmeans).fit(backend, oneHot(partitions, k), n, partitions.size() * k);
    }

    /** Each item's labels in the R partitions, one-hot, side by side: n × (R·k), row-major. */
    public static float[] oneHot(List<int[]> partitions, int k) {
        if (partitions.isEmpty()) throw new IllegalArgumentException("no partition");
        int n = partitions.get(0).length;
        int r = partitions.size();
        int d = r * k;
        float[] x = new float[Math.multiplyExact(n, d)];
        for (int p = 0; p < r; p++) {
            int[] labels = partitions.get(p);
            if (labels.length != n) throw new IllegalArgumentException("partitions of different sizes");
            for (int i = 0; i < n; i++) {
                if (labels[i] < 0 || labels[i] >= k) {
                    throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (k - 1));
                }
                x[i * d + p * k + labels[i]] = 1f;
            }
        }
        return x;
    }

    /** The partition closest to {@code consensus} by ARI (the first of equals). */
    public static int closest(List<int[]> partitions, int[] consensus) {
        int best = 0;
        double bestAri = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < partitions.size(); p++) {
            double ari = RandIndex.ari(consensus, partitions.get(p));
            if (ari > bestAri) {
                bestAri = ari;
                best = p;
            }
        }
        return best;
    }

    /**
     * A centroid model for the partition {@code labels} of the n points {@code x}: each centroid the
     * mean of its points (a cluster without points gets the mean of all), then every point assigned
     * to its nearest centroid, as a model predicts.
     */
    public static KMeansModel centroidModel(Backend backend, float[] x, int n, int d, int[] labels, int k) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        float[] centroids = SpectralClustering.centroids(x, d, rows, labels, k);
        KMeansModel.Assignment a = new KMeansModel(k, d, centroids, null, Double.NaN, 0, true, List.of())
                .predict(backend, x, n);
        return new KMeansModel(k, d, centroids, a.labels(), a.inertia(), 0, true, List.of());
    }
}
