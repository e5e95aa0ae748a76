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
 * in registers; the last rows and columns are computed in tiles padded with zeros, and the padding
 * is never written.
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

static inline float finish(float acc, float alpha, float beta, float old) {
    if (alpha != 1.0f) acc = alpha * acc;
    if (beta == 0.0f) return acc;
    if (beta == 1.0f) return old + acc;
    return beta * old + acc;
}

/*
 * Sums over p are cut into blocks of KC, so that a tile's slices of A and B stay in cache across
 * the tiles that share them (the weight gradients have k = T·B, thousands). Between blocks a tile's
 * running sums wait in `partial`, as floats: the next block continues them, so each element is
 * still the one ordered sum above.
 */
#define KC 256

/* op(A)[i][p] of an A stored as given (transposed or not) with leading dimension lda. */
#define A_OF(t, x, ld, i, p) ((t) ? (x)[(size_t) (p) * (ld) + (i)] : (x)[(size_t) (i) * (ld) + (p)])

/*
 * One MR × NR tile over p in [p0, p1): rows ai.. of op(A), columns bj.. of op(B) (k rows, ldb
 * apart). Starts from zero (first) or from `running`; ends in `running`, or (last) in the first
 * `rows` × `cols` elements of C.
 */
ISA_BODY void tile(int transA, const float *a, int lda, int ai, const float *b, int ldb, int bj, int p0, int p1,
                   int first, int last, float *running, int ldr, float *c, int ldc, int rows, int cols,
                   float alpha, float beta) {
    v8 s00 = {0}, s01 = {0}, s10 = {0}, s11 = {0}, s20 = {0}, s21 = {0}, s30 = {0}, s31 = {0};
    if (!first) {
        s00 = *(const v8u *) running;             s01 = *(const v8u *) (running + 8);
        s10 = *(const v8u *) (running + ldr);     s11 = *(const v8u *) (running + ldr + 8);
        s20 = *(const v8u *) (running + 2 * ldr); s21 = *(const v8u *) (running + 2 * ldr + 8);
        s30 = *(const v8u *) (running + 3 * ldr); s31 = *(const v8u *) (running + 3 * ldr + 8);
    }
    for (int p = p0; p < p1; p++) {
        const float *bp = b + (size_t) p * ldb + bj;
        v8 b0 = *(const v8u *) bp, b1 = *(const v8u *) (bp + 8);
        float a0 = A_OF(transA, a, lda, ai, p), a1 = A_OF(transA, a, lda, ai + 1, p);
        float a2 = A_OF(transA, a, lda, ai + 2, p), a3 = A_OF(transA, a, lda, ai + 3, p);
        s00 = s00 + b0 * a0; s01 = s01 + b1 * a0;
        s10 = s10 + b0 * a1; s11 = s11 + b1 * a1;
        s20 = s20 + b0 * a2; s21 = s21 + b1 * a2;
        s30 = s30 + b0 * a3; s31 = s31 + b1 * a3;
    }
    v8 sums[MR][2] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
    for (int r = 0; r < MR; r++) {
        if (!last) {
            *(v8u *) (running + (size_t) r * ldr) = sums[r][0];
            *(v8u *) (running + (size_t) r * ldr + 8) = sums[r][1];
        } else if (r < rows) {
            float *cr = c + (size_t) r * ldc;
            float t[NR];
            *(v8u *) t = sums[r][0];
            *(v8u *) (t + 8) = sums[r][1];
            for (int q = 0; q < cols; q++) cr[q] = finish(t[q], alpha, beta, beta == 0.0f ? 0.0f : cr[q]);
        }
    }
}

/*
 * b: op(B) as k rows of n floats, ldb apart. Edges: the last n % NR columns of op(B) come padded
 * with zero columns in bEdge (k rows of NR), the last m % MR rows of op(A) padded with zero rows
 * in aEdge (stored transposed: k rows of MR); a padded element is computed and never written.
 * partial: a running sum per element of the padded C (rounded up to whole tiles), when k > KC.
 */
