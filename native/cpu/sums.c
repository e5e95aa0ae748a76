/*
 * Column sums of CpuOps.addColumnSums (the bias gradients: the gate gradients of every step and
 * batch row, summed per gate), called through JNI by NativeCpu. Its Java twin is the loop in
 * CpuOps.addColumnSumsImpl, and this computes the same bits: each column is summed in float over
 * blocks of 64 rows in row order, the block sums are added in double, and the total joins dst in
 * double, rounded once. Vector lanes run across columns, so no sum changes order.
 *
 * Why native: the Java loop copies every row into an array before adding it (a FloatBuffer has
 * no vector add), two passes over a [T·B, G·H] matrix that at B,T,H = 256,28,128 is 15 MB: a
 * tenth of a GRU training step.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>

#include "isa.h"

#define F(addr) ((float *) (intptr_t) (addr))
#define ROW_BLOCK 64

ISA_BODY void column_sums(int rows, int cols, const float *src, int ld, float *dst, float *block, double *acc) {
    for (int j = 0; j < cols; j++) acc[j] = 0.0;
    for (int r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
        int r1 = rows - r0 < ROW_BLOCK ? rows : r0 + ROW_BLOCK;
        for (int j = 0; j < cols; j++) block[j] = 0.0f;
        for (int r = r0; r < r1; r++) {
            const float *row = src + (size_t) r * ld;
            for (int j = 0; j < cols; j++) block[j] = block[j] + row[j];
        }
        for (int j = 0; j < cols; j++) acc[j] = acc[j] + (double) block[j];
    }
    for (int j = 0; j < cols; j++) dst[j] = (float) ((double) dst[j] + acc[j]);
}

#define SUMS_PARAMS (int rows, int cols, const float *src, int ld, float *dst, float *block, double *acc)
#define SUMS_ARGS (rows, cols, src, ld, dst, block, acc)
ISA_VARIANTS(column_sums, SUMS_PARAMS, SUMS_ARGS)

/* This thread's block and running sums, grown to the widest call it has seen. */
static __thread float *blockSums;
static __thread double *runningSums;
static __thread size_t sumsCapacity;

/* dst[j] += Σ_r src[r·ld + j] for j < cols, r < rows. False when memory ran out (dst untouched). */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_columnSums(
        JNIEnv *env, jclass cls, jint rows, jint cols, jlong src, jint ld, jlong dst) {
    (void) env; (void) cls;
    if ((size_t) cols > sumsCapacity) {
        float *b = realloc(blockSums, (size_t) cols * sizeof(float));
        if (!b) return JNI_FALSE;
        blockSums = b;
        double *a = realloc(runningSums, (size_t) cols * sizeof(double));
        if (!a) return JNI_FALSE;
        runningSums = a;
        sumsCapacity = (size_t) cols;
    }
    column_sums_isa(rows, cols, F(src), ld, F(dst), blockSums, runningSums);
    return JNI_TRUE;
}
