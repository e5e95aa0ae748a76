package org.rnnclust.backend.cpu;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The SGEMM of the deterministic mode: C = alpha·op(A)·op(B) + beta·C (row-major, as
 * {@link OpenBlas#sgemm}), each element summed over p in one fixed order,
 *
 * <pre>
 *   acc = 0;  for p = 0 .. k-1:  acc = acc + op(A)[i][p] · op(B)[p][j]    (product rounded, then sum)
 *   if alpha != 1: acc = alpha · acc
 *   C[i][j] = beta == 0 ? acc : beta == 1 ? C[i][j] + acc : beta · C[i][j] + acc
 * </pre>
 *
 * so that its bits depend on neither the CPU nor the library's kernel choice nor how the caller
 * splits C into blocks. OpenBLAS picks a kernel per CPU at run time, and its kernels order and
 * fuse the sums differently; training amplifies the last-bit differences into other models.
 *
 * <p>It runs in the native library (native/cpu/gemm.c: register tiles with the vector lanes across
 * columns, no multiply-add contraction) where that loaded, and otherwise here, in plain Java (the
 * JIT contracts no multiply-add either): the two agree to the bit ({@code FixedOrderGemmTest}).
 * The Java version copies its operands into heap arrays and is meant as the fallback and the
 * reference, not for speed.
 */
final class FixedOrderGemm {
    private FixedOrderGemm() {}

    /** Same arguments as {@link OpenBlas#sgemm}: the pointers' positions are the first elements. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
                      FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (m == 0 || n == 0) return;
        if (NativeCpu.available()) {
            if (!NativeCpu.fixedOrderGemm(transA, transB, m, n, k, alpha, address(a), lda, address(b), ldb, beta,
                    address(c), ldc)) {
                throw new OutOfMemoryError("fixed-order GEMM: no native memory for a " + n + " x " + k
                        + " transposed operand");
            }
            return;
        }
        inJava(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /** The native address of a pointer's current position (for the JNI kernels). */
    static long address(FloatPointer p) {
        return p.address() + p.position() * Float.BYTES;
    }

    /** The Java twin of native/cpu/gemm.c; package-private for the parity test. */
    static void inJava(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
                       FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        // op(A) as m rows of k, op(B) as k rows of n: copies change no value.
        float[] opA = rowsOf(a, transA, m, k, lda);
        float[] opB = rowsOf(b, transB, k, n, ldb);
        float[] acc = new float[n];
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(acc, 0f);
            for (int p = 0; p < k; p++) {
                float av = opA[i * k + p];
                int base = p * n;
                for (int j = 0; j < n; j++) acc[j] = acc[j] + av * opB[base + j];
            }
            long at = c.position() + (long) i * ldc;
            if (beta != 0f) new FloatPointer(c).position(at).get(row, 0, n);
            for (int j = 0; j < n; j++) {
                float t = alpha != 1f ? alpha * acc[j] : acc[j];
                row[j] = beta == 0f ? t : beta == 1f ? row[j] + t : beta * row[j] + t;
            }
            new FloatPointer(c).position(at).put(row, 0, n);
        }
    }

    /**
     * op(X) as {@code rows} rows of {@code cols} floats, where X is stored row-major with leading
     * dimension {@code ld}: as op(X) itself, or, when {@code transposed}, as its transpose.
     */
    private static float[] rowsOf(FloatPointer x, boolean transposed, int rows, int cols, int ld) {
        int storedRows = transposed ? cols : rows;
        int storedCols = transposed ? rows : cols;
        float[] stored = new float[storedRows * storedCols];
        for (int r = 0; r < storedRows; r++) {
            new FloatPointer(x).position(x.position() + (long) r * ld).get(stored, r * storedCols, storedCols);
        }
        if (!transposed) return stored;
        float[] out = new float[rows * cols];
        for (int r = 0; r < storedRows; r++) {
            for (int q = 0; q < storedCols; q++) out[q * cols + r] = stored[r * storedCols + q];
        }
        return out;
    }
}