ISA_BODY void gemm_fixed(int transA, int m, int n, int k, float alpha, const float *a, int lda,
                         const float *b, int ldb, const float *aEdge, const float *bEdge, float beta, float *c,
                         int ldc, float *partial) {
    int rowTiles = (m + MR - 1) / MR, colTiles = (n + NR - 1) / NR;
    int mFull = m / MR, nFull = n / NR;
    int ldr = colTiles * NR;
    for (int p0 = 0; p0 < k || p0 == 0; p0 += KC) {
        int p1 = k - p0 < KC ? k : p0 + KC;
        int first = p0 == 0, last = p1 == k;
        for (int ti = 0; ti < rowTiles; ti++) {
            int edgeRow = ti == mFull, rows = edgeRow ? m - ti * MR : MR;
            for (int tj = 0; tj < colTiles; tj++) {
                int edgeCol = tj == nFull, cols = edgeCol ? n - tj * NR : NR;
                float *running = first && last ? NULL : partial + (size_t) ti * MR * ldr + (size_t) tj * NR;
                float *ct = c + (size_t) ti * MR * ldc + (size_t) tj * NR;
                const float *bt = edgeCol ? bEdge : b;
                int ldbt = edgeCol ? NR : ldb, bj = edgeCol ? 0 : tj * NR;
                if (edgeRow) {
                    tile(1, aEdge, MR, 0, bt, ldbt, bj, p0, p1, first, last, running, ldr, ct, ldc, rows, cols,
                         alpha, beta);
                } else {
                    tile(transA, a, lda, ti * MR, bt, ldbt, bj, p0, p1, first, last, running, ldr, ct, ldc, rows,
                         cols, alpha, beta);
                }
            }
        }
    }
}

/* The two layouts of A as separate bodies, so that the test on transA leaves the inner loop. */
ISA_BODY void gemm_fixed_n(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                           const float *aEdge, const float *bEdge, float beta, float *c, int ldc, float *partial) {
    gemm_fixed(0, m, n, k, alpha, a, lda, b, ldb, aEdge, bEdge, beta, c, ldc, partial);
}

ISA_BODY void gemm_fixed_t(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                           const float *aEdge, const float *bEdge, float beta, float *c, int ldc, float *partial) {
    gemm_fixed(1, m, n, k, alpha, a, lda, b, ldb, aEdge, bEdge, beta, c, ldc, partial);
}

#define GEMM_PARAMS (int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, \
                     const float *aEdge, const float *bEdge, float beta, float *c, int ldc, float *partial)
#define GEMM_ARGS (m, n, k, alpha, a, lda, b, ldb, aEdge, bEdge, beta, c, ldc, partial)
ISA_VARIANTS(gemm_fixed_n, GEMM_PARAMS, GEMM_ARGS)
ISA_VARIANTS(gemm_fixed_t, GEMM_PARAMS, GEMM_ARGS)

/*
 * This thread's buffers: op(B) = Bᵀ copied as k rows of n floats (a copy changes no value), the
 * zero-padded edges of op(A) and op(B), and the running sums between blocks of p; the panel
 * kernels below use them in the same roles (op(B) in panels, A's edge, B's edge, running sums).
 * No call uses another's, so one set serves all. Each grows to the largest the thread has needed
 * and lives as long as the thread.
 */
static __thread float *packed, *partialSums, *edgeA, *edgeB;
static __thread size_t packedCapacity, partialCapacity, edgeACapacity, edgeBCapacity;

static float *grown(float **buffer, size_t *capacity, size_t need) {
    if (need > *capacity) {
        float *bigger = realloc(*buffer, need * sizeof(float));
        if (!bigger) return NULL;
        *buffer = bigger;
        *capacity = need;
    }
    return *buffer;
}

/*
 * Columns [n - n % width, n) of a k-row matrix x (ld apart), zero-padded to `width`, as k rows of
 * width floats in this thread's *buffer: a matrix's last, partial tile of columns. NULL when
 * memory ran out.
 */
static float *last_columns(const float *x, int ld, int k, int n, int width, float **buffer, size_t *capacity) {
    float *out = grown(buffer, capacity, (size_t) k * width + 1);
    if (!out) return NULL;
    int first = n - n % width;
    for (int p = 0; p < k; p++) {
        for (int q = 0; q < width; q++) {
            out[(size_t) p * width + q] = first + q < n ? x[(size_t) p * ld + first + q] : 0.0f;
        }
    }
    return out;
}

static const float *rows_of_op_b(int transB, int n, int k, const float *b, int ldb, int *ldOut) {
    if (!transB) {
        *ldOut = ldb;
        return b;
    }
    if (!grown(&packed, &packedCapacity, (size_t) n * (size_t) k)) return NULL;
    for (int j = 0; j < n; j++) {
        const float *col = b + (size_t) j * ldb;
        for (int p = 0; p < k; p++) packed[(size_t) p * n + j] = col[p];
    }
    *ldOut = n;
    return packed;
}

