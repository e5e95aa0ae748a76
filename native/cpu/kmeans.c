/*
 * The fused assignment step of CPU k-means, called through JNI by NativeCpu for one tile of rows of
 * org.rnnclust.backend.cpu.CpuCentroidIndex: the products ‖c‖² − 2x·c, each row's minimum and its
 * first index, and (optionally) the tile's per-cluster sums and counts, without ever writing the
 * rows × k product matrix.
 *
 * Its Java twin is the index's unfused path with the fixed-order GEMM (FixedOrderGemm, then the
 * scalar argmin): every product here is that GEMM's element, the ordered sum over p of the augmented
 * row [x, 1] times the augmented centroid [−2c, ‖c‖²], each product rounded and then added (the
 * build does not contract multiply-adds); the argmin is CpuCentroidIndex.argmin's (first strict
 * minimum, the value of column 0 when it is NaN). So the three levels of isa.h and the twin give the same bits.
 *
 * Why: the unfused path computes a rows × k tile with OpenBLAS and then reads it back for the
 * argmin; at k = 100 the tile-sized GEMMs run far below the large-square rate and the product
 * matrix makes a round trip through the cache. Here the vector lanes run across rows (points),
 * each centroid coordinate is broadcast, and a register tile of 2 vectors of rows × NC centroids
 * keeps its sums in registers over p; the running minimum per row is a per-lane compare and blend,
 * so no lane is ever reduced across.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isa.h"

#define F(addr) ((float *) (intptr_t) (addr))

typedef float v16 __attribute__((vector_size(64)));
typedef int i16 __attribute__((vector_size(64)));
typedef float v8 __attribute__((vector_size(32)));
typedef int i8 __attribute__((vector_size(32)));

/*
 * The tile's rows transposed (d rows of `pitch` floats, padding rows zero), so that one vector
 * load gives one coordinate of consecutive points. Per thread, grown to the largest tile seen.
 */
static __thread float *transposed;
static __thread size_t transposedCapacity;

/* Rows r0 .. r0+15 (n of them valid, the rest zero) into 16 consecutive floats per coordinate. */
ISA_BODY void transpose16(const float *x, int ld, int n, int d, float *out, int pitch) {
    for (int t = 0; t < d; t++) {
        float *o = out + (size_t) t * pitch;
        for (int i = 0; i < n; i++) o[i] = x[(size_t) i * ld + t];
        for (int i = n; i < 16; i++) o[i] = 0.0f;
    }
}

/* Swaps the off-diagonal b × b blocks of each 2b × 2b block of rows i, i + b (i's bit b clear). */
#define SWAP_BLOCKS(r, b, lo, hi)                                                                    \
    for (int i = 0; i < 16; i++) {                                                                   \
        if (i & (b)) continue;                                                                       \
        v16 a_ = r[i], b_ = r[i + (b)];                                                              \
        r[i] = __builtin_shuffle(a_, b_, lo);                                                        \
        r[i + (b)] = __builtin_shuffle(a_, b_, hi);                                                  \
    }

/*
 * AVX-512: 16 × 16 blocks transposed in registers (four rounds of block swaps, 64 two-source
 * permutes per block); the last d % 16 coordinates and a short last row group by the plain loop.
 */
__attribute__((target("arch=x86-64-v4"))) static void transpose16_v4(const float *x, int ld, int n, int d,
                                                                        float *out, int pitch) {
    if (n < 16) { transpose16(x, ld, n, d, out, pitch); return; }
    /* Lane j of row i after the swap at scale b: from row i (bit b of j clear) or row i + b. */
    const i16 lo8 = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23};
    const i16 hi8 = {8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31};
    const i16 lo4 = {0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27};
    const i16 hi4 = {4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31};
    const i16 lo2 = {0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29};
    const i16 hi2 = {2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31};
    const i16 lo1 = {0, 16, 2, 18, 4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14, 30};
    const i16 hi1 = {1, 17, 3, 19, 5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15, 31};
    int t0 = 0;
    for (; t0 + 16 <= d; t0 += 16) {
        v16 r[16];
        for (int i = 0; i < 16; i++) memcpy(&r[i], x + (size_t) i * ld + t0, sizeof r[i]);
        SWAP_BLOCKS(r, 8, lo8, hi8)
        SWAP_BLOCKS(r, 4, lo4, hi4)
        SWAP_BLOCKS(r, 2, lo2, hi2)
        SWAP_BLOCKS(r, 1, lo1, hi1)
        for (int i = 0; i < 16; i++) *(v16 *) (out + (size_t) (t0 + i) * pitch) = r[i];
    }
    if (t0 < d) transpose16(x + t0, ld, n, d - t0, out + (size_t) t0 * pitch, pitch);
}

