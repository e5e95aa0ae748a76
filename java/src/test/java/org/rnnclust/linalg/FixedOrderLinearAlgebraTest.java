package org.rnnclust.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The deterministic mode's linear algebra against LAPACK's (the oracle) and against the
 * definitions: the Gram matrices are the plain sums in ascending order, bit for bit; the
 * eigenpairs have LAPACK's eigenvalues, small residuals and orthonormal vectors, also for repeated
 * eigenvalues, split tridiagonals and rank-deficient Gram matrices.
 */
class FixedOrderLinearAlgebraTest {
    private static final LinearAlgebra FIXED = LinearAlgebra.fixedOrder();
    private static final LinearAlgebra LAPACK = LinearAlgebra.lapack();

    private static double[] random(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[n * d];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return a;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64, 65, 150})
    void gramMatricesAreThePlainSumsInAscendingOrder(int d) {
        int n = 97;
        double[] a = random(n, d, d);
        double[] columns = FIXED.gramOfColumns(a, n, d);
        double[] rows = FIXED.gramOfRows(a, n, d);
        double[] lapackColumns = LAPACK.gramOfColumns(a, n, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int r = 0; r < n; r++) s = s + a[r * d + i] * a[r * d + j];
                assertEquals(s, columns[i * d + j], 0.0, "AᵀA (" + i + ", " + j + ")");
                assertEquals(s, lapackColumns[i * d + j], 1e-12 * n, "LAPACK's AᵀA (" + i + ", " + j + ")");
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int t = 0; t < d; t++) s = s + a[i * d + t] * a[j * d + t];
                assertEquals(s, rows[i * n + j], 0.0, "AAᵀ (" + i + ", " + j + ")");
            }
        }
    }

    /** Q diag(spectrum) Qᵀ with a random orthogonal Q (Gram–Schmidt of a Gaussian matrix). */
    private static double[] withSpectrum(double[] spectrum, long seed) {
        int n = spectrum.length;
        double[] q = random(n, n, seed);
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += q[i * n + p] * q[i * n + j];
                for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + p];
            }
            double norm = 0;
            for (int i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[i * n + j] /= norm;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) s += q[i * n + p] * spectrum[p] * q[j * n + p];
                a[i * n + j] = s;
                a[j * n + i] = s;
            }
        }
        return a;
    }

    private static double norm(double[] a, int n) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) row += Math.abs(a[i * n + j]);
            max = Math.max(max, row);
        }
        return Math.max(max, Double.MIN_NORMAL);
    }

    /** The eigenvalues against LAPACK's, and ‖Av − λv‖, VᵀV − I against zero. */
    private static void checkAgainstLapack(String name, double[] a, int n, int count) {
        double scale = norm(a, n);
        LinearAlgebra.Eigen fixed = FIXED.largestEigen(a.clone(), n, count);
        LinearAlgebra.Eigen lapack = LAPACK.largestEigen(a.clone(), n, count);
        assertEquals(count, fixed.vectorCount());
        for (int j = 0; j < count; j++) {
            assertEquals(lapack.values()[j], fixed.values()[j], 1e-13 * scale, name + ": eigenvalue " + j);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int p = 0; p < n; p++) av += a[i * n + p] * fixed.vector(p, j);
                assertEquals(fixed.values()[j] * fixed.vector(i, j), av, 1e-11 * scale, name + ": (Av − λv)[" + i + "] of " + j);
            }
            for (int c = 0; c <= j; c++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += fixed.vector(i, c) * fixed.vector(i, j);
                assertEquals(c == j ? 1 : 0, dot, 1e-11, name + ": vectors " + c + "·" + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10, 57, 200})
    void randomSymmetricMatricesHaveLapacksEigenpairs(int n) {
        double[] g = random(n, n, 100 + n);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) a[i * n + j] = g[i * n + j] + g[j * n + i];
        }
        checkAgainstLapack("random " + n, a, n, n);
        checkAgainstLapack("random " + n + ", the largest few", a, n, Math.min(n, 4));
    }

    @Test
    void simpleEigenvectorsAreLapacksUpToSign() {
        int n = 40;
        double[] spectrum = new double[n];
        for (int i = 0; i < n; i++) spectrum[i] = n - i;
        double[] a = withSpectrum(spectrum, 7);
        LinearAlgebra.Eigen fixed = FIXED.largestEigen(a.clone(), n, 10);
        LinearAlgebra.Eigen lapack = LAPACK.largestEigen(a.clone(), n, 10);
        for (int j = 0; j < 10; j++) {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += fixed.vector(i, j) * lapack.vector(i, j);
            assertEquals(1, Math.abs(dot), 1e-12, "eigenvector " + j);
        }
    }

    @Test
    void repeatedAndClusteredEigenvaluesGetOrthonormalBases() {
        double[] spectrum = {5, 3, 3, 3, 2 + 1e-9, 2, 2 - 1e-9, 1e-14, 0, 0, 0, -1, -1};
        checkAgainstLapack("repeated", withSpectrum(spectrum, 11), spectrum.length, spectrum.length);
    }

    @Test
    void diagonalBlockAndZeroMatrices() {
        int n = 6;
        double[] diagonal = new double[n * n];
        double[] blocks = new double[n * n];
        for (int i = 0; i < n; i++) diagonal[i * n + i] = i % 3;
        for (int i = 0; i < n; i += 2) {
            blocks[i * n + i] = 2;
            blocks[(i + 1) * n + i + 1] = 2;
            blocks[i * n + i + 1] = 1;
            blocks[(i + 1) * n + i] = 1;
        }
        checkAgainstLapack("diagonal", diagonal, n, n);
        checkAgainstLapack("blocks", blocks, n, n);
        checkAgainstLapack("zero", new double[n * n], n, n);
    }

    @Test
    void rankDeficientGramMatrixOfAPca() {
        int n = 30;
        int d = 80;
        double[] x = random(n, d, 3);
        double[] gram = FIXED.gramOfColumns(x, n, d);  // rank 30 of 80
        checkAgainstLapack("Gram", gram, d, n - 1);
    }

    /**
     * A column of entries near 1e-158, whose squares are subnormal: the reduction of a
     * rank-deficient matrix reaches such columns when its trailing entries shrink step by step (k-Shape's
     * matrix for a cluster of a few long series on FiftyWords). A Householder vector built from
     * unscaled squares turned them into infinities; scaled by the column's largest entry it does not.
     */
    @Test
    void columnsWhoseSquaresUnderflow() {
        int n = 12;
        double[] g = random(n, n, 23);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = g[i * n + j] + g[j * n + i];
                a[i * n + j] = (i == 0) != (j == 0) ? 1e-158 * v : v;
            }
        }
        checkAgainstLapack("tiny first column", a, n, n);
        checkAgainstLapack("tiny first column, the largest", a, n, 1);
    }

    @Test
    void computesOnlyTheVectorsAskedForGivenTheValues() {
        int n = 20;
        double[] spectrum = new double[n];
        for (int i = 0; i < n; i++) spectrum[i] = Math.pow(2, -i);
        double[] a = withSpectrum(spectrum, 5);
        double[][] seen = new double[1][];
        for (LinearAlgebra la : new LinearAlgebra[] {FIXED, LAPACK}) {
            LinearAlgebra.Eigen eig = la.largestEigen(a.clone(), n, 8, values -> {
                seen[0] = values.clone();
                return 3;
            });
            assertEquals(3, eig.vectorCount());
            assertEquals(n * 3, eig.vectors().length);
            assertArrayEquals(eig.values(), seen[0]);
            assertEquals(8, seen[0].length);
            for (int j = 0; j < 8; j++) assertEquals(spectrum[j], eig.values()[j], 1e-14);
            assertThrows(IllegalArgumentException.class, () -> la.largestEigen(a.clone(), n, 8, values -> 9));
            assertThrows(IllegalArgumentException.class, () -> la.largestEigen(a.clone(), n, 0));
            assertThrows(IllegalArgumentException.class, () -> la.largestEigen(a.clone(), n, n + 1));
        }
    }

    @Test
    void refusesNonFiniteMatricesAndWrongShapes() {
        double[] a = {1, Double.NaN, Double.NaN, 1};
        assertThrows(ArithmeticException.class, () -> FIXED.largestEigen(a, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> FIXED.largestEigen(new double[5], 2, 1));
        assertThrows(IllegalArgumentException.class, () -> FIXED.gramOfColumns(new double[5], 2, 3));
    }

    @Test
    void sameBitsOnEveryCall() {
        double[] x = random(300, 120, 9);
        double[] first = FIXED.gramOfColumns(x, 300, 120);
        LinearAlgebra.Eigen a = FIXED.largestEigen(first.clone(), 120, 30);
        for (int i = 0; i < 3; i++) {
            LinearAlgebra.Eigen b = FIXED.largestEigen(FIXED.gramOfColumns(x, 300, 120), 120, 30);
            assertArrayEquals(a.values(), b.values(), 0.0);
            assertArrayEquals(a.vectors(), b.vectors(), 0.0);
        }
        assertTrue(a.values()[0] > a.values()[29]);
    }
}