/* Returns false when a buffer could not be allocated (nothing was written to C). */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_fixedOrderGemm(
        JNIEnv *env, jclass cls, jboolean transA, jboolean transB, jint m, jint n, jint k, jfloat alpha, jlong a,
        jint lda, jlong b, jint ldb, jfloat beta, jlong c, jint ldc) {
    (void) env; (void) cls;
    int ldOpB;
    const float *opB = rows_of_op_b(transB, n, k, F(b), ldb, &ldOpB);
    if (!opB) return JNI_FALSE;
    const float *pa = F(a);
    size_t rowsPadded = (size_t) (m + MR - 1) / MR * MR, colsPadded = (size_t) (n + NR - 1) / NR * NR;
    float *partial = NULL, *aEdge = NULL, *bEdge = NULL;
    if (k > KC && !(partial = grown(&partialSums, &partialCapacity, rowsPadded * colsPadded))) return JNI_FALSE;
    if (m % MR) {
        /* op(A)'s last rows, transposed: k rows of MR, zeros past m. */
        if (!(aEdge = grown(&edgeA, &edgeACapacity, (size_t) k * MR + 1))) return JNI_FALSE;
        int first = m - m % MR;
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < MR; r++) {
                int i = first + r;
                aEdge[(size_t) p * MR + r] = i < m ? (transA ? pa[(size_t) p * lda + i] : pa[(size_t) i * lda + p]) : 0.0f;
            }
        }
    }
    /* op(B)'s last columns: k rows of NR, zeros past n. */
    if (n % NR && !(bEdge = last_columns(opB, ldOpB, k, n, NR, &edgeB, &edgeBCapacity))) return JNI_FALSE;
    if (transA) {
        gemm_fixed_t_isa(m, n, k, alpha, pa, lda, opB, ldOpB, aEdge, bEdge, beta, F(c), ldc, partial);
    } else {
        gemm_fixed_n_isa(m, n, k, alpha, pa, lda, opB, ldOpB, aEdge, bEdge, beta, F(c), ldc, partial);
    }
    return JNI_TRUE;
}

/*
 * The per-step GEMMs of a recurrence: C = alpha·A·B + beta·C where B (a weight matrix) is the same
 * at every time step and A (the batch's states or gate gradients) is new at each. OpenBLAS packs
 * both operands into its own layout at every call; in a training step that repacking of B, cold
 * from cache each time, cost about a third of the per-step GEMMs' time (perf, LSTM 256,28,28,128).
 * Here B is laid out once per sequence (pack_panels, NativeCpu.stepPack) in panels of PANEL
 * columns, each k rows of PANEL floats, zero-padded past n, and every step reads it contiguously
 * (step_gemm). The same kernel serves tall products with a small B (NativeCpu.tallGemm), which
 * pack B once per call.
 *
 * Two arithmetics, one body:
 *  - fixed: each element is the fixed-order sum of the comment at the top of this file, bit for
 *    bit what gemm_fixed computes (and FixedOrderGemm in Java): the deterministic mode's;
 *  - fused: the same order with each multiply-add contracted to one FMA where the CPU has it, as
 *    OpenBLAS's kernels do: the default mode's.
 */
#define PANEL 32
#define PANEL_ROWS 12

typedef float v16 __attribute__((vector_size(64)));
typedef float v16u __attribute__((vector_size(64), aligned(4)));

/*
 * PANEL_ROWS rows of A (lda apart) times one panel of B (k rows of PANEL floats) into rows × cols
 * elements of C. The 2 × PANEL_ROWS sums stay in vector registers, 24 of AVX-512's 32: the tile is
 * made for x86-64-v4, and CpuOps lays operands out for it only there (gcc splits 16-float vectors
 * badly at the lower levels, which compute the same bits, slowly, for the tests that pin them).
 */
