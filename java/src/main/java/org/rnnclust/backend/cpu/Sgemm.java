package org.rnnclust.backend.cpu;

import org.bytedeco.javacpp.FloatPointer;

/**
 * The single-threaded SGEMM under every product of the CPU backend (its ops' GEMM blocks and the
 * k-means distances): OpenBLAS, or, in the deterministic mode, {@link FixedOrderGemm}. Arguments as
 * {@link OpenBlas#sgemm}.
 */
@FunctionalInterface
interface Sgemm {
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
               FloatPointer b, int ldb, float beta, FloatPointer c, int ldc);

    /** The deterministic mode's: {@link FixedOrderGemm}. */
    Sgemm FIXED_ORDER = FixedOrderGemm::sgemm;
    /** The default mode's: OpenBLAS. */
    Sgemm OPENBLAS = OpenBlas::sgemm;

    static Sgemm of(boolean deterministic) {
        return deterministic ? FIXED_ORDER : OPENBLAS;
    }
}