static float *transposed_tile(const float *x, int ld, int rows, int d, int pitch) {
    size_t need = (size_t) d * (size_t) pitch;
    if (need > transposedCapacity) {
        /* 64-byte aligned, and pitch is a whole number of vectors: every load is aligned. */
        float *bigger = aligned_alloc(64, (need * sizeof(float) + 63) / 64 * 64);
        if (!bigger) return NULL;
        free(transposed);
        transposed = bigger;
        transposedCapacity = need;
    }
    /* 16 rows at a time: their few lines stay in L1 while each coordinate is written as one
       whole cache line (a column at a time would thrash the cache when pitch is a power of 2). */
    int v4 = rnnclust_isa_level() == ISA_V4;
    for (int r0 = 0; r0 < pitch; r0 += 16) {
        int n = rows - r0 < 16 ? (rows > r0 ? rows - r0 : 0) : 16;
        const float *from = x + (size_t) (n > 0 ? r0 : 0) * ld;
        if (v4) transpose16_v4(from, ld, n, d, transposed + r0, pitch);
        else transpose16(from, ld, n, d, transposed + r0, pitch);
    }
    return transposed;
}

/*
 * One body per vector width, written once: VEC/IVEC the float and int vectors of LANES lanes;
 * a row block is RV vectors (RV·LANES points), a panel NC centroids (RV·NC sums in registers).
 */
#define KMEANS_BODIES(SUFFIX, VEC, IVEC, LANES, RV, NC, CASES)                                                     \
    /* Sums of the rows of block xt (RV vectors at each coordinate, pitch apart) against centroids       \
       j0 .. j0+nc-1 of c (ld apart, augmented), folded into the running minima. */                      \
    ISA_BODY void panel_##SUFFIX(const float *xt, int pitch, int d, const float *c, int ld, int j0,         \
                                 const int nc, VEC *best, IVEC *at) {                                      \
        VEC s[RV][NC];                                                                                     \
        _Pragma("GCC unroll 16") for (int q = 0; q < nc; q++)                                              \
            _Pragma("GCC unroll 4") for (int v = 0; v < RV; v++) s[v][q] = (VEC){0};                      \
        for (int p = 0; p < d; p++) {                                                                      \
            VEC x[RV];                                                                                     \
            _Pragma("GCC unroll 4") for (int v = 0; v < RV; v++)                                          \
                x[v] = *(const VEC *) (xt + (size_t) p * pitch + v * LANES);                               \
            _Pragma("GCC unroll 16") for (int q = 0; q < nc; q++) {                                        \
                float cq = c[(size_t) (j0 + q) * ld + p];                                                  \
                _Pragma("GCC unroll 4") for (int v = 0; v < RV; v++) s[v][q] = s[v][q] + x[v] * cq;       \
            }                                                                                              \
        }                                                                                                  \
        _Pragma("GCC unroll 16") for (int q = 0; q < nc; q++) {                                            \
            /* The augmented coordinate: 1 · ‖c‖², exactly ‖c‖². */                                       \
            float norm = c[(size_t) (j0 + q) * ld + d];                                                    \
            int j = j0 + q;                                                                                \
            _Pragma("GCC unroll 4") for (int v = 0; v < RV; v++) {                                        \
                VEC value = s[v][q] + norm;                                                                \
                if (j == 0) {                                                                              \
                    /* Column 0 starts the minimum, NaN included, as the Java argmin does. */              \
                    best[v] = value; at[v] = (IVEC){0};                                                    \
                } else {                                                                                   \
                    IVEC less = value < best[v];                                                           \
                    best[v] = (VEC) (((IVEC) value & less) | ((IVEC) best[v] & ~less));                    \
                    at[v] = (j & less) | (at[v] & ~less);                                                  \
                }                                                                                          \
            }                                                                                              \
        }                                                                                                  \
    }                                                                                                      \
                                                                                                           \
    ISA_BODY void assign_##SUFFIX(const float *xt, int pitch, int rows, int d, const float *c, int ld,      \
                                  int k, jint *nearest, jfloat *minimum) {                                 \
        for (int r0 = 0; r0 < rows; r0 += RV * LANES) {                                                    \
            const float *block = xt + r0;                                                                  \
            VEC best[RV];                                                                                  \
            IVEC at[RV];                                                                                   \
            memset(best, 0, sizeof best); memset(at, 0, sizeof at);                                        \
            /* k in panels of nearly equal width (100 = 12 + 8 × 11, not 8 × 12 + 4): a narrow            \
               last panel would leave most of the registers idle. */                                     \
            int panels = (k + NC - 1) / NC, base = k / panels, wider = k % panels, j0 = 0;                 \
            for (int w = 0; w < panels; w++) {                                                             \
                int nc = base + (w < wider);                                                               \
                switch (nc) { CASES }                                                                      \
                j0 += nc;                                                                                  \
            }                                                                                              \
            float value[RV * LANES];                                                                       \
            int index[RV * LANES];                                                                         \
            memcpy(value, best, sizeof best);                                                              \
            memcpy(index, at, sizeof at);                                                                  \
            int n = rows - r0 < RV * LANES ? rows - r0 : RV * LANES;                                       \
            for (int r = 0; r < n; r++) { nearest[r0 + r] = index[r]; minimum[r0 + r] = value[r]; }        \
        }                                                                                                  \
    }

