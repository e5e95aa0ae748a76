/*
 * Fused pointwise halves of one recurrent time step (LSTM, GRU, Elman tanh RNN), forward and
 * backward, on the off-heap buffers of org.rnnclust.backend.cpu.CpuOps, called through JNI by
 * NativeCpu. The equations, argument layout and masking rules are those of
 * org.rnnclust.backend.RecurrentCellOps; CpuCells is the plain-Java twin (the fallback and the
 * reference of the parity tests) and evaluates the same formulas in the same order, so the two
 * differ only where the compiler contracts a multiply-add.
 *
 * Why native: the Java twin has to stage every gate's rows into heap arrays and back (the JIT
 * vectorises loops over heap arrays only) and split each formula into its own pass; here one
 * loop per row reads each operand once from the buffers and vectorises whole.
 *
 * Every pointer is at the first element of the rows to process (the caller has checked the
 * ranges); rows of gate matrices are G·H floats apart, states H, the output ldOut.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))

/* CpuMath.tanh: x·P(u)/Q(u), u = (x/9)², x clamped to ±9; NaN propagates through the clamp. */
static inline float tanh_r(float x) {
    float c = x < -9.0f ? -9.0f : (x > 9.0f ? 9.0f : x);
    float u = c * c * (1.0f / 81.0f);
    float p = ((((6.365803126e-02f * u + -5.501862467e-01f) * u + 4.925218317e+00f) * u + 1.916330243e+01f) * u
               + 1.046459655e+01f) * u + 9.999999414e-01f;
    float q = ((1.212238240e+02f * u + 1.559109117e+02f) * u + 3.746455653e+01f) * u + 1.0f;
    return c * p / q;
}

static inline float sigmoid_r(float x) {
    return 0.5f + 0.5f * tanh_r(0.5f * x);
}

#define F(addr) ((float *) (intptr_t) (addr))

CLONES
static void lstm_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
                         const float *restrict bih, const float *restrict bhh, const float *restrict mask,
                         const float *restrict hprev, const float *restrict cprev, float *restrict h,
                         float *restrict c, float *restrict out, int ldo, float *restrict ws) {
    const int g4 = 4 * hid;
    for (int b = 0; b < rows; b++) {
        const float *x = xp + (size_t) b * g4, *r = hp + (size_t) b * g4;
        const float *hp0 = hprev + (size_t) b * hid, *cp0 = cprev + (size_t) b * hid;
        float *h1 = h + (size_t) b * hid, *c1 = c + (size_t) b * hid, *o1 = out + (size_t) b * ldo;
        float *w = ws + (size_t) b * g4;
        for (int j = 0; j < hid; j++) {
            float i = sigmoid_r(x[j] + (r[j] + (bih[j] + bhh[j])));
            float f = sigmoid_r(x[hid + j] + (r[hid + j] + (bih[hid + j] + bhh[hid + j])));
            float g = tanh_r(x[2 * hid + j] + (r[2 * hid + j] + (bih[2 * hid + j] + bhh[2 * hid + j])));
            float o = sigmoid_r(x[3 * hid + j] + (r[3 * hid + j] + (bih[3 * hid + j] + bhh[3 * hid + j])));
            float cn = f * cp0[j] + i * g;
            float hn = o * tanh_r(cn);
            w[j] = i; w[hid + j] = f; w[2 * hid + j] = g; w[3 * hid + j] = o;
            c1[j] = cn; h1[j] = hn; o1[j] = hn;
        }
        if (mask[b] == 0.0f) {
            /* Padding (computed like the others, as CpuCells does): the state carries over, out is 0. */
            for (int j = 0; j < hid; j++) { h1[j] = hp0[j]; c1[j] = cp0[j]; o1[j] = 0.0f; }
        }
    }
}

