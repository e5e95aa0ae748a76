package org.rnnclust.backend;

/**
 * The answer of {@link Backend#nearestNeighbours}: for each of n points, its m nearest other points
 * by squared Euclidean distance, nearest first, ties to the lower index. Slot t of point i is
 * {@code index[i·m + t]} and {@code sqDistance[i·m + t]}; slots past the n − 1 other points hold
 * index −1 and distance +∞.
 */
public record Neighbours(int n, int m, int[] index, float[] sqDistance) {
    public Neighbours {
        if ((long) n * m != index.length || index.length != sqDistance.length) {
            throw new IllegalArgumentException(index.length + " indices and " + sqDistance.length
                    + " distances are not " + n + " × " + m);
        }
    }

    /** The arguments of {@link Backend#nearestNeighbours}, checked once for every backend. */
    public static void check(float[] x, int n, int d, int m) {
        if (n < 1 || d < 1) throw new IllegalArgumentException("empty point set: n=" + n + ", d=" + d);
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        if (m < 1) throw new IllegalArgumentException("neighbours must be >= 1, got " + m);
        if ((long) n * m > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(n + " × " + m + " neighbours do not fit an array");
    }
}
