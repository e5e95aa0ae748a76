package org.rnnclust.cluster;

import java.util.SplittableRandom;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.linalg.LinearAlgebra;

/**
 * The largest eigenpairs of a large sparse symmetric matrix held by a backend
 * ({@link KrylovSpace}): a block Krylov method with explicit Rayleigh–Ritz, written once above the
 * backends (as the Lloyd loop is above the centroid index); the backend does the n-sized work and
 * the small dense eigenproblems are solved here, on the host.
 *
 * <p>The basis grows block by block, each new block the matrix times the previous one,
 * orthogonalised twice against everything before it ("twice is enough"); the Ritz pairs of the
 * projected matrix QᵀAQ are the estimates, and the basis grows until the residual ‖Au − θu‖ of
 * every wanted pair is below the tolerance. Why a block and not the single-vector Lanczos: the
 * normalised adjacency of a graph with c components has eigenvalue 1 c times over, and a single
 * start vector finds only one vector of a repeated eigenvalue's space; a block of b random vectors
 * finds up to b. A block's products are taken together, after all of its vectors are in the basis:
 * a vector's orthogonalisation depends on the basis, never on the products, so this is the same
 * arithmetic as one product per vector, in one sparse product per block.
 */
public final class BlockKrylov {
    /** What is left of a candidate, relative to its length, below which it counts as in the basis's span. */
    private static final double IN_SPAN = 1e-10;

    private BlockKrylov() {}

    /**
     * @param values      the {@code count} largest eigenvalue estimates, largest first
     * @param vectors     n × count, row-major, unit columns; each column's largest-magnitude
     *                    component is positive (scikit-learn's deterministic sign)
     * @param basisSize   the Krylov basis size at the end
     * @param maxResidual the largest ‖Au − θu‖ of the returned pairs
     * @param converged   whether {@code maxResidual} is below the tolerance
     */
    public record Result(double[] values, double[] vectors, int basisSize, double maxResidual, boolean converged) {}

    /**
     * @param space    the matrix and room for the basis, empty (a new one from the backend)
     * @param block    vectors per block: at least the largest multiplicity expected among the wanted eigenvalues
     * @param maxBasis the basis size at which to stop even if not converged
     * @param tol      residual below which a pair counts as converged
     * @param dense    solves the small projected eigenproblems
     */
    public static Result largest(KrylovSpace space, int count, int block, int maxBasis, double tol, long seed,
                                 LinearAlgebra dense) {
        int n = space.rows();
        if (count < 1 || count > n) throw new IllegalArgumentException("count " + count + " not in 1.." + n);
        if (block < 1) throw new IllegalArgumentException("block must be >= 1, got " + block);
        if (space.size() != 0) throw new IllegalArgumentException("the space already holds " + space.size() + " vectors");
        maxBasis = Math.min(n, Math.max(maxBasis, count));
        SplittableRandom random = new SplittableRandom(seed);
        double[] start = new double[block * n];
        for (int i = 0; i < start.length; i++) start[i] = random.nextGaussian();
        space.setCandidates(start, block);
        double[] h = new double[0];
        double[] values = null;
        double maxResidual = Double.NaN;
        // Rayleigh–Ritz costs s³ + n·s·count: done once the basis has grown by a quarter since the
        // last time, so that all of them together cost about as much as the last.
        int nextCheck = count;
        while (true) {
            int before = space.size();
            for (int c = 0; c < space.candidates() && space.size() < maxBasis; c++) {
                // false: already in the span, the space is (nearly) invariant
                space.appendCandidate(c, IN_SPAN);
            }
            int s = space.size();
            boolean grew = s > before;
            if (grew) {
                space.multiply(before);
                h = extendProjection(h, before, s, space.projection(before));
            }
            boolean last = !grew || s >= maxBasis;
            if (s >= count && (s >= nextCheck || last)) {
                LinearAlgebra.Eigen eig = dense.largestEigen(h.clone(), s, count);
                values = eig.values();
                maxResidual = 0;
                for (double r : space.residuals(eig.vectors(), values, count)) maxResidual = Math.max(maxResidual, r);
                if (maxResidual <= tol || last) break;
                nextCheck = Math.max(s + 1, s + s / 4);
            } else if (!grew) {
                // Fewer independent directions than wanted pairs: only a degenerate operator does this.
                throw new ArithmeticException("the Krylov space stopped growing at " + s + " < " + count + " vectors");
            }
            space.candidatesFromProducts(before, s);
        }
        return new Result(values, space.ritzVectors(), space.size(), maxResidual, maxResidual <= tol);
    }

    /** QᵀAQ (s × s) from the previous {@code before} × {@code before} one and the new columns, packed as {@link KrylovSpace#projection} gives them. */
    private static double[] extendProjection(double[] old, int before, int s, double[] columns) {
        double[] h = new double[s * s];
        for (int i = 0; i < before; i++) System.arraycopy(old, i * before, h, i * s, before);
        int e = 0;
        for (int j = before; j < s; j++) {
            for (int i = 0; i <= j; i++) {
                double v = columns[e++];
                h[i * s + j] = v;
                h[j * s + i] = v;
            }
        }
        return h;
    }
}
