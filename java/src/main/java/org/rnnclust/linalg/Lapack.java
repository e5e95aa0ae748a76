package org.rnnclust.linalg;

import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import java.util.function.ToIntFunction;
import org.bytedeco.openblas.global.openblas;

/**
 * {@link LinearAlgebra} through OpenBLAS's JavaCPP presets (the library the CPU backend also uses
 * for its GEMM): dsyrk for the Gram matrices, LAPACK's dsyevr for the eigenpairs. Double
 * precision: these matrices are small (at most a few thousand rows) and eigenvectors of close
 * eigenvalues need the digits.
 */
final class Lapack implements LinearAlgebra {
    static final Lapack INSTANCE = new Lapack();

    private Lapack() {}

    @Override
    public double[] gramOfColumns(double[] a, int n, int d) {
        return gram(a, n, d, true);
    }

    @Override
    public double[] gramOfRows(double[] a, int n, int d) {
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

    static void mirrorUpper(double[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) c[i * n + j] = c[j * n + i];
        }
    }

    /**
     * By LAPACK's dsyevr (relatively robust representations), which reads the upper triangle. It
     * computes the eigenvectors of all {@code count} eigenvalues; those asked for are returned.
     */
    @Override
    public Eigen largestEigen(double[] a, int n, int count, ToIntFunction<double[]> vectorsFor) {
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
        for (int j = 0; j < count; j++) values[j] = w[count - 1 - j];
        int kept = LinearAlgebra.vectorCount(count, values, vectorsFor);
        double[] vectors = new double[n * kept];
        for (int j = 0; j < kept; j++) {
            int src = count - 1 - j;
            for (int i = 0; i < n; i++) vectors[i * kept + j] = z[i * count + src];
        }
        return new Eigen(n, kept, values, vectors);
    }
}