/* One case per panel width, each compiled with its width constant (its sums stay in registers). */
#define PANEL_CASE(SUFFIX, n) case n: panel_##SUFFIX(block, pitch, d, c, ld, j0, n, best, at); break;
#define CASES_6(S) PANEL_CASE(S, 1) PANEL_CASE(S, 2) PANEL_CASE(S, 3) PANEL_CASE(S, 4) PANEL_CASE(S, 5) \
    PANEL_CASE(S, 6)
#define CASES_12(S) CASES_6(S) PANEL_CASE(S, 7) PANEL_CASE(S, 8) PANEL_CASE(S, 9) PANEL_CASE(S, 10)      \
    PANEL_CASE(S, 11) PANEL_CASE(S, 12)

/* Row blocks: 2 vectors of points at either width (block_rows below pads the tile to them). */
#define W16_ROWS (2 * 16)
#define W8_ROWS (2 * 8)
/* AVX-512: 32 points × 12 centroids = 24 of the 32 vector registers. */
KMEANS_BODIES(w16, v16, i16, 16, W16_ROWS / 16, 12, CASES_12(w16))
/* AVX2 (and the baseline): 16 points × 6 centroids = 12 of the 16 vector registers. */
KMEANS_BODIES(w8, v8, i8, 8, W8_ROWS / 8, 6, CASES_6(w8))

#define ASSIGN_PARAMS (const float *xt, int pitch, int rows, int d, const float *c, int ld, int k, jint *nearest, \
                       jfloat *minimum)
#define ASSIGN_ARGS (xt, pitch, rows, d, c, ld, k, nearest, minimum)

__attribute__((target("arch=x86-64-v4"))) static void assign_v4 ASSIGN_PARAMS { assign_w16 ASSIGN_ARGS; }
__attribute__((target("arch=x86-64-v3"))) static void assign_v3 ASSIGN_PARAMS { assign_w8 ASSIGN_ARGS; }
static void assign_v1 ASSIGN_PARAMS { assign_w8 ASSIGN_ARGS; }

/* Rows per transposed block at each level: the tile is padded to a whole block. */
static int block_rows(int level) {
    return level == ISA_V4 ? W16_ROWS : W8_ROWS;
}

/*
 * The tile's sums per cluster, in float, in row order (as CpuCentroidIndex.sumTile adds them: each
 * element its own ordered sum, so vectorising across coordinates changes no bit).
 */
ISA_BODY void sum_tile(const float *x, int ld, int rows, int d, int k, const jint *nearest, jfloat *sums,
                       jlong *counts) {
    memset(sums, 0, (size_t) k * (size_t) d * sizeof(float));
    memset(counts, 0, (size_t) k * sizeof(jlong));
    for (int r = 0; r < rows; r++) {
        int c = nearest[r];
        const float *row = x + (size_t) r * ld;
        float *acc = sums + (size_t) c * d;
        counts[c]++;
        for (int t = 0; t < d; t++) acc[t] = acc[t] + row[t];
    }
}

#define SUM_PARAMS (const float *x, int ld, int rows, int d, int k, const jint *nearest, jfloat *sums, jlong *counts)
#define SUM_ARGS (x, ld, rows, d, k, nearest, sums, counts)
ISA_VARIANTS(sum_tile, SUM_PARAMS, SUM_ARGS)

