/*
 * CpuOps.transpose01 (batch-first to time-major and back: src [d0, d1, inner] to dst [d1, d0,
 * inner]) for rows i in [from, to) of src, called through JNI by NativeCpu. A copy: the same bits
 * as the Java loop it replaces, which paid a FloatBuffer call per inner row (7168 calls per
 * tensor at B,T = 256,28) or per float.
 */
#include <jni.h>
#include <stdint.h>
#include <string.h>

#define F(addr) ((float *) (intptr_t) (addr))

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_transpose01(
        JNIEnv *env, jclass cls, jint d0, jint d1, jint inner, jint from, jint to, jlong src, jlong dst) {
    (void) env; (void) cls;
    const float *s = F(src);
    float *d = F(dst);
    size_t row = (size_t) inner * sizeof(float);
    for (int i = from; i < to; i++) {
        const float *si = s + (size_t) i * d1 * inner;
        if (inner == 1) {
            for (int j = 0; j < d1; j++) d[(size_t) j * d0 + i] = si[j];
        } else {
            for (int j = 0; j < d1; j++) memcpy(d + ((size_t) j * d0 + i) * inner, si + (size_t) j * inner, row);
        }
    }
}
