/*
 * The native CPU library's instruction-set level (isa.h), called through JNI by
 * org.rnnclust.backend.cpu.NativeCpu: chosen once for this CPU, reported, and pinned on request.
 * The kernels live beside it: kmeans.c, cells.c, gemm.c.
 */
#include <jni.h>
#include <string.h>

#include "isa.h"

/*
 * The instruction-set level of the whole library (isa.h): the k-means tile, the cells and the
 * fixed-order GEMM. -1 until first asked; then the best this CPU supports, or what useIsa pinned.
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
