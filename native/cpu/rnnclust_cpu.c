/*
 * CPU kernels the JVM cannot vectorise well, called through JNI by
 * org.rnnclust.backend.cpu.NativeCpu. Every function here has a plain-Java twin
 * that computes exactly the same result (the fallback when this library is absent,
 * and the reference in the parity tests).
 *
 * argminRows: for each row of a row-major rows x k float matrix, the smallest value
 * and the lowest index holding it. The JIT compiles the obvious scalar loop into a
 * branch per element that mispredicts at every new minimum; here a SIMD min pass
 * finds the value and a SIMD compare pass finds its first position.
 */
#include <jni.h>
#include <math.h>
#include <stdint.h>
#include <immintrin.h>
#include <string.h>

#include "isa.h"

typedef void (*argmin_fn)(const float *, int, int, jint *, jfloat *);

/* Reference: first strict minimum (ties to the lowest index), NaN never wins. */
static void argmin_scalar(const float *p, int rows, int k, jint *idx, jfloat *val) {
    for (int r = 0; r < rows; r++) {
        const float *row = p + (size_t) r * k;
        int best = 0;
        float m = row[0];
        for (int j = 1; j < k; j++) {
            if (row[j] < m) { m = row[j]; best = j; }
        }
        idx[r] = best;
        val[r] = m;
    }
}

/* A row with a NaN takes the scalar path, so that every version agrees on it. */
static inline int has_nan(const float *row, int from, int k) {
    for (int j = from; j < k; j++) if (isnan(row[j])) return 1;
    return 0;
}

/* Shared tail of the SIMD versions: the first index holding the minimum. */
static inline int first_equal_scalar(const float *row, int from, int k, float m) {
    for (int j = from; j < k; j++) if (row[j] == m) return j;
    return -1;
}

__attribute__((target("avx2")))
static void argmin_avx2(const float *p, int rows, int k, jint *idx, jfloat *val) {
    for (int r = 0; r < rows; r++) {
        const float *row = p + (size_t) r * k;
        __m256 acc = _mm256_set1_ps(INFINITY);
        __m256 nan = _mm256_setzero_ps();
        int j = 0;
        for (; j + 8 <= k; j += 8) {
            __m256 v = _mm256_loadu_ps(row + j);
            acc = _mm256_min_ps(acc, v);
            nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        }
        if (_mm256_movemask_ps(nan) || has_nan(row, j, k)) { argmin_scalar(row, 1, k, idx + r, val + r); continue; }
        __m128 lo = _mm_min_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
        lo = _mm_min_ps(lo, _mm_movehl_ps(lo, lo));
        lo = _mm_min_ss(lo, _mm_shuffle_ps(lo, lo, 1));
        float m = _mm_cvtss_f32(lo);
        for (int t = j; t < k; t++) if (row[t] < m) m = row[t];
        int found = -1;
        __m256 target = _mm256_set1_ps(m);
        int q = 0;
        for (; q + 8 <= k; q += 8) {
            int mask = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(row + q), target, _CMP_EQ_OQ));
            if (mask) { found = q + __builtin_ctz(mask); break; }
        }
        if (found < 0) found = first_equal_scalar(row, q, k, m);
        idx[r] = found;
        val[r] = m;
    }
}

__attribute__((target("avx512f")))
static void argmin_avx512(const float *p, int rows, int k, jint *idx, jfloat *val) {
    for (int r = 0; r < rows; r++) {
        const float *row = p + (size_t) r * k;
        __m512 acc = _mm512_set1_ps(INFINITY);
        __mmask16 nan = 0;
        int j = 0;
        for (; j + 16 <= k; j += 16) {
            __m512 v = _mm512_loadu_ps(row + j);
            acc = _mm512_min_ps(acc, v);
            nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        }
        if (nan || has_nan(row, j, k)) { argmin_scalar(row, 1, k, idx + r, val + r); continue; }
        float m = _mm512_reduce_min_ps(acc);
        for (int t = j; t < k; t++) if (row[t] < m) m = row[t];
        int found = -1;
        __m512 target = _mm512_set1_ps(m);
        int q = 0;
        for (; q + 16 <= k; q += 16) {
            __mmask16 mask = _mm512_cmp_ps_mask(_mm512_loadu_ps(row + q), target, _CMP_EQ_OQ);
            if (mask) { found = q + __builtin_ctz((unsigned) mask); break; }
        }
        if (found < 0) found = first_equal_scalar(row, q, k, m);
        idx[r] = found;
        val[r] = m;
    }
}

/*
 * The instruction-set level of the whole library (isa.h): argmin, the cells and the fixed-order
 * GEMM. -1 until first asked; then the best this CPU supports, or what useIsa pinned.
 */
static int isa_level = -1;

static int best_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4")) return ISA_V4;
    if (__builtin_cpu_supports("x86-64-v3")) return ISA_V3;
    return ISA_BASELINE;
}

int rnnclust_isa_level(void) {
    if (isa_level < 0) isa_level = best_level();
    return isa_level;
}

static argmin_fn argmin_for(int level) {
    return level == ISA_V4 ? argmin_avx512 : level == ISA_V3 ? argmin_avx2 : argmin_scalar;
}

static const char *level_name(int level) {
    return level == ISA_V4 ? "avx512f" : level == ISA_V3 ? "avx2" : "scalar";
}

JNIEXPORT jstring JNICALL
Java_org_rnnclust_backend_cpu_NativeCpu_isa(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, level_name(rnnclust_isa_level()));
}

/*
 * Pins one level for every function ("avx512f": x86-64-v4, "avx2": x86-64-v3, "scalar": the
 * baseline); false, and nothing changes, if this CPU lacks it.
 */
JNIEXPORT jboolean JNICALL
Java_org_rnnclust_backend_cpu_NativeCpu_useIsa(JNIEnv *env, jclass cls, jstring name) {
    (void) cls;
    const char *s = (*env)->GetStringUTFChars(env, name, NULL);
    if (!s) return JNI_FALSE;
    int wanted = -1;
    for (int level = ISA_BASELINE; level <= ISA_V4; level++) {
        if (strcmp(s, level_name(level)) == 0) wanted = level;
    }
    (*env)->ReleaseStringUTFChars(env, name, s);
    if (wanted < 0 || wanted > best_level()) return JNI_FALSE;
    isa_level = wanted;
    return JNI_TRUE;
}

/*
 * products: address of rows*k floats (off-heap); writes index[offset + r] and value[offset + r].
 * The Java side checks the bounds before calling.
 */
JNIEXPORT void JNICALL
Java_org_rnnclust_backend_cpu_NativeCpu_argminRows(JNIEnv *env, jclass cls, jlong products, jint rows, jint k,
                                                   jintArray index, jfloatArray value, jint offset) {
    (void) cls;
    argmin_fn argmin_impl = argmin_for(rnnclust_isa_level());
    jint *idx = (*env)->GetPrimitiveArrayCritical(env, index, NULL);
    jfloat *val = (*env)->GetPrimitiveArrayCritical(env, value, NULL);
    if (idx && val) argmin_impl((const float *) (intptr_t) products, rows, k, idx + offset, val + offset);
    if (val) (*env)->ReleasePrimitiveArrayCritical(env, value, val, 0);
    if (idx) (*env)->ReleasePrimitiveArrayCritical(env, index, idx, 0);
}
