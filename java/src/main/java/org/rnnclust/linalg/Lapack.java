package org.rnnclust.linalg;

import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import org.bytedeco.openblas.global.openblas;

/**
 * The LAPACK and double-precision BLAS calls of the host linear algebra (PCA, the spectral
 * embeddings), through OpenBLAS's JavaCPP presets, the library the CPU backend also uses for its
 * GEMM. Double precision: these matrices are small (at most a few thousand rows) and eigenvectors
 * of close eigenvalues need the digits.
 */
public final class Lapack {
    private Lapack() {}

    /** Eigenpairs of a symmetric matrix, largest eigenvalue first. */
    public record Eigen(int n, int count, double[] values, double[] vectors) {
        /** Component {@code i} of eigenvector {@code j} ({@code vectors} is n × count, row-major). */
        public double vector(int i, int j) {
            return vectors[i * count + j];
        }
    }

    /** The Gram matrix AᵀA (d × d, both triangles filled) of a row-major n × d matrix A. */
    public static double[] gramOfColumns(double[] a, int n, int d) {
        return gram(a, n, d, true);
    }

    /** The Gram matrix AAᵀ (n × n, both triangles filled) of a row-major n × d matrix A. */
    public static double[] gramOfRows(double[] a, int n, int d) {
        return gram(a, n, d, false);
    }

    /** dsyrk's upper triangle of AᵀA ({@code ofColumns}) or AAᵀ, mirrored into the lower one. */
    private static double[] gram(double[] a, int n, int d, boolean ofColumns) {
        int size = ofColumns ? d : n;
        double[] c = new double[size * size];
        openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper,
                ofColumns ? openblas.CblasTrans : openblas.CblasNoTrans, size, ofColumns ? n : d, 1.0, a, d,
                0.0, c, size);
        mirrorUpper(c, size);
        return c;
    }

    private static void mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
        }
    }

    /**
     * The {@code count} largest eigenpairs of the symmetric n × n matrix {@code a} (row-major; its
     * upper triangle is read and {@code a} is overwritten), by LAPACK's dsyevr (relatively robust
     * representations, which computes only the requested pairs).
     */
    public static Eigen largestEigen(double[] a, int n, int count) {
        if (count < 1 || count > n) throw new IllegalArgumentException("count " + count + " not in 1.." + n);
        double[] w = new double[n];
        double[] z = new double[n * count];
        int[] found = new int[1];
        int[] support = new int[2 * Math.max(1, count)];
        int info = openblas.LAPACKE_dsyevr(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'I', (byte) 'U', n, a, n, 0, 0,
                n - count + 1, n, 0.0, found, w, z, count, support);
        if (info != 0 || found[0] != count) {
            throw new ArithmeticException("LAPACK dsyevr failed (info " + info + ", " + found[0] + " of " + count
                    + " eigenpairs)");
        }
        // dsyevr returns ascending order; callers want the largest first.
        double[] values = new double[count];
        double[] vectors = new double[n * count];
        for (int j = 0; j < count; j++) {
            int src = count - 1 - j;
            values[j] = w[src];
            for (int i = 0; i < n; i++) vectors[i * count + j] = z[i * count + src];
        }
        return new Eigen(n, count, values, vectors);
    }
}