/*
 * x: the tile's first point of the augmented points (rows of d+1 floats, the last a 1, which is
 * not read); centres: k augmented centroids [−2c, ‖c‖²] of d+1 floats. Writes nearest[offset + r]
 * and minimum[offset + r] (‖c‖² − 2x·c of the nearest); with sums non-null, overwrites
 * sums[sumsAt ..+ k·d) and counts[countsAt ..+ k) with the tile's float sums and counts per cluster.
 * The Java side checks the bounds. Returns false when memory ran out (the transposed tile, or the
 * JVM would not pin an array); the outputs are then not to be used.
 */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_kmeansAssignTile(
        JNIEnv *env, jclass cls, jlong x, jint d, jint rows, jlong centres, jint k, jintArray nearest,
        jfloatArray minimum, jint offset, jfloatArray sums, jint sumsAt, jlongArray counts, jint countsAt) {
    (void) cls;
    int level = rnnclust_isa_level();
    int block = block_rows(level);
    int pitch = (rows + block - 1) / block * block;
    const float *points = F(x);
    const float *xt = transposed_tile(points, d + 1, rows, d, pitch);
    if (!xt) return JNI_FALSE;
    /* The JVM may refuse to pin an array (out of memory): then false, as for the tile. */
    jboolean done = JNI_FALSE;
    jint *idx = (*env)->GetPrimitiveArrayCritical(env, nearest, NULL);
    jfloat *val = idx ? (*env)->GetPrimitiveArrayCritical(env, minimum, NULL) : NULL;
    if (idx && val) {
        switch (level) {
            case ISA_V4: assign_v4(xt, pitch, rows, d, F(centres), d + 1, k, idx + offset, val + offset); break;
            case ISA_V3: assign_v3(xt, pitch, rows, d, F(centres), d + 1, k, idx + offset, val + offset); break;
            default: assign_v1(xt, pitch, rows, d, F(centres), d + 1, k, idx + offset, val + offset); break;
        }
        done = JNI_TRUE;
    }
    if (val) (*env)->ReleasePrimitiveArrayCritical(env, minimum, val, 0);
    if (done && sums) {
        jfloat *s = (*env)->GetPrimitiveArrayCritical(env, sums, NULL);
        jlong *n = s ? (*env)->GetPrimitiveArrayCritical(env, counts, NULL) : NULL;
        if (s && n) sum_tile_isa(points, d + 1, rows, d, k, idx + offset, s + sumsAt, n + countsAt);
        else done = JNI_FALSE;
        if (n) (*env)->ReleasePrimitiveArrayCritical(env, counts, n, 0);
        if (s) (*env)->ReleasePrimitiveArrayCritical(env, sums, s, 0);
    }
    if (idx) (*env)->ReleasePrimitiveArrayCritical(env, nearest, idx, 0);
    return done;
}

/* totals[j] += (double) tile[j] for j < span: one tile's float sums joining the double totals. */
ISA_BODY void fold_sums(jdouble *totals, const jfloat *tile, int span) {
    for (int j = 0; j < span; j++) totals[j] = totals[j] + (double) tile[j];
}

#define FOLD_PARAMS (jdouble *totals, const jfloat *tile, int span)
#define FOLD_ARGS (totals, tile, span)
ISA_VARIANTS(fold_sums, FOLD_PARAMS, FOLD_ARGS)

/*
 * Adds tiles [0, tiles) of tileSums (span floats apart) into totals[0, span), in tile order.
 * False, having added nothing, when the JVM would not pin an array.
 */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_foldTiles(
        JNIEnv *env, jclass cls, jdoubleArray totals, jfloatArray tileSums, jint tiles, jint span) {
    (void) cls;
    jdouble *t = (*env)->GetPrimitiveArrayCritical(env, totals, NULL);
    jfloat *s = t ? (*env)->GetPrimitiveArrayCritical(env, tileSums, NULL) : NULL;
    if (t && s) {
        for (int tile = 0; tile < tiles; tile++) fold_sums_isa(t, s + (size_t) tile * span, span);
    }
    if (s) (*env)->ReleasePrimitiveArrayCritical(env, tileSums, s, 0);
    if (t) (*env)->ReleasePrimitiveArrayCritical(env, totals, t, 0);
    return t && s ? JNI_TRUE : JNI_FALSE;
}
