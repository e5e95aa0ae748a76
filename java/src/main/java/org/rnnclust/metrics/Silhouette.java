package org.rnnclust.metrics;

import java.util.stream.IntStream;

/**
 * Mean silhouette coefficient with euclidean distance, as scikit-learn's {@code silhouette_score}.
 * For point i with a = mean distance to the other points of its cluster and b = the smallest mean
 * distance to the points of another cluster, s(i) = (b - a) / max(a, b); points alone in their
 * cluster get s = 0. Distances are computed in double from the float data. O(n^2 d) time, O(n + k)
 * memory per worker; use {@link #sampled} for large n.
 */
public final class Silhouette {
    private Silhouette() {}

    /**
     * @param x      n points of d values each, row-major
     * @param labels cluster of each point (any int values); needs 2..n-1 distinct labels
     */
    public static double score(float[] x, int n, int d, int[] labels) {
        checkShape(x, n, d, labels);
        int[] lab = ContingencyTable.compact(labels);
        int k = 0;
        for (int l : lab) k = Math.max(k, l + 1);
        if (k < 2 || k > n - 1) {
            throw new IllegalArgumentException("silhouette needs between 2 and n-1 distinct labels (n=" + n
                    + "), got " + k);
        }
        int[] size = new int[k];
        for (int l : lab) size[l]++;
        final int clusters = k;
        double[] s = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> s[i] = coefficient(x, n, d, lab, size, clusters, i));
        double sum = 0;
        for (double v : s) sum += v;
        return sum / n;
    }

    /**
     * Silhouette of the points {@code rows} (distinct indices into the n points), computed among
     * those points only, like scikit-learn's sample_size. The caller draws the sample, e.g. the
     * first m indices of a seeded shuffle, so that every subsample of a run is drawn one way.
     */
    public static double sampled(float[] x, int n, int d, int[] labels, int[] rows) {
        checkShape(x, n, d, labels);
        if (rows.length < 1) throw new IllegalArgumentException("the sample holds no points");
        float[] xs = new float[rows.length * d];
        int[] ls = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r < 0 || r >= n) throw new IllegalArgumentException("sampled row " + r + " is not in 0.." + (n - 1));
            System.arraycopy(x, r * d, xs, i * d, d);
            ls[i] = labels[r];
        }
        return score(xs, rows.length, d, ls);
    }

    private static double coefficient(float[] x, int n, int d, int[] lab, int[] size, int k, int i) {
        int own = lab[i];
        if (size[own] == 1) return 0.0;
        double[] sums = new double[k];
        int oi = i * d;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            int oj = j * d;
            double dist2 = 0;
            for (int f = 0; f < d; f++) {
                double diff = (double) x[oi + f] - x[oj + f];
                dist2 += diff * diff;
            }
            sums[lab[j]] += Math.sqrt(dist2);
        }
        double a = sums[own] / (size[own] - 1);
        double b = Double.POSITIVE_INFINITY;
        for (int c = 0; c < k; c++) if (c != own) b = Math.min(b, sums[c] / size[c]);
        double denom = Math.max(a, b);
        return denom == 0 ? 0.0 : (b - a) / denom;
    }

    private static void checkShape(float[] x, int n, int d, int[] labels) {
        if (n < 1 || d < 1) throw new IllegalArgumentException("need n >= 1 and d >= 1, got n=" + n + ", d=" + d);
        if (x.length != (long) n * d) {
            throw new IllegalArgumentException("x has " + x.length + " values, expected n*d = " + (long) n * d);
        }
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " points");
    }
}
