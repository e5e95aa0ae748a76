/*
 * The fixed-order SGEMM of the deterministic mode, called through JNI by NativeCpu; its Java twin
 * is org.rnnclust.backend.cpu.FixedOrderGemm, which computes the same bits.
 *
 * C = alpha·op(A)·op(B) + beta·C, row-major, where every element is computed in one order that no
 * CPU, kernel choice or blocking changes:
 *
 *     acc = 0;  for p = 0 .. k-1:  acc = acc + op(A)[i][p] · op(B)[p][j]   (product rounded, then sum)
 *     if alpha != 1: acc = alpha · acc
 *     C[i][j] = beta == 0 ? acc : beta == 1 ? C[i][j] + acc : beta · C[i][j] + acc
 *
 * Why: OpenBLAS picks its kernel for the CPU at run time, and its kernels differ in how they split
 * and order the sums over p and in where they fuse a multiply-add, so the same program gives other
 * bits on another machine. Here the vector lanes run across j (columns), never across p, and the
 * build does not contract multiply-adds (-ffp-contract=off), so each level of isa.h, and the Java
 * twin, compute every element exactly as the loop above. Tiles of MR × NR elements keep their sums
 * in registers; the edges take the element loop, which computes the same thing.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>

#include "isa.h"

typedef float v8 __attribute__((vector_size(32)));
/* The same vector, loaded from or stored to any float address. */
typedef float v8u __attribute__((vector_size(32), aligned(4)));

#define MR 4
#define NR 16

#define F(addr) ((float *) (intptr_t) (addr))

/* op(A)[i][p] */
#define A_AT(i, p) (transA ? a[(size_t) (p) * lda + (i)] : a[(size_t) (i) * lda + (p)])

static inline float finish(float acc, float alpha, float beta, float old) {
    if (alpha != 1.0f) acc = alpha * acc;
    if (beta == 0.0f) return acc;
    if (beta == 1.0f) return old + acc;
    return beta * old + acc;
}

/* b: op(B) as k rows of n floats, ldb apart. */
ISA_BODY void gemm_fixed(int transA, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, float beta, float *c, int ldc) {
    int mFull = m - m % MR, nFull = n - n % NR;
    for (int i0 = 0; i0 < mFull; i0 += MR) {
        for (int j0 = 0; j0 < nFull; j0 += NR) {
            v8 s00 = {0}, s01 = {0}, s10 = {0}, s11 = {0}, s20 = {0}, s21 = {0}, s30 = {0}, s31 = {0};
            for (int p = 0; p < k; p++) {
                const float *bp = b + (size_t) p * ldb + j0;
                v8 b0 = *(const v8u *) bp, b1 = *(const v8u *) (bp + 8);
                float a0 = A_AT(i0, p), a1 = A_AT(i0 + 1, p), a2 = A_AT(i0 + 2, p), a3 = A_AT(i0 + 3, p);
                s00 = s00 + b0 * a0; s01 = s01 + b1 * a0;
                s10 = s10 + b0 * a1; s11 = s11 + b1 * a1;
                s20 = s20 + b0 * a2; s21 = s21 + b1 * a2;
                s30 = s30 + b0 * a3; s31 = s31 + b1 * a3;
            }
            v8 sums[MR][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
            for (int r = 0; r < MR; r++) {
                float *cr = c + (size_t) (i0 + r) * ldc + j0;
                float t[NR];
                *(v8u *) t = sums[r][0];
                *(v8u *) (t + 8) = sums[r][1];
                for (int q = 0; q < NR; q++) cr[q] = finish(t[q], alpha, beta, beta == 0.0f ? 0.0f : cr[q]);
            }
        }
    }
    /* The edges: the last n % NR columns of every row, then the last m % MR rows. */
    for (int i = 0; i < m; i++) {
        for (int j = i < mFull ? nFull : 0; j < n; j++) {
            float acc = 0.0f;
            for (int p = 0; p < k; p++) acc = acc + A_AT(i, p) * b[(size_t) p * ldb + j];
            float *cij = c + (size_t) i * ldc + j;
            *cij = finish(acc, alpha, beta, beta == 0.0f ? 0.0f : *cij);
        }
    }
}

/* The two layouts of A as separate bodies, so that the test on transA leaves the inner loop. */
ISA_BODY void gemm_fixed_n(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                           float beta, float *c, int ldc) {
    gemm_fixed(0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

ISA_BODY void gemm_fixed_t(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                           float beta, float *c, int ldc) {
    gemm_fixed(1, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

ISA_VARIANTS(gemm_fixed_n,
             (int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
              float *c, int ldc),
             (m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))
ISA_VARIANTS(gemm_fixed_t,
             (int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
              float *c, int ldc),
             (m, n, k, alpha, a, lda, b, ldb, beta, c, ldc))

/*
 * op(B) = Bᵀ is copied into this thread's buffer as k rows of n floats first (a copy changes no
 * value); it grows to the largest B the thread has seen and lives as long as the thread.
 */
static __thread float *packed;
static __thread size_t packedCapacity;

static const float *rows_of_op_b(int transB, int n, int k, const float *b, int ldb, int *ldOut) {
    if (!transB) {
        *ldOut = ldb;
        return b;
    }
    size_t need = (size_t) n * (size_t) k;
    if (need > packedCapacity) {
        float *grown = realloc(packed, need * sizeof(float));
        if (!grown) return NULL;
        packed = grown;
        packedCapacity = need;
    }
    for (int j = 0; j < n; j++) {
        const float *col = b + (size_t) j * ldb;
        for (int p = 0; p < k; p++) packed[(size_t) p * n + j] = col[p];
    }
    *ldOut = n;
    return packed;
}

/* Returns false when the buffer for Bᵀ could not be allocated (nothing was written to C). */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_fixedOrderGemm(
        JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k, jfloat alpha, jlong a,
        jint lda, jlong b, jint ldb, jfloat beta, jlong c, jint ldc) {
    (void) env; (void) cls;
    int ldOpB;
    const float *opB = rows_of_op_b(transB, n, k, F(b), ldb, &ldOpB);
    if (!opB) return JNI_FALSE;
    if (transA) {
        gemm_fixed_t_isa(m, n, k, alpha, F(a), lda, opB, ldOpB, beta, F(c), ldc);
    } else {
        gemm_fixed_n_isa(m, n, k, alpha, F(a), lda, opB, ldOpB, beta, F(c), ldc);
    }
    return JNI_TRUE;
}