CLONES
static void lstm_backward(int rows, int hid, const float *restrict ws, const float *restrict mask,
                          const float *restrict cprev, const float *restrict c, const float *restrict dout,
                          int lddo, float *restrict dh, float *restrict dc, float *restrict dgates) {
    const int g4 = 4 * hid;
    for (int b = 0; b < rows; b++) {
        float *dg = dgates + (size_t) b * g4;
        if (mask[b] == 0.0f) {
            /* Padding: zero gate gradients, dh and dc pass through unchanged. */
            for (int j = 0; j < g4; j++) dg[j] = 0.0f;
            continue;
        }
        const float *w = ws + (size_t) b * g4;
        const float *cp0 = cprev + (size_t) b * hid, *c1 = c + (size_t) b * hid;
        const float *d0 = dout == NULL ? NULL : dout + (size_t) b * lddo;
        float *dh1 = dh + (size_t) b * hid, *dc1 = dc + (size_t) b * hid;
        for (int j = 0; j < hid; j++) {
            float i = w[j], f = w[hid + j], g = w[2 * hid + j], o = w[3 * hid + j];
            float dht = d0 == NULL ? dh1[j] : dh1[j] + d0[j];
            float tc = tanh_r(c1[j]);
            float dct = dc1[j] + dht * o * (1.0f - tc * tc);
            dg[j] = dct * g * i * (1.0f - i);
            dg[hid + j] = dct * cp0[j] * f * (1.0f - f);
            dg[2 * hid + j] = dct * i * (1.0f - g * g);
            dg[3 * hid + j] = dht * tc * o * (1.0f - o);
            dc1[j] = dct * f;
            /* The rest of dh₋ is dGates·W_hh, the caller's GEMM. */
            dh1[j] = 0.0f;
        }
    }
}

CLONES
static void gru_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
                        const float *restrict bih, const float *restrict bhh, const float *restrict mask,
                        const float *restrict hprev, float *restrict h, float *restrict out, int ldo,
                        float *restrict ws) {
    const int g3 = 3 * hid, g4 = 4 * hid;
    for (int b = 0; b < rows; b++) {
        const float *x = xp + (size_t) b * g3, *r = hp + (size_t) b * g3;
        const float *hp0 = hprev + (size_t) b * hid;
        float *h1 = h + (size_t) b * hid, *o1 = out + (size_t) b * ldo;
        float *w = ws + (size_t) b * g4;
        for (int j = 0; j < hid; j++) {
            float rg = sigmoid_r(x[j] + (r[j] + (bih[j] + bhh[j])));
            float z = sigmoid_r(x[hid + j] + (r[hid + j] + (bih[hid + j] + bhh[hid + j])));
            /* h₋·W_hnᵀ + b_hn stays apart: r scales it inside n's tanh. */
            float hn = r[2 * hid + j] + bhh[2 * hid + j];
            float n = tanh_r(x[2 * hid + j] + (bih[2 * hid + j] + rg * hn));
            float hv = n + z * (hp0[j] - n);
            w[j] = rg; w[hid + j] = z; w[2 * hid + j] = n; w[3 * hid + j] = hn;
            h1[j] = hv; o1[j] = hv;
        }
        if (mask[b] == 0.0f) {
            for (int j = 0; j < hid; j++) { h1[j] = hp0[j]; o1[j] = 0.0f; }
        }
    }
}

CLONES
static void gru_backward(int rows, int hid, const float *restrict ws, const float *restrict mask,
                         const float *restrict hprev, const float *restrict dout, int lddo, float *restrict dh,
                         float *restrict dgih, float *restrict dghh) {
    const int g3 = 3 * hid, g4 = 4 * hid;
    for (int b = 0; b < rows; b++) {
        float *di = dgih + (size_t) b * g3, *dr = dghh + (size_t) b * g3;
        if (mask[b] == 0.0f) {
            for (int j = 0; j < g3; j++) { di[j] = 0.0f; dr[j] = 0.0f; }
            continue;
        }
        const float *w = ws + (size_t) b * g4;
        const float *hp0 = hprev + (size_t) b * hid;
        const float *d0 = dout == NULL ? NULL : dout + (size_t) b * lddo;
        float *dh1 = dh + (size_t) b * hid;
        for (int j = 0; j < hid; j++) {
            float rg = w[j], z = w[hid + j], n = w[2 * hid + j], hn = w[3 * hid + j];
            float dht = d0 == NULL ? dh1[j] : dh1[j] + d0[j];
            float dn = dht * (1.0f - z) * (1.0f - n * n);
            float dr_ = dn * hn * rg * (1.0f - rg);
            float dz = dht * (hp0[j] - n) * z * (1.0f - z);
            di[j] = dr_; di[hid + j] = dz; di[2 * hid + j] = dn;
            dr[j] = dr_; dr[hid + j] = dz; dr[2 * hid + j] = dn * rg;
            dh1[j] = dht * z;
        }
    }
}

