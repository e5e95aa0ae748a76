package org.rnnclust.backend;

/**
 * The argument checks of every {@link KrylovSpace}, written once for all backends, before a
 * backend's {@code *Impl} method hands the arguments to its loops or the device; it also counts the
 * basis and the candidates.
 */
public abstract class CheckedKrylovSpace implements KrylovSpace {
    protected final ScaledSparseMatrix a;
    protected final int n;
    /** The basis vectors so far. */
    protected int size;
    /** The candidates held now. */
    protected int candidates;
    private int ritzCount = -1;

    protected CheckedKrylovSpace(ScaledSparseMatrix a) {
        this.a = a;
        this.n = a.n();
    }

    @Override
    public final int rows() {
        return n;
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final int candidates() {
        return candidates;
    }

    @Override
    public final void setCandidates(double[] vectors, int count) {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, got " + count);
        if ((long) count * n != vectors.length) {
            throw new IllegalArgumentException(vectors.length + " values are not " + count + " vectors of " + n);
        }
        setCandidatesImpl(vectors, count);
        candidates = count;
    }

    @Override
    public final void candidatesFromProducts(int from, int to) {
        if (from < 0 || to <= from || to > size) {
            throw new IllegalArgumentException("products " + from + ".." + to + " of a basis of " + size);
        }
        candidatesFromProductsImpl(from, to);
        candidates = to - from;
    }

    @Override
    public final boolean appendCandidate(int c, double minRemaining) {
        if (c < 0 || c >= candidates) throw new IllegalArgumentException("candidate " + c + " of " + candidates);
        if (size >= n) throw new IllegalStateException("the basis already spans all " + n + " dimensions");
        if (!(minRemaining >= 0 && minRemaining < 1)) throw new IllegalArgumentException("minRemaining " + minRemaining);
        boolean added = appendCandidateImpl(c, minRemaining);
        if (added) size++;
        return added;
    }

    @Override
    public final void multiply(int from) {
        requireNewColumns(from);
        multiplyImpl(from);
    }

    @Override
    public final double[] projection(int from) {
        requireNewColumns(from);
        return projectionImpl(from);
    }

    @Override
    public final double[] residuals(double[] w, double[] theta, int count) {
        if (count < 1 || count > size) throw new IllegalArgumentException("count " + count + " not in 1.." + size);
        if (w.length != (long) size * count || theta.length != count) {
            throw new IllegalArgumentException(w.length + " weights and " + theta.length + " values for " + size
                    + " × " + count);
        }
        double[] r = residualsImpl(w, theta, count);
        ritzCount = count;
        return r;
    }

    @Override
    public final double[] ritzVectors() {
        if (ritzCount < 0) throw new IllegalStateException("no Ritz vectors yet: call residuals first");
        return ritzVectorsImpl(ritzCount);
    }

    private void requireNewColumns(int from) {
        if (from < 0 || from >= size) throw new IllegalArgumentException("columns from " + from + " of a basis of " + size);
    }

    protected abstract void setCandidatesImpl(double[] vectors, int count);

    protected abstract void candidatesFromProductsImpl(int from, int to);

    /** Appends candidate c as basis vector {@link #size} (which the caller then counts) or returns false. */
    protected abstract boolean appendCandidateImpl(int c, double minRemaining);

    protected abstract void multiplyImpl(int from);

    protected abstract double[] projectionImpl(int from);

    protected abstract double[] residualsImpl(double[] w, double[] theta, int count);

    protected abstract double[] ritzVectorsImpl(int count);
}
