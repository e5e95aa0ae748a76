package org.rnnclust.baseline;

import java.util.Arrays;
import java.util.List;

/**
 * Dynamic time warping between series of m steps × c channels (row-major [step][channel]) within a
 * Sakoe–Chiba band, and DBA, the barycentre update built on its warping paths (Petitjean, Ketterlin
 * and Gançarski, Pattern Recognition 2011).
 *
 * <p>The cost of matching step i of x with step j of y is Σ_c (x[i,c] − y[j,c])²; only cells with
 * |i − j| ≤ radius may be matched (radius m − 1 or more: unconstrained DTW; 0: the Euclidean
 * distance); the distance is the square root of the least cumulated cost from (0, 0) to
 * (m − 1, m − 1) in steps (1,1), (1,0), (0,1), as tslearn defines it.
 */
public final class Dtw {
    private Dtw() {}

    /** The band radius, in steps, of a window that is {@code window} (0..1) of the series' length m. */
    public static int radius(double window, int m) {
        if (!(window >= 0 && window <= 1)) throw new IllegalArgumentException("DTW window must be in [0, 1], got " + window);
        return (int) Math.floor(window * m);
    }

    /** The DTW distance of x and y (each m × c) within {@code radius}. */
    public static double distance(double[] x, double[] y, int m, int c, int radius) {
        return Math.sqrt(squaredDistanceBelow(x, y, m, c, radius, Double.POSITIVE_INFINITY));
    }

    /**
     * The squared DTW distance of x and y, or +∞ as soon as it is certain to exceed {@code bound}
     * (every cell of a row of the cumulated cost above it: costs only grow along a path). With
     * bound +∞ it is exact; the assignment passes its best distance so far and finds the same
     * nearest centroid faster.
     */
    static double squaredDistanceBelow(double[] x, double[] y, int m, int c, int radius, double bound) {
        double[] previous = new double[m];
        double[] current = new double[m];
        Arrays.fill(previous, Double.POSITIVE_INFINITY);
        for (int i = 0; i < m; i++) {
            Arrays.fill(current, Double.POSITIVE_INFINITY);
            int from = Math.max(0, i - radius);
            int to = Math.min(m - 1, i + radius);
            double rowMin = Double.POSITIVE_INFINITY;
            for (int j = from; j <= to; j++) {
                double before;
                if (i == 0 && j == 0) {
                    before = 0;
                } else {
                    before = previous[j];
                    if (j > 0) before = Math.min(before, Math.min(previous[j - 1], current[j - 1]));
                }
                double v = cost(x, i, y, j, c) + before;
                current[j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > bound) return Double.POSITIVE_INFINITY;
            double[] t = previous;
            previous = current;
            current = t;
        }
        return previous[m - 1];
    }

    /** The cumulated cost matrix (m × m, +∞ outside the band). */
    private static double[] cumulated(double[] x, double[] y, int m, int c, int radius) {
        double[] d = new double[m * m];
        Arrays.fill(d, Double.POSITIVE_INFINITY);
        for (int i = 0; i < m; i++) {
            for (int j = Math.max(0, i - radius); j <= Math.min(m - 1, i + radius); j++) {
                double before;
                if (i == 0 && j == 0) {
                    before = 0;
                } else {
                    before = Double.POSITIVE_INFINITY;
                    if (i > 0 && j > 0) before = d[(i - 1) * m + j - 1];
                    if (i > 0) before = Math.min(before, d[(i - 1) * m + j]);
                    if (j > 0) before = Math.min(before, d[i * m + j - 1]);
                }
                d[i * m + j] = cost(x, i, y, j, c) + before;
            }
        }
        return d;
    }

    /**
     * Adds each step of y to the step of x it is matched with on the optimal warping path (into
     * {@code sums}, m × c, and {@code counts}, m). The path is walked back from (m − 1, m − 1)
     * preferring, on equal cumulated cost, the diagonal, then (i − 1, j), then (i, j − 1).
     */
    private static void accumulateAlongPath(double[] x, double[] y, int m, int c, int radius, double[] sums,
                                            int[] counts) {
        double[] d = cumulated(x, y, m, c, radius);
        int i = m - 1;
        int j = m - 1;
        while (true) {
            for (int ch = 0; ch < c; ch++) sums[i * c + ch] += y[j * c + ch];
            counts[i]++;
            if (i == 0 && j == 0) break;
            if (i == 0) {
                j--;
            } else if (j == 0) {
                i--;
            } else {
                double diagonal = d[(i - 1) * m + j - 1];
                double up = d[(i - 1) * m + j];
                double left = d[i * m + j - 1];
                if (diagonal <= up && diagonal <= left) {
                    i--;
                    j--;
                } else if (up <= left) {
                    i--;
                } else {
                    j--;
                }
            }
        }
    }

    /**
     * One DBA update of {@code centroid} (m × c) for {@code members}: each step becomes the mean of
     * the member steps that DTW(centroid, member) matches to it. No members: the centroid unchanged.
     */
    public static double[] dbaUpdate(double[] centroid, List<double[]> members, int m, int c, int radius) {
        if (members.isEmpty()) return centroid.clone();
        double[] sums = new double[m * c];
        int[] counts = new int[m];
        for (double[] member : members) accumulateAlongPath(centroid, member, m, c, radius, sums, counts);
        for (int i = 0; i < m; i++) {
            for (int ch = 0; ch < c; ch++) sums[i * c + ch] /= counts[i];
        }
        return sums;
    }

    private static double cost(double[] x, int i, double[] y, int j, int c) {
        double s = 0;
        for (int ch = 0; ch < c; ch++) {
            double diff = x[i * c + ch] - y[j * c + ch];
            s += diff * diff;
        }
        return s;
    }
}
