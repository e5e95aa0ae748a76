package org.rnnclust.backend;

import java.util.Objects;

/**
 * The argument checks of every {@link CentroidIndex}, written once for all backends (as
 * {@link CheckedTensorOps} does for the tensor ops): the points when the index is made, the centres
 * and the output arrays of each query, before a backend's {@code *Impl} method hands them to
 * native code or the device. It also holds the points, which every backend keeps in their Java
 * array (the CPU copies them off-heap, a GPU streams them from there).
 */
public abstract class CheckedCentroidIndex implements CentroidIndex {
    /** The n×d row-major points; not copied, and not to be modified while the index uses them. */
    protected float[] x;
    protected final int n;
    protected final int d;

    protected CheckedCentroidIndex(float[] x, int n, int d) {
        if (n < 1 || d < 1) throw new IllegalArgumentException("empty point set: n=" + n + ", d=" + d);
        if ((long) n * d > x.length) throw new IllegalArgumentException("x holds " + x.length + " floats, not n*d");
        this.x = x;
        this.n = n;
        this.d = d;
    }

    @Override
    public final int size() {
        return n;
    }

    @Override
    public final int dim() {
        return d;
    }

    @Override
    public final double assign(float[] centroids, int k, int[] nearest, float[] sqDistance, double[] sums,
                               long[] counts) {
        requireCentres(centroids, k);
        requireLength("nearest", nearest.length, n);
        if (sqDistance != null) requireLength("sqDistance", sqDistance.length, n);
        if ((sums == null) != (counts == null)) throw new IllegalArgumentException("sums and counts go together");
        if (sums != null) {
            requireLength("sums", sums.length, (long) k * d);
            requireLength("counts", counts.length, k);
        }
        return assignImpl(centroids, k, nearest, sqDistance, sums, counts);
    }

    /** {@link #assign} with arrays that hold what it writes; {@code sums} and {@code counts} both null or neither. */
    protected abstract double assignImpl(float[] centroids, int k, int[] nearest, float[] sqDistance, double[] sums,
                                         long[] counts);

    @Override
    public final void sqDistances(float[] centres, int m, float[] out) {
        requireCentres(centres, m);
        requireLength("out", out.length, (long) n * m);
        sqDistancesImpl(centres, m, out);
    }

    protected abstract void sqDistancesImpl(float[] centres, int m, float[] out);

    @Override
    public final void load(float[] points) {
        if ((long) n * d > points.length) {
            throw new IllegalArgumentException("points hold " + points.length + " floats, not n*d = " + (long) n * d);
        }
        this.x = points;
        loadImpl();
    }

    /** Takes the new {@link #x} (same n and d): refills what the backend keeps of the points. */
    protected abstract void loadImpl();

    @Override
    public final void point(int i, float[] out) {
        Objects.checkIndex(i, n);
        requireLength("out", out.length, d);
        System.arraycopy(x, i * d, out, 0, d);
    }

    private void requireCentres(float[] c, int k) {
        if (k < 1) throw new IllegalArgumentException("need at least one centre");
        if ((long) k * d > c.length) throw new IllegalArgumentException("centres hold " + c.length + " floats, not k*d");
    }

    private static void requireLength(String what, int length, long needed) {
        if (length < needed) throw new IllegalArgumentException(what + " holds " + length + " values, needs " + needed);
    }
}