ISA_BODY void step_tile(const float *a, int lda, const float *panel, int k, float *c, int ldc, int rows, int cols,
                        float alpha, float beta) {
    v16 s[PANEL_ROWS][2];
    for (int r = 0; r < PANEL_ROWS; r++) s[r][0] = s[r][1] = (v16) {0};
    for (int p = 0; p < k; p++) {
        v16 b0 = *(const v16u *) (panel + (size_t) p * PANEL), b1 = *(const v16u *) (panel + (size_t) p * PANEL + 16);
#pragma GCC unroll 12
        for (int r = 0; r < PANEL_ROWS; r++) {
            float av = a[(size_t) r * lda + p];
            s[r][0] = s[r][0] + b0 * av;
            s[r][1] = s[r][1] + b1 * av;
        }
    }
    for (int r = 0; r < rows; r++) {
        float *cr = c + (size_t) r * ldc;
        if (cols == PANEL) {
            /* finish() element by element, in vectors: the same operations in the same order. */
            v16 t0 = s[r][0], t1 = s[r][1];
            if (alpha != 1.0f) { t0 = alpha * t0; t1 = alpha * t1; }
            if (beta == 1.0f) {
                t0 = *(const v16u *) cr + t0;
                t1 = *(const v16u *) (cr + 16) + t1;
            } else if (beta != 0.0f) {
                t0 = beta * *(const v16u *) cr + t0;
                t1 = beta * *(const v16u *) (cr + 16) + t1;
            }
            *(v16u *) cr = t0;
            *(v16u *) (cr + 16) = t1;
        } else {
            float t[PANEL];
            *(v16u *) t = s[r][0];
            *(v16u *) (t + 16) = s[r][1];
            for (int q = 0; q < cols; q++) cr[q] = finish(t[q], alpha, beta, beta == 0.0f ? 0.0f : cr[q]);
        }
    }
}

/* aEdge: A's last m % PANEL_ROWS rows, zero-padded to PANEL_ROWS rows of k (lda = k). */
ISA_BODY void step_gemm(int m, int n, int k, float alpha, const float *a, int lda, const float *packedB,
                        const float *aEdge, float beta, float *c, int ldc) {
    int fullRows = m - m % PANEL_ROWS;
    for (int j0 = 0; j0 < n; j0 += PANEL) {
        const float *panel = packedB + (size_t) j0 * k;
        int cols = n - j0 < PANEL ? n - j0 : PANEL;
        for (int i = 0; i < fullRows; i += PANEL_ROWS) {
            step_tile(a + (size_t) i * lda, lda, panel, k, c + (size_t) i * ldc + j0, ldc, PANEL_ROWS, cols,
                      alpha, beta);
        }
        if (fullRows < m) {
            step_tile(aEdge, k, panel, k, c + (size_t) fullRows * ldc + j0, ldc, m - fullRows, cols, alpha, beta);
        }
    }
}

#define STEP_PARAMS (int m, int n, int k, float alpha, const float *a, int lda, const float *packedB, \
                     const float *aEdge, float beta, float *c, int ldc)
#define STEP_ARGS (m, n, k, alpha, a, lda, packedB, aEdge, beta, c, ldc)
ISA_VARIANTS(step_gemm, STEP_PARAMS, STEP_ARGS)
ISA_VARIANTS_CONTRACTED(step_gemm, STEP_PARAMS, STEP_ARGS)

/* op(B) (k × n; B itself n × k, ldb apart, when transposed) into panels at dst: ceil(n / PANEL) · PANEL · k floats. */
static void pack_panels(int transB, int k, int n, const float *pb, int ldb, float *dst) {
    for (int j0 = 0; j0 < n; j0 += PANEL) {
        float *panel = dst + (size_t) j0 * k;
        int cols = n - j0 < PANEL ? n - j0 : PANEL;
        if (transB) {
            for (int q = 0; q < cols; q++) {
                const float *row = pb + (size_t) (j0 + q) * ldb;
                for (int p = 0; p < k; p++) panel[(size_t) p * PANEL + q] = row[p];
            }
        } else {
            for (int p = 0; p < k; p++) {
                const float *row = pb + (size_t) p * ldb + j0;
                for (int q = 0; q < cols; q++) panel[(size_t) p * PANEL + q] = row[q];
            }
        }
        for (int p = 0; p < k && cols < PANEL; p++) {
            for (int q = cols; q < PANEL; q++) panel[(size_t) p * PANEL + q] = 0.0f;
        }
    }
}

/* The layout NativeCpu.stepGemm reads, at `packed`. */
JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_stepPack(
        JNIEnv *env, jclass cls, jboolean transB, jint k, jint n, jlong b, jint ldb, jlong packed) {
    (void) env; (void) cls;
    pack_panels(transB, k, n, F(b), ldb, F(packed));
}

