package org.rnnclust.linalg;

import java.util.SplittableRandom;
import java.util.function.ToIntFunction;

/**
 * {@link LinearAlgebra} in plain Java, single-threaded, with every sum taken in one fixed order:
 * the deterministic mode's. Java's double arithmetic is IEEE 754 with each operation rounded (the
 * JIT fuses no multiply-add, and {@code Math.sqrt} is correctly rounded), so the same inputs give
 * the same bits on any CPU. Loops are arranged so that the innermost one updates independent
 * elements (an axpy), which the JIT may vectorise without changing any element's order of sums.
 *
 * <p>The eigensolver is the classical one for a few eigenpairs of a dense symmetric matrix:
 * <ol>
 *   <li>Householder reflections reduce A to a tridiagonal T = QᵀAQ (Golub and Van Loan,
 *       <i>Matrix Computations</i>, §8.3.1);
 *   <li>bisection on Sturm counts finds the wanted eigenvalues of T to about ε‖T‖, all of them
 *       at once (the intervals advance in lockstep);
 *   <li>inverse iteration with T − λI finds each wanted eigenvector of T, orthogonalised against
 *       the vectors of eigenvalues within 10⁻³‖T‖ of it (as LAPACK's dstein does), from a seeded
 *       start;
 *   <li>the reflections carry each vector back: x = Qy.
 * </ol>
 * Its eigenpairs agree with LAPACK's to rounding (up to each vector's sign, and to the basis
 * chosen within a repeated eigenvalue); {@code FixedOrderLinearAlgebraTest} checks residuals,
 * orthogonality and the agreement.
 */
final class FixedOrderLinearAlgebra implements LinearAlgebra {
    static final FixedOrderLinearAlgebra INSTANCE = new FixedOrderLinearAlgebra();

    /** Rows and columns of the Gram matrix's tiles: a 64 × 64 tile of doubles stays in cache. */
    private static final int TILE = 64;
    /** Inverse-iteration steps per eigenvector: with an eigenvalue good to ε‖T‖, two already converge. */
    private static final int INVERSE_ITERATIONS = 3;
    /** Eigenvalues closer than this times ‖T‖ form a cluster whose vectors are orthogonalised. */
    private static final double CLUSTER_GAP = 1e-3;
    private static final double EPS = Math.ulp(1.0);

    private FixedOrderLinearAlgebra() {}

    @Override
    public double[] gramOfColumns(double[] a, int n, int d) {
        if ((long) n * d != a.length) throw new IllegalArgumentException(a.length + " values are not " + n + " × " + d);
        double[] c = new double[d * d];
        // Element (i, j ≥ i) is Σ_r a[r][i]·a[r][j], r ascending from 0, whatever the tiling.
        for (int ib = 0; ib < d; ib += TILE) {
            int iEnd = Math.min(d, ib + TILE);
            for (int jb = ib; jb < d; jb += TILE) {
                int jEnd = Math.min(d, jb + TILE);
                for (int r = 0; r < n; r++) {
                    int row = r * d;
                    for (int i = ib; i < iEnd; i++) {
                        double ari = a[row + i];
                        int out = i * d;
                        for (int j = Math.max(i, jb); j < jEnd; j++) c[out + j] = c[out + j] + ari * a[row + j];
                    }
                }
            }
        }
        Lapack.mirrorUpper(c, d);
        return c;
    }