CLONES
static void rnn_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
                        const float *restrict bih, const float *restrict bhh, const float *restrict mask,
                        const float *restrict hprev, float *restrict h, float *restrict out, int ldo) {
    for (int b = 0; b < rows; b++) {
        const float *x = xp + (size_t) b * hid, *r = hp + (size_t) b * hid;
        const float *hp0 = hprev + (size_t) b * hid;
        float *h1 = h + (size_t) b * hid, *o1 = out + (size_t) b * ldo;
        if (mask[b] == 0.0f) {
            for (int j = 0; j < hid; j++) { h1[j] = hp0[j]; o1[j] = 0.0f; }
            continue;
        }
        for (int j = 0; j < hid; j++) {
            float hv = tanh_r(x[j] + (r[j] + (bih[j] + bhh[j])));
            h1[j] = hv; o1[j] = hv;
        }
    }
}

CLONES
static void rnn_backward(int rows, int hid, const float *restrict mask, const float *restrict h,
                         const float *restrict dout, int lddo, float *restrict dh, float *restrict dgates) {
    for (int b = 0; b < rows; b++) {
        float *dg = dgates + (size_t) b * hid;
        if (mask[b] == 0.0f) {
            for (int j = 0; j < hid; j++) dg[j] = 0.0f;
            continue;
        }
        const float *h1 = h + (size_t) b * hid;
        const float *d0 = dout == NULL ? NULL : dout + (size_t) b * lddo;
        float *dh1 = dh + (size_t) b * hid;
        for (int j = 0; j < hid; j++) {
            float dht = d0 == NULL ? dh1[j] : dh1[j] + d0[j];
            dg[j] = dht * (1.0f - h1[j] * h1[j]);
            dh1[j] = 0.0f;
        }
    }
}

/* ---- JNI entry points: addresses as longs (0 for an absent dOut) ---- */

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_lstmForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong cprev, jlong h, jlong c, jlong out, jint ldo, jlong ws) {
    (void) env; (void) cls;
    lstm_forward(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(cprev), F(h), F(c), F(out), ldo,
                 F(ws));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_lstmBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong ws, jlong mask, jlong cprev, jlong c, jlong dout,
        jint lddo, jlong dh, jlong dc, jlong dgates) {
    (void) env; (void) cls;
    lstm_backward(rows, hid, F(ws), F(mask), F(cprev), F(c), F(dout), lddo, F(dh), F(dc), F(dgates));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_gruForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong h, jlong out, jint ldo, jlong ws) {
    (void) env; (void) cls;
    gru_forward(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(h), F(out), ldo, F(ws));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_gruBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong ws, jlong mask, jlong hprev, jlong dout, jint lddo,
        jlong dh, jlong dgih, jlong dghh) {
    (void) env; (void) cls;
    gru_backward(rows, hid, F(ws), F(mask), F(hprev), F(dout), lddo, F(dh), F(dgih), F(dghh));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_rnnTanhForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong h, jlong out, jint ldo) {
    (void) env; (void) cls;
    rnn_forward(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(h), F(out), ldo);
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_rnnTanhBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong mask, jlong h, jlong dout, jint lddo, jlong dh,
        jlong dgates) {
    (void) env; (void) cls;
    rnn_backward(rows, hid, F(mask), F(h), F(dout), lddo, F(dh), F(dgates));
}
