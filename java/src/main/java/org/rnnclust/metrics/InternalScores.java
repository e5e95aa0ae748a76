package org.rnnclust.metrics;

/**
 * Scores of a clustering that need no labels, computed on the points that were clustered, as
 * scikit-learn computes them (euclidean distances, in double from the float data):
 * <ul>
 *   <li>silhouette: the mean of (b − a) / max(a, b), higher is better, in [−1, 1]
 *       ({@link Silhouette}), on a sample where the points are many;</li>
 *   <li>Davies–Bouldin: the mean over clusters of the largest (s_i + s_j) / d(c_i, c_j), with s
 *       the mean distance of a cluster's points to its centroid; lower is better, 0 at best;</li>
 *   <li>Calinski–Harabasz: between-cluster over within-cluster dispersion, each per degree of
 *       freedom, [B / (k − 1)] / [W / (n − k)]; higher is better.</li>
 * </ul>
 * Each needs 2 ≤ k ≤ n − 1 clusters.
 *
 * @param silhouetteSample the points the silhouette was computed on (n, or the sample's size)
 */
public record InternalScores(double silhouette, double daviesBouldin, double calinskiHarabasz, int silhouetteSample) {
    /**
     * Above this many points the caller samples the silhouette, whose cost grows with n²·d: this
     * many points (about a second for 500-value series on 2 cores).
     */
    public static final int SILHOUETTE_SAMPLE = 2_000;

    /**
     * @param silhouetteRows the points to compute the silhouette on (distinct indices, drawn by the
     *                       caller, e.g. {@link #SILHOUETTE_SAMPLE} of a seeded shuffle), or null for all
     * @throws IllegalArgumentException when the labels hold fewer than 2 or more than n − 1 clusters
     */
    public static InternalScores of(float[] x, int n, int d, int[] labels, int[] silhouetteRows) {
        double silhouette = silhouetteRows == null ? Silhouette.score(x, n, d, labels)
                : Silhouette.sampled(x, n, d, labels, silhouetteRows);
        return new InternalScores(silhouette, daviesBouldin(x, n, d, labels), calinskiHarabasz(x, n, d, labels),
                silhouetteRows == null ? n : silhouetteRows.length);
    }

    /** Davies–Bouldin index (scikit-learn's davies_bouldin_score). */
    public static double daviesBouldin(float[] x, int n, int d, int[] labels) {
        Clusters c = Clusters.of(x, n, d, labels);
        double[] spread = new double[c.k];
        for (int i = 0; i < n; i++) spread[c.label[i]] += Math.sqrt(c.distance2ToCentroid(x, i, c.label[i]));
        for (int j = 0; j < c.k; j++) spread[j] /= c.size[j];
        boolean allTight = true;
        for (double s : spread) allTight &= Math.abs(s) <= 1e-8;
        double[][] between = new double[c.k][c.k];
        boolean allTogether = true;
        for (int a = 0; a < c.k; a++) {
            for (int b = 0; b < c.k; b++) {
                between[a][b] = Math.sqrt(c.centroidDistance2(a, b));
                allTogether &= Math.abs(between[a][b]) <= 1e-8;
            }
        }
        if (allTight || allTogether) return 0.0;  // as scikit-learn (np.allclose, atol 1e-8): nothing to compare
        double sum = 0;
        for (int a = 0; a < c.k; a++) {
            double worst = 0;
            for (int b = 0; b < c.k; b++) {
                if (a == b) continue;
                // Coinciding centroids count as infinitely far (scikit-learn), not as a division by zero.
                double dist = between[a][b] == 0 ? Double.POSITIVE_INFINITY : between[a][b];
                worst = Math.max(worst, (spread[a] + spread[b]) / dist);
            }
            sum += worst;
        }
        return sum / c.k;
    }

    /** Calinski–Harabasz index, the variance ratio criterion (scikit-learn's calinski_harabasz_score). */
    public static double calinskiHarabasz(float[] x, int n, int d, int[] labels) {
        Clusters c = Clusters.of(x, n, d, labels);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int f = 0; f < d; f++) mean[f] += x[i * d + f];
        for (int f = 0; f < d; f++) mean[f] /= n;
        double between = 0;
        for (int j = 0; j < c.k; j++) {
            double dist2 = 0;
            for (int f = 0; f < d; f++) {
                double diff = c.centroids[j * d + f] - mean[f];
                dist2 += diff * diff;
            }
            between += c.size[j] * dist2;
        }
        double within = 0;
        for (int i = 0; i < n; i++) within += c.distance2ToCentroid(x, i, c.label[i]);
        return within == 0 ? 1.0 : between * (n - c.k) / (within * (c.k - 1.0));
    }

    /** The clusters' sizes and centroids (in double), with labels made 0..k-1. */
    private record Clusters(int k, int d, int[] label, long[] size, double[] centroids) {
        static Clusters of(float[] x, int n, int d, int[] labels) {
            if (n < 1 || d < 1 || x.length != (long) n * d || labels.length != n) {
                throw new IllegalArgumentException("need n >= 1 points of d >= 1 values and one label each (n=" + n
                        + ", d=" + d + ", " + x.length + " values, " + labels.length + " labels)");
            }
            int[] label = ContingencyTable.compact(labels);
            int k = 0;
            for (int l : label) k = Math.max(k, l + 1);
            if (k < 2 || k > n - 1) {
                throw new IllegalArgumentException("these scores need between 2 and n-1 clusters (n=" + n + "), got " + k);
            }
            long[] size = new long[k];
            double[] centroids = new double[k * d];
            for (int i = 0; i < n; i++) {
                size[label[i]]++;
                for (int f = 0; f < d; f++) centroids[label[i] * d + f] += x[i * d + f];
            }
            for (int j = 0; j < k; j++) for (int f = 0; f < d; f++) centroids[j * d + f] /= size[j];
            return new Clusters(k, d, label, size, centroids);
        }

        double distance2ToCentroid(float[] x, int i, int j) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double diff = x[i * d + f] - centroids[j * d + f];
                s += diff * diff;
            }
            return s;
        }

        double centroidDistance2(int a, int b) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double diff = centroids[a * d + f] - centroids[b * d + f];
                s += diff * diff;
            }
            return s;
        }
    }
}
