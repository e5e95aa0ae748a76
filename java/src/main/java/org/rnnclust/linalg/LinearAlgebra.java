package org.rnnclust.linalg;

import java.util.function.ToIntFunction;

/**
 * The dense double-precision linear algebra of the host computations (PCA, k-Shape's shape
 * extraction, the spectral embeddings): Gram matrices and the largest eigenpairs of a symmetric
 * matrix. Two implementations compute the same function:
 *
 * <ul>
 *   <li>{@link #lapack()}: OpenBLAS's dsyrk and LAPACK's dsyevr, fast and multithreaded. OpenBLAS
 *       picks its kernel per CPU at run time, so the last bits, and through them a clustering
 *       built on the result, can differ from one machine to the next.
 *   <li>{@link #fixedOrder()}: plain Java with every sum taken in one fixed order and no fused
 *       multiply-add, the same bits on any machine: the deterministic mode's.
 * </ul>
 */
public interface LinearAlgebra {
    /** OpenBLAS and LAPACK. */
    static LinearAlgebra lapack() {
        return Lapack.INSTANCE;
    }

    /** The fixed-order Java implementation ({@link FixedOrderLinearAlgebra}). */
    static LinearAlgebra fixedOrder() {
        return FixedOrderLinearAlgebra.INSTANCE;
    }

    /** The deterministic mode's implementation when {@code deterministic}, else LAPACK's. */
    static LinearAlgebra of(boolean deterministic) {
        return deterministic ? fixedOrder() : lapack();
    }

    /**
     * The largest eigenvalues of a symmetric matrix, largest first, and the unit eigenvectors of the
     * first {@link #vectorCount} of them.
     *
     * @param n       the matrix's order
     * @param values  the eigenvalues, largest first
     * @param vectors n × vectorCount, row-major: column j is the eigenvector of values[j]
     */
    record Eigen(int n, int vectorCount, double[] values, double[] vectors) {
        /** Component {@code i} of eigenvector {@code j}. */
        public double vector(int i, int j) {
            return vectors[i * vectorCount + j];
        }
    }

    /** The Gram matrix AᵀA (d × d, both triangles filled) of a row-major n × d matrix A. */
    double[] gramOfColumns(double[] a, int n, int d);

    /** The Gram matrix AAᵀ (n × n, both triangles filled) of a row-major n × d matrix A. */
    double[] gramOfRows(double[] a, int n, int d);

    /**
     * The {@code count} largest eigenvalues of the symmetric n × n matrix {@code a} (row-major, both
     * triangles filled; overwritten), and the eigenvectors of as many of them, from the largest
     * down, as {@code vectors} answers when given the eigenvalues (0 up to count). A caller that
     * decides from the spectrum how many axes to keep, as a PCA does, pays only for those.
     *
     * @throws IllegalArgumentException when count is not in 1..n or the answer not in 0..count
     * @throws ArithmeticException when the decomposition fails
     */
    Eigen largestEigen(double[] a, int n, int count, ToIntFunction<double[]> vectors);

    /** The {@code count} largest eigenpairs of the symmetric n × n matrix {@code a} (overwritten). */
    default Eigen largestEigen(double[] a, int n, int count) {
        return largestEigen(a, n, count, values -> count);
    }

    /** The vector count {@code vectors} gives for {@code values}. */
    static int vectorCount(int count, double[] values, ToIntFunction<double[]> vectors) {
        int k = vectors.applyAsInt(values);
        if (k < 0 || k > count) throw new IllegalArgumentException("cannot take " + k + " eigenvectors of " + count);
        return k;
    }
}
