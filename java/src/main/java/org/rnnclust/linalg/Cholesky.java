package org.rnnclust.linalg;

/**
 * Solves A·X = B for a small symmetric positive definite A by its Cholesky factor, in Java double
 * precision and a fixed order (the same bits on every machine), for the many tiny systems where a
 * LAPACK call would cost more than the arithmetic.
 */
public final class Cholesky {
    private Cholesky() {}

    /**
     * Overwrites {@code a} (n × n, row-major; only its lower triangle is read) with its Cholesky
     * factor L and {@code b} (n × m, row-major) with the solution X.
     *
     * @throws IllegalArgumentException when {@code a} is not positive definite
     */
    public static void solveInPlace(double[] a, int n, double[] b, int m) {
        if (a.length < n * n || b.length < n * m) throw new IllegalArgumentException("arrays too short for n = " + n);
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int k = 0; k < j; k++) diag -= a[j * n + k] * a[j * n + k];
            if (!(diag > 0)) throw new IllegalArgumentException("matrix not positive definite (pivot " + j + ")");
            double l = Math.sqrt(diag);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
        // L·Y = B, then Lᵀ·X = Y.
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
                double f = a[i * n + k];
                for (int c = 0; c < m; c++) b[i * m + c] -= f * b[k * m + c];
            }
            double d = a[i * n + i];
            for (int c = 0; c < m; c++) b[i * m + c] /= d;
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int k = i + 1; k < n; k++) {
                double f = a[k * n + i];
                for (int c = 0; c < m; c++) b[i * m + c] -= f * b[k * m + c];
            }
            double d = a[i * n + i];
            for (int c = 0; c < m; c++) b[i * m + c] /= d;
        }
    }
}