/* A's last m % PANEL_ROWS rows, zero-padded to PANEL_ROWS rows of k, in this thread's buffer; NULL when none or out of memory (*failed). */
static float *edge_rows(int m, int k, const float *pa, int lda, int *failed) {
    int edgeRows = m % PANEL_ROWS;
    *failed = 0;
    if (!edgeRows) return NULL;
    float *aEdge = grown(&edgeA, &edgeACapacity, (size_t) PANEL_ROWS * k + 1);
    if (!aEdge) { *failed = 1; return NULL; }
    int first = m - edgeRows;
    for (int r = 0; r < PANEL_ROWS; r++) {
        for (int p = 0; p < k; p++) aEdge[(size_t) r * k + p] = r < edgeRows ? pa[(size_t) (first + r) * lda + p] : 0.0f;
    }
    return aEdge;
}

static void step_gemm_in(int fused, int m, int n, int k, float alpha, const float *pa, int lda, const float *packed,
                         const float *aEdge, float beta, float *c, int ldc) {
    if (fused) {
        step_gemm_contracted_isa(m, n, k, alpha, pa, lda, packed, aEdge, beta, c, ldc);
    } else {
        step_gemm_isa(m, n, k, alpha, pa, lda, packed, aEdge, beta, c, ldc);
    }
}

/*
 * C = alpha·A·op(B) + beta·C for a tall A (many rows) and a small op(B) (k × n): the input
 * projection X·W_ihᵀ and the input gradient dG·W_ih of a recurrent layer, over all T·B rows.
 * op(B) is packed once per call into this thread's buffer, and A is read in place. False when
 * memory ran out (C untouched).
 */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_tallGemm(
        JNIEnv *env, jclass cls, jboolean fused, jboolean transB, jint m, jint n, jint k, jfloat alpha, jlong a,
        jint lda, jlong b, jint ldb, jfloat beta, jlong c, jint ldc) {
    (void) env; (void) cls;
    size_t panels = (size_t) (n + PANEL - 1) / PANEL * PANEL * (size_t) k;
    float *panelsOfB = grown(&packed, &packedCapacity, panels + 1);
    if (!panelsOfB) return JNI_FALSE;
    pack_panels(transB, k, n, F(b), ldb, panelsOfB);
    int failed;
    const float *pa = F(a);
    float *aEdge = edge_rows(m, k, pa, lda, &failed);
    if (failed) return JNI_FALSE;
    step_gemm_in(fused, m, n, k, alpha, pa, lda, panelsOfB, aEdge, beta, F(c), ldc);
    return JNI_TRUE;
}

/* C = alpha·A·op(B) + beta·C with op(B) as stepPack left it. False when memory ran out (C untouched). */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_stepGemm(
        JNIEnv *env, jclass cls, jboolean fused, jint m, jint n, jint k, jfloat alpha, jlong a, jint lda, jlong packed,
        jfloat beta, jlong c, jint ldc) {
    (void) env; (void) cls;
    int failed;
    const float *pa = F(a);
    float *aEdge = edge_rows(m, k, pa, lda, &failed);
    if (failed) return JNI_FALSE;
    step_gemm_in(fused, m, n, k, alpha, pa, lda, F(packed), aEdge, beta, F(c), ldc);
    return JNI_TRUE;
}

/*
 * The weight gradients of a recurrent layer: C = alpha·Aᵀ·B + beta·C with A (k × m, the gate
 * gradients of every step and row) and B (k × n, the layer's inputs or entering states) both
 * row-major and k = T·B long. OpenBLAS packs both k-long operands at every call (the transposed
 * one at a third of its kernel's time in an LSTM training step). Here neither is packed: at each
 * p a tile reads PANEL_ROWS consecutive floats of A's row p, broadcast, and one panel of B's row
 * p; k runs in blocks of KT, so that a block of A and B stays in cache across the tiles, and
 * between blocks a tile's running sums wait in `partial` as floats (each element is still one
 * ordered sum: the fixed variant gives FixedOrderGemm's bits). A's last m % PANEL_ROWS columns
 * and B's last n % PANEL columns come zero-padded in aEdge (k rows of PANEL_ROWS) and bEdge (k rows
 * of PANEL).
 */
#define KT 256

