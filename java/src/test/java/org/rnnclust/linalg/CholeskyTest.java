package org.rnnclust.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cholesky solves checked by their residual A·X − B and on a system with a known solution. */
class CholeskyTest {
    @Test
    void solvesRandomPositiveDefiniteSystems() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n : new int[] {1, 2, 5, 31}) {
            int m = 4;
            double[] g = new double[n * n];
            for (int i = 0; i < g.length; i++) g[i] = random.nextDouble(-1, 1);
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = i == j ? 0.1 : 0;
                    for (int k = 0; k < n; k++) s += g[i * n + k] * g[j * n + k];
                    a[i * n + j] = s;
                }
            }
            double[] b = new double[n * m];
            for (int i = 0; i < b.length; i++) b[i] = random.nextDouble(-1, 1);
            double[] factor = a.clone();
            double[] x = b.clone();
            Cholesky.solveInPlace(factor, n, x, m);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < m; c++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) s += a[i * n + k] * x[k * m + c];
                    assertEquals(b[i * m + c], s, 1e-9, "residual at n = " + n + ", (" + i + ", " + c + ")");
                }
            }
        }
    }

    @Test
    void knownSolution() {
        // [[4, 2], [2, 3]] · [1, -1]ᵀ = [2, -1]ᵀ
        double[] a = {4, 2, 2, 3};
        double[] b = {2, -1};
        Cholesky.solveInPlace(a, 2, b, 1);
        assertEquals(1, b[0], 1e-15);
        assertEquals(-1, b[1], 1e-15);
    }

    @Test
    void refusesAnIndefiniteMatrix() {
        assertThrows(IllegalArgumentException.class, () -> Cholesky.solveInPlace(new double[] {1, 2, 2, 1}, 2,
                new double[] {1, 1}, 1));
    }
}