    @Override
    public double[] gramOfRows(double[] a, int n, int d) {
        if ((long) n * d != a.length) throw new IllegalArgumentException(a.length + " values are not " + n + " × " + d);
        // AAᵀ is the column Gram of Aᵀ: the same sums over t, ascending, in the vectorisable layout.
        double[] transposed = new double[a.length];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) transposed[t * n + i] = a[i * d + t];
        }
        return gramOfColumns(transposed, d, n);
    }

    @Override
    public Eigen largestEigen(double[] a, int n, int count, ToIntFunction<double[]> vectorsFor) {
        if (count < 1 || count > n) throw new IllegalArgumentException("count " + count + " not in 1.." + n);
        if ((long) n * n != a.length) throw new IllegalArgumentException(a.length + " values are not " + n + " × " + n);
        for (double v : a) {
            if (!Double.isFinite(v)) throw new ArithmeticException("eigen-decomposition of a matrix holding " + v);
        }
        Tridiagonal t = Tridiagonal.reduce(a, n);
        // Scaled by a power of two (exactly) to a norm in [1, 2): inverse iteration's growth,
        // up to 1/ε per step, then cannot overflow, whatever the matrix's magnitude.
        double scale = Math.scalb(1.0, -Math.getExponent(t.norm()));
        t = t.scaled(scale);
        double[] values = t.largestEigenvalues(count);
        int kept = LinearAlgebra.vectorCount(count, values, vectorsFor);
        double[] vectors = new double[n * kept];
        double[][] found = new double[kept][];
        double norm = t.norm();
        int clusterStart = 0;
        for (int j = 0; j < kept; j++) {
            if (j > 0 && values[j - 1] - values[j] > CLUSTER_GAP * norm) clusterStart = j;
            double[] y = t.inverseIteration(values[j], found, clusterStart, j, j);
            found[j] = y;
            double[] x = t.backTransform(y);
            for (int i = 0; i < n; i++) vectors[i * kept + j] = x[i];
        }
        for (int j = 0; j < count; j++) values[j] = values[j] / scale;
        return new Eigen(n, kept, values, vectors);
    }

    /**
     * T = QᵀAQ: the diagonal, the off-diagonal and the Householder vectors whose reflections
     * H_k = I − β_k v_k v_kᵀ (acting on indices k+1..n−1) multiply into Q = H_0 H_1 ⋯ H_{n−3}.
     */
    private record Tridiagonal(int n, double[] diagonal, double[] offDiagonal, double[][] reflectors,
                               double[] betas) {
        static Tridiagonal reduce(double[] a, int n) {
            double[] diagonal = new double[n];
            double[] off = new double[Math.max(0, n - 1)];
            int steps = Math.max(0, n - 2);
            double[][] reflectors = new double[steps][];
            double[] betas = new double[steps];
            for (int k = 0; k < steps; k++) {
                int m = n - k - 1;
                int first = k + 1;
                // x = A[k+1.., k], read as row k (A is symmetric). H x = αe₁ with α = −sign(x₀)‖x‖,
                // v = (x − αe₁)/(x₀ − α) so that v₀ = 1, β = (α − x₀)/α in [1, 2] (LAPACK's dlarfg).
                // The norm is taken on x/max|xᵢ|: the trailing entries of a rank-deficient matrix
                // shrink step by step to where their squares underflow.
                double[] v = new double[m];
                System.arraycopy(a, k * n + first, v, 0, m);
                diagonal[k] = a[k * n + k];
                reflectors[k] = v;
                double largest = 0;
                for (int i = 0; i < m; i++) largest = Math.max(largest, Math.abs(v[i]));
                double tail = 0;
                if (largest > 0) {
                    for (int i = 1; i < m; i++) {
                        double u = v[i] / largest;
                        tail += u * u;
                    }
                }
                if (tail == 0) {
                    off[k] = v[0];
                    continue;  // already tridiagonal in this column: β = 0, H_k = I
                }
                double x0 = v[0];
                double head = x0 / largest;
                double length = largest * Math.sqrt(head * head + tail);
                double alpha = x0 > 0 ? -length : length;
                double pivot = x0 - alpha;  // |pivot| ≥ ‖x‖ > 0
                for (int i = 1; i < m; i++) v[i] = v[i] / pivot;
                v[0] = 1;
                double beta = (alpha - x0) / alpha;
                off[k] = alpha;
                betas[k] = beta;
                // B ← H B H for the trailing block B = A[k+1.., k+1..]: p = βBv, w = p − (β/2)(pᵀv)v,
                // B ← B − (vwᵀ + wvᵀ). p accumulates B's rows (B is symmetric), an axpy per row.
                double[] p = new double[m];
                for (int r = 0; r < m; r++) {
                    double coefficient = beta * v[r];
                    int row = (first + r) * n + first;
                    for (int i = 0; i < m; i++) p[i] = p[i] + coefficient * a[row + i];
                }
                double pv = 0;
                for (int i = 0; i < m; i++) pv += p[i] * v[i];
                double half = 0.5 * beta * pv;
                double[] w = new double[m];
                for (int i = 0; i < m; i++) w[i] = p[i] - half * v[i];
                for (int r = 0; r < m; r++) {
                    double vr = v[r];
                    double wr = w[r];
                    int row = (first + r) * n + first;
                    // (vᵣwᵢ + wᵣvᵢ) is the same number for (r, i) and (i, r): B stays exactly symmetric.
                    for (int i = 0; i < m; i++) a[row + i] = a[row + i] - (vr * w[i] + wr * v[i]);
                }
            }
            if (n >= 2) {
                diagonal[n - 2] = a[(n - 2) * n + n - 2];
                off[n - 2] = a[(n - 2) * n + n - 1];
            }
            diagonal[n - 1] = a[n * n - 1];
            return new Tridiagonal(n, diagonal, off, reflectors, betas);
        }

        /** A bound on ‖T‖ (and on |λ|): the largest Gershgorin radius plus centre; 1 for T = 0. */
        double norm() {
            double norm = 0;
            for (int i = 0; i < n; i++) norm = Math.max(norm, Math.abs(diagonal[i]) + radius(i));
            return norm > 0 ? norm : 1;
        }

        /** Row i's Gershgorin radius: the magnitudes of its off-diagonal entries. */
        private double radius(int i) {
            return (i > 0 ? Math.abs(offDiagonal[i - 1]) : 0) + (i < n - 1 ? Math.abs(offDiagonal[i]) : 0);
        }

        /** sT, the same reflectors. */
        Tridiagonal scaled(double s) {
            double[] d = diagonal.clone();
            double[] e = offDiagonal.clone();
            for (int i = 0; i < d.length; i++) d[i] = d[i] * s;
            for (int i = 0; i < e.length; i++) e[i] = e[i] * s;
            return new Tridiagonal(n, d, e, reflectors, betas);
        }

        /**
         * The {@code count} largest eigenvalues, largest first, by bisection: eigenvalue j (from
         * the top) is where the Sturm count of T − xI, the number of eigenvalues below x, passes
         * n − 1 − j. Every interval starts at the Gershgorin bounds and halves until it is within
         * about 2ε of its ends or ε‖T‖ wide.
         */
        double[] largestEigenvalues(int count) {
            double lower = Double.POSITIVE_INFINITY;
            double upper = Double.NEGATIVE_INFINITY;
            double largestSquare = 0;
            double[] squares = new double[Math.max(0, n - 1)];
            for (int i = 0; i < n - 1; i++) {
                squares[i] = offDiagonal[i] * offDiagonal[i];
                largestSquare = Math.max(largestSquare, squares[i]);
            }
            for (int i = 0; i < n; i++) {
                lower = Math.min(lower, diagonal[i] - radius(i));
                upper = Math.max(upper, diagonal[i] + radius(i));
            }
            double absolute = EPS * Math.max(Math.abs(lower), Math.abs(upper));  // 0 for T = 0: every value is 0
            lower -= 2 * absolute;
            upper += 2 * absolute;
            // A pivot of the Sturm recurrence below this in magnitude is replaced by −pivmin (dstebz's guard).
            double pivmin = Double.MIN_NORMAL * Math.max(1, largestSquare);
            double[] lo = new double[count];
            double[] hi = new double[count];
            double[] mid = new double[count];
            double[] pivot = new double[count];
            int[] below = new int[count];
            java.util.Arrays.fill(lo, lower);
            java.util.Arrays.fill(hi, upper);
            for (int iteration = 0; iteration < 2 * Double.MAX_EXPONENT; iteration++) {
                boolean open = false;
                for (int j = 0; j < count; j++) {
                    double width = hi[j] - lo[j];
                    if (width > Math.max(absolute, 2 * EPS * Math.max(Math.abs(lo[j]), Math.abs(hi[j])))) open = true;
                    mid[j] = lo[j] + 0.5 * width;
                    below[j] = 0;
                }
                if (!open) break;
                for (int j = 0; j < count; j++) {
                    double q = diagonal[0] - mid[j];
                    pivot[j] = Math.abs(q) < pivmin ? -pivmin : q;
                    if (pivot[j] < 0) below[j]++;
                }
                for (int i = 1; i < n; i++) {
                    double d = diagonal[i];
                    double e2 = squares[i - 1];
                    for (int j = 0; j < count; j++) {
                        double q = (d - mid[j]) - e2 / pivot[j];
                        pivot[j] = Math.abs(q) < pivmin ? -pivmin : q;
                        if (pivot[j] < 0) below[j]++;
                    }
                }
                for (int j = 0; j < count; j++) {
                    if (below[j] <= n - 1 - j) lo[j] = mid[j];
                    else hi[j] = mid[j];
                }
            }
            double[] values = new double[count];
            for (int j = 0; j < count; j++) values[j] = lo[j] + 0.5 * (hi[j] - lo[j]);
            return values;
        }

        /**
         * The unit eigenvector of T for {@code lambda}: a seeded start solved against T − λI
         * {@link #INVERSE_ITERATIONS} times, each time orthogonalised against {@code found[from..to)}
         * (the vectors of the same cluster) and normalised.
         */
        double[] inverseIteration(double lambda, double[][] found, int from, int to, long seed) {
            ShiftedFactors lu = ShiftedFactors.of(this, lambda);
            SplittableRandom random = new SplittableRandom(0x5eedL + seed);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) y[i] = 2 * random.nextDouble() - 1;
            for (int step = 0; step < INVERSE_ITERATIONS; step++) {
                lu.solveInPlace(y);
                for (int c = from; c < to; c++) {
                    double[] other = found[c];
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += other[i] * y[i];
                    for (int i = 0; i < n; i++) y[i] = y[i] - dot * other[i];
                }
                scaleToUnit(y);
            }
            return y;
        }

        /** x = Qy = H_0(H_1(⋯H_{n−3} y)). */
        double[] backTransform(double[] y) {
            double[] x = y.clone();
            for (int k = reflectors.length - 1; k >= 0; k--) {
                double beta = betas[k];
                if (beta == 0) continue;
                double[] v = reflectors[k];
                int first = k + 1;
                double dot = 0;
                for (int i = 0; i < v.length; i++) dot += v[i] * x[first + i];
                double s = beta * dot;
                for (int i = 0; i < v.length; i++) x[first + i] = x[first + i] - s * v[i];
            }
            return x;
        }

        private static void scaleToUnit(double[] y) {
            // Scale by the largest magnitude first: inverse iteration's growth can pass the square root of the range.
            double largest = 0;
            for (double v : y) largest = Math.max(largest, Math.abs(v));
            if (largest == 0 || !Double.isFinite(largest)) {
                throw new ArithmeticException("inverse iteration lost its vector (largest component " + largest + ")");
            }
            double sum = 0;
            for (int i = 0; i < y.length; i++) {
                y[i] = y[i] / largest;
                sum += y[i] * y[i];
            }
            double inverse = 1 / Math.sqrt(sum);
            for (int i = 0; i < y.length; i++) y[i] = y[i] * inverse;
        }
    }

    /**
     * T − λI = PLU by Gaussian elimination with partial pivoting (LAPACK's dgttrf in spirit): U has
     * a diagonal and two superdiagonals; a pivot row exchange at step i is recorded with its
     * multiplier. A pivot below ε‖T‖ in magnitude is raised to it: T − λI is singular to working
     * precision by design, and the tiny pivot is what makes inverse iteration grow the eigenvector.
     */
    private record ShiftedFactors(int n, double[] diagonal, double[] super1, double[] super2, double[] multipliers,
                                  boolean[] exchanged) {
        static ShiftedFactors of(Tridiagonal t, double lambda) {
            int n = t.n();
            double[] d = new double[n];
            double[] u1 = new double[n];
            double[] u2 = new double[n];
            double[] mult = new double[n];
            boolean[] swapped = new boolean[n];
            double tiny = EPS * t.norm();
            for (int i = 0; i < n; i++) d[i] = t.diagonal()[i] - lambda;
            for (int i = 0; i < n - 1; i++) u1[i] = t.offDiagonal()[i];
            for (int i = 0; i < n - 1; i++) {
                double sub = t.offDiagonal()[i];  // row i+1's entry in column i
                if (Math.abs(d[i]) >= Math.abs(sub)) {
                    if (Math.abs(d[i]) < tiny) d[i] = d[i] < 0 ? -tiny : tiny;
                    mult[i] = sub / d[i];
                    d[i + 1] = d[i + 1] - mult[i] * u1[i];
                } else {
                    // Row i+1 = (sub, d[i+1], u1[i+1]) becomes the pivot row; row i = (d[i], u1[i], 0) is eliminated.
                    swapped[i] = true;
                    mult[i] = d[i] / sub;
                    double nextDiagonal = d[i + 1];
                    double nextSuper = i + 1 < n - 1 ? u1[i + 1] : 0;
                    d[i] = sub;
                    d[i + 1] = u1[i] - mult[i] * nextDiagonal;
                    u1[i] = nextDiagonal;
                    u2[i] = nextSuper;
                    if (i + 1 < n - 1) u1[i + 1] = -mult[i] * nextSuper;
                }
            }
            if (Math.abs(d[n - 1]) < tiny) d[n - 1] = d[n - 1] < 0 ? -tiny : tiny;
            return new ShiftedFactors(n, d, u1, u2, mult, swapped);
        }

        /** b ← (T − λI)⁻¹ b. */
        void solveInPlace(double[] b) {
            for (int i = 0; i < n - 1; i++) {
                if (exchanged[i]) {
                    double top = b[i + 1];
                    b[i + 1] = b[i] - multipliers[i] * top;
                    b[i] = top;
                } else {
                    b[i + 1] = b[i + 1] - multipliers[i] * b[i];
                }
            }
            b[n - 1] = b[n - 1] / diagonal[n - 1];
            if (n >= 2) b[n - 2] = (b[n - 2] - super1[n - 2] * b[n - 1]) / diagonal[n - 2];
            for (int i = n - 3; i >= 0; i--) {
                b[i] = (b[i] - super1[i] * b[i + 1] - super2[i] * b[i + 2]) / diagonal[i];
            }
        }
    }
}
