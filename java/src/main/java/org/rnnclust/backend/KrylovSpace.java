package org.rnnclust.backend;

/**
 * The n-sized half of the block Krylov eigensolver (the algorithm is {@code cluster.BlockKrylov},
 * written once above this interface, as the Lloyd loop is above {@link CentroidIndex}): a backend
 * holds a {@link ScaledSparseMatrix} A, an orthonormal basis q_0..q_{s−1}, the products A·q_j and a
 * block of candidate vectors, all of n doubles, and answers with what the small dense
 * Rayleigh–Ritz steps need (projections, residuals), so the vectors stay where they are between the
 * solver's steps. The caller numbers the basis from 0 in the order it was appended.
 *
 * <p>Implementations extend {@link CheckedKrylovSpace}, which checks the arguments once.
 */
public interface KrylovSpace extends AutoCloseable {
    /** n, the length of every vector. */
    int rows();

    /** The basis vectors so far. */
    int size();

    /** The candidate vectors held now. */
    int candidates();

    /** Replaces the candidates with {@code count} vectors given one after another ({@code count} × n values). */
    void setCandidates(double[] vectors, int count);

    /** Replaces the candidates with copies of A·q_j for j in [from, to), in that order. */
    void candidatesFromProducts(int from, int to);

    /**
     * Orthogonalises candidate {@code c} against the basis (classical Gram–Schmidt, twice: "twice
     * is enough"), normalises it and appends it to the basis; false, appending nothing, when what is
     * left is at most {@code minRemaining} of its length (it was in the basis's span) or it was 0.
     * The candidate itself is consumed either way.
     */
    boolean appendCandidate(int c, double minRemaining);

    /** Computes A·q_j for the basis vectors j in [from, size()), all at once. */
    void multiply(int from);

    /**
     * The new columns of the projection QᵀAQ once {@link #multiply} has run on them: for each j in
     * [from, size()) and each i ≤ j, (q_i·Aq_j + q_j·Aq_i)/2 (exactly symmetric, the rounding of
     * both halves averaged), packed column after column: j = from with i = 0..from, then j = from + 1, ...
     */
    double[] projection(int from);

    /**
     * The Ritz vectors u_c = Σ_j w[j·count + c]·q_j for c &lt; count, with w size() × count
     * row-major, and their residuals ‖A·u_c − θ_c·u_c‖; the vectors are kept for {@link #ritzVectors}.
     */
    double[] residuals(double[] w, double[] theta, int count);

    /**
     * The vectors of the last {@link #residuals} call, n × count row-major, each column's sign
     * chosen so that its largest-magnitude component (the first of equal ones) is positive.
     */
    double[] ritzVectors();

    @Override
    void close();
}
