package org.rnnclust.cluster;

import java.util.stream.IntStream;

/**
 * Exact k-nearest-neighbour search by brute force: every pair's squared Euclidean distance, in
 * parallel over the query rows. O(n² d), meant for the few tens of thousands of low-dimensional
 * embeddings that {@link SpectralClustering} builds its graph from.
 */
public final class NearestNeighbors {
    private NearestNeighbors() {}

    /**
     * The {@code neighbours} nearest other rows of each of the n rows of {@code x} (n × d,
     * row-major): n × neighbours indices, nearest first, ties broken by the lower index so that the
     * result does not depend on the thread count. A row is never its own neighbour.
     */
    public static int[] of(float[] x, int n, int d, int neighbours) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        if (neighbours < 1 || neighbours >= n) {
            throw new IllegalArgumentException(neighbours + " neighbours need more than that many rows, got " + n);
        }
        int[] out = new int[n * neighbours];
        IntStream.range(0, n).parallel().forEach(i -> nearestOf(x, n, d, i, neighbours, out));
        return out;
    }

    private static void nearestOf(float[] x, int n, int d, int i, int kk, int[] out) {
        // Insertion into a sorted array of kk: kk is ~10, so this beats a heap.
        double[] best = new double[kk];
        int[] bestIndex = new int[kk];
        java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
        int base = i * d;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double s = 0;
            int other = j * d;
            for (int c = 0; c < d; c++) {
                double diff = x[base + c] - x[other + c];
                s += diff * diff;
            }
            // j ascends, so a tie never displaces the lower index already kept
            if (s >= best[kk - 1]) continue;
            int p = kk - 1;
            while (p > 0 && best[p - 1] > s) {
                best[p] = best[p - 1];
                bestIndex[p] = bestIndex[p - 1];
                p--;
            }
            best[p] = s;
            bestIndex[p] = j;
        }
        System.arraycopy(bestIndex, 0, out, i * kk, kk);
    }
}
