package org.rnnclust.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rnnclust.linalg.LinearAlgebra;

/**
 * The block Krylov solver as it was before its n-sized work moved behind the backends (one vector
 * at a time, on the heap, the operator applied to each vector as it joins the basis): the oracle
 * that {@link BlockKrylovTest} compares the new one with, bit for bit. Test code only.
 */
final class LegacyBlockKrylov {
    private LegacyBlockKrylov() {}

    /** y = A x for a symmetric n × n matrix A (x and y have length n; y is overwritten). */
    @FunctionalInterface
    interface SymmetricOperator {
        void apply(double[] x, double[] y);
    }

    /**
     * @param values      the {@code count} largest eigenvalue estimates, largest first
     * @param vectors     n × count, row-major, unit columns; each column's largest-magnitude
     *                    component is positive (scikit-learn's deterministic sign)
     * @param basisSize   the Krylov basis size at the end
     * @param maxResidual the largest ‖Au − θu‖ of the returned pairs
     * @param converged   whether {@code maxResidual} is below the tolerance
     */
    record Result(double[] values, double[] vectors, int basisSize, double maxResidual, boolean converged) {}

    static Result largest(SymmetricOperator a, int n, int count, int block, int maxBasis, double tol,
                          long seed, LinearAlgebra dense) {
        if (count < 1 || count > n) throw new IllegalArgumentException("count " + count + " not in 1.." + n);
        if (block < 1) throw new IllegalArgumentException("block must be >= 1, got " + block);
        maxBasis = Math.min(n, Math.max(maxBasis, count));
        List<double[]> q = new ArrayList<>();   // orthonormal basis columns
        List<double[]> aq = new ArrayList<>();  // A times each of them
        SplittableRandom random = new SplittableRandom(seed);
        List<double[]> next = new ArrayList<>();
        for (int b = 0; b < block; b++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = random.nextGaussian();
            next.add(v);
        }
        double[] h = new double[0];
        Ritz ritz = null;
        // Rayleigh–Ritz costs s³ + n·s·count: done once the basis has grown by a quarter since the
        // last time, so that all of them together cost about as much as the last.
        int nextCheck = count;
        while (true) {
            int before = q.size();
            for (double[] v : next) {
                if (q.size() >= maxBasis) break;
                if (!orthonormalise(v, q)) continue;  // already in the span: the space is (nearly) invariant
                q.add(v);
                double[] av = new double[n];
                a.apply(v, av);
                aq.add(av);
            }
            int s = q.size();
            boolean grew = s > before;
            h = extendProjection(h, before, s, q, aq);
            boolean last = !grew || s >= maxBasis;
            if (s >= count && (s >= nextCheck || last)) {
                ritz = rayleighRitz(dense, h, s, count, q, aq, n);
                if (ritz.maxResidual <= tol || last) break;
                nextCheck = Math.max(s + 1, s + s / 4);
            } else if (!grew) {
                // Fewer independent directions than wanted pairs: only a degenerate operator does this.
                throw new ArithmeticException("the Krylov space stopped growing at " + s + " < " + count + " vectors");
            }
            // copies: orthonormalise works in place, and aq must keep A times each basis vector
            next = aq.subList(before, s).stream().map(double[]::clone).toList();
        }
        return new Result(ritz.values, ritz.vectors, q.size(), ritz.maxResidual, ritz.maxResidual <= tol);
    }

    /**
     * Makes {@code v} orthonormal to the unit columns {@code q} (classical Gram–Schmidt, twice);
     * false when little of it is left (below 1e-10 of its length), i.e. it was in their span.
     */
    private static boolean orthonormalise(double[] v, List<double[]> q) {
        double start = norm(v);
        if (start == 0) return false;
        for (int pass = 0; pass < 2; pass++) {
            double[] c = IntStream.range(0, q.size()).parallel().mapToDouble(j -> dot(q.get(j), v)).toArray();
            for (int j = 0; j < c.length; j++) {
                double[] qj = q.get(j);
                double cj = c[j];
                for (int i = 0; i < v.length; i++) v[i] -= cj * qj[i];
            }
        }
        double left = norm(v);
        if (left <= 1e-10 * start) return false;
        for (int i = 0; i < v.length; i++) v[i] /= left;
        return true;
    }

    /** QᵀAQ (s × s) from the previous {@code before} × {@code before} one and the new columns. */
    private static double[] extendProjection(double[] old, int before, int s, List<double[]> q, List<double[]> aq) {
        double[] h = new double[s * s];
        for (int i = 0; i < before; i++) System.arraycopy(old, i * before, h, i * s, before);
        IntStream.range(before, s).parallel().forEach(j -> {
            for (int i = 0; i <= j; i++) {
                // (q_i·Aq_j + q_j·Aq_i)/2: exactly symmetric, and the rounding of both halves averaged
                double v = 0.5 * (dot(q.get(i), aq.get(j)) + dot(q.get(j), aq.get(i)));
                h[i * s + j] = v;
                h[j * s + i] = v;
            }
        });
        return h;
    }

    private record Ritz(double[] values, double[] vectors, double maxResidual) {}

    private static Ritz rayleighRitz(LinearAlgebra dense, double[] h, int s, int count, List<double[]> q,
                                     List<double[]> aq, int n) {
        LinearAlgebra.Eigen eig = dense.largestEigen(h.clone(), s, count);
        double[] vectors = new double[n * count];
        double[] residuals = new double[count];
        IntStream.range(0, count).parallel().forEach(c -> {
            double[] u = new double[n];
            double[] au = new double[n];
            for (int j = 0; j < s; j++) {
                double w = eig.vector(j, c);
                double[] qj = q.get(j);
                double[] aqj = aq.get(j);
                for (int i = 0; i < n; i++) {
                    u[i] += w * qj[i];
                    au[i] += w * aqj[i];
                }
            }
            double theta = eig.values()[c];
            double r = 0;
            int largest = 0;
            for (int i = 0; i < n; i++) {
                double e = au[i] - theta * u[i];
                r += e * e;
                if (Math.abs(u[i]) > Math.abs(u[largest])) largest = i;
            }
            residuals[c] = Math.sqrt(r);
            double sign = u[largest] < 0 ? -1 : 1;
            for (int i = 0; i < n; i++) vectors[i * count + c] = sign * u[i];
        });
        double max = 0;
        for (double r : residuals) max = Math.max(max, r);
        return new Ritz(eig.values(), vectors, max);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }
}