ISA_BODY void grad_tile(const float *a, int lda, const float *b, int ldb, int p0, int p1, float *running, int ldr,
                        int first) {
    v16 s[PANEL_ROWS][2];
    for (int r = 0; r < PANEL_ROWS; r++) {
        s[r][0] = first ? (v16) {0} : *(const v16u *) (running + (size_t) r * ldr);
        s[r][1] = first ? (v16) {0} : *(const v16u *) (running + (size_t) r * ldr + 16);
    }
    for (int p = p0; p < p1; p++) {
        const float *bp = b + (size_t) p * ldb, *ap = a + (size_t) p * lda;
        v16 b0 = *(const v16u *) bp, b1 = *(const v16u *) (bp + 16);
#pragma GCC unroll 12
        for (int r = 0; r < PANEL_ROWS; r++) {
            float av = ap[r];
            s[r][0] = s[r][0] + b0 * av;
            s[r][1] = s[r][1] + b1 * av;
        }
    }
    for (int r = 0; r < PANEL_ROWS; r++) {
        *(v16u *) (running + (size_t) r * ldr) = s[r][0];
        *(v16u *) (running + (size_t) r * ldr + 16) = s[r][1];
    }
}

ISA_BODY void grad_gemm(int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                        const float *aEdge, const float *bEdge, float beta, float *c, int ldc, float *partial) {
    int rowTiles = (m + PANEL_ROWS - 1) / PANEL_ROWS, panels = (n + PANEL - 1) / PANEL;
    int ldr = panels * PANEL;
    for (int p0 = 0; p0 < k || p0 == 0; p0 += KT) {
        int p1 = k - p0 < KT ? k : p0 + KT;
        for (int tj = 0; tj < panels; tj++) {
            int edgeCol = (tj + 1) * PANEL > n;
            const float *bt = edgeCol ? bEdge : b + (size_t) tj * PANEL;
            int ldbt = edgeCol ? PANEL : ldb;
            for (int ti = 0; ti < rowTiles; ti++) {
                int edgeRow = (ti + 1) * PANEL_ROWS > m;
                const float *at = edgeRow ? aEdge : a + (size_t) ti * PANEL_ROWS;
                grad_tile(at, edgeRow ? PANEL_ROWS : lda, bt, ldbt, p0, p1,
                          partial + (size_t) ti * PANEL_ROWS * ldr + (size_t) tj * PANEL, ldr, p0 == 0);
            }
        }
    }
    /* finish() into C, element by element (vectors would give the same bits; this pass is m·n). */
    for (int i = 0; i < m; i++) {
        const float *pr = partial + (size_t) i * ldr;
        float *cr = c + (size_t) i * ldc;
        for (int j = 0; j < n; j++) cr[j] = finish(pr[j], alpha, beta, beta == 0.0f ? 0.0f : cr[j]);
    }
}

#define GRAD_PARAMS (int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, \
                     const float *aEdge, const float *bEdge, float beta, float *c, int ldc, float *partial)
#define GRAD_ARGS (m, n, k, alpha, a, lda, b, ldb, aEdge, bEdge, beta, c, ldc, partial)
ISA_VARIANTS(grad_gemm, GRAD_PARAMS, GRAD_ARGS)
ISA_VARIANTS_CONTRACTED(grad_gemm, GRAD_PARAMS, GRAD_ARGS)

/* C = alpha·Aᵀ·B + beta·C (A k × m, B k × n, row-major). False when memory ran out (C untouched). */
JNIEXPORT jboolean JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_gradientGemm(
        JNIEnv *env, jclass cls, jboolean fused, jint m, jint n, jint k, jfloat alpha, jlong a, jint lda, jlong b,
        jint ldb, jfloat beta, jlong c, jint ldc) {
    (void) env; (void) cls;
    const float *pa = F(a), *pb = F(b);
    size_t rowsPadded = (size_t) (m + PANEL_ROWS - 1) / PANEL_ROWS * PANEL_ROWS;
    size_t colsPadded = (size_t) (n + PANEL - 1) / PANEL * PANEL;
    float *partial = grown(&partialSums, &partialCapacity, rowsPadded * colsPadded);
    if (!partial) return JNI_FALSE;
    float *aEdge = NULL, *bEdge = NULL;
    if (m % PANEL_ROWS && !(aEdge = last_columns(pa, lda, k, m, PANEL_ROWS, &edgeA, &edgeACapacity))) return JNI_FALSE;
    if (n % PANEL && !(bEdge = last_columns(pb, ldb, k, n, PANEL, &edgeB, &edgeBCapacity))) return JNI_FALSE;
    if (fused) {
        grad_gemm_contracted_isa(m, n, k, alpha, pa, lda, pb, ldb, aEdge, bEdge, beta, F(c), ldc, partial);
    } else {
        grad_gemm_isa(m, n, k, alpha, pa, lda, pb, ldb, aEdge, bEdge, beta, F(c), ldc, partial);
    }
    return JNI_TRUE;
}
