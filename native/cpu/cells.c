/*
 * The fused pointwise halves of one recurrent time step (LSTM, GRU, Elman tanh RNN), forward and
 * backward, on the off-heap buffers of org.rnnclust.backend.cpu.CpuOps, called through JNI by
 * NativeCpu. The element math is kernels/cell_math.h (shared with the CUDA kernels); this file
 * walks the rows and units and applies the masking rules of org.rnnclust.backend.RecurrentCellOps.
 * CpuCells is the plain-Java reference (the fallback and the parity tests' reference): the same
 * formulas in the same order, so, compiled without multiply-add contraction, the two agree to the
 * bit.
 *
 * Why native: the JIT does not vectorise a loop this large over off-heap buffers; here one loop
 * per row reads each operand once and vectorises whole (compiled for x86-64-v4, v3 and the
 * baseline by ISA_VARIANTS, see isa.h; all three give the same bits).
 *
 * Every pointer is at the first element of the rows to process (the caller has checked the
 * ranges); rows of gate matrices are G·H floats apart, states H, the output ldOut.
 */
#include <jni.h>
#include <stddef.h>
#include <stdint.h>

#include "cell_math.h"
#include "isa.h"

#define CELL_BODY ISA_BODY

#define F(addr) ((float *) (intptr_t) (addr))

CELL_BODY void lstm_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
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
            struct lstm_gates a = lstm_gates_forward(x, r, bih, bhh, hid, j);
            float cn = lstm_cell_state(a, cp0[j]);
            float hn = lstm_hidden_state(a, cn);
            lstm_save_gates(w, hid, j, a);
            c1[j] = cn; h1[j] = hn; o1[j] = hn;
        }
        if (mask[b] == 0.0f) {
            /* Padding (computed like the others, as CpuCells does): the state carries over, out is 0. */
            for (int j = 0; j < hid; j++) { h1[j] = hp0[j]; c1[j] = cp0[j]; o1[j] = 0.0f; }
        }
    }
}

CELL_BODY void lstm_backward(int rows, int hid, const float *restrict ws, const float *restrict mask,
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
            struct lstm_gates a = lstm_load_gates(w, hid, j);
            float dht = d0 == NULL ? dh1[j] : dh1[j] + d0[j];
            dc1[j] = lstm_backward_unit(a, c1[j], dht, dc1[j], cp0[j], dg, hid, j);
            /* The rest of dh₋ is dGates·W_hh, the caller's GEMM. */
            dh1[j] = 0.0f;
        }
    }
}

CELL_BODY void gru_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
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
            struct gru_gates a = gru_gates_forward(x, r, bih, bhh, hid, j);
            float hv = gru_hidden_state(a, hp0[j]);
            gru_save_gates(w, hid, j, a);
            h1[j] = hv; o1[j] = hv;
        }
        if (mask[b] == 0.0f) {
            for (int j = 0; j < hid; j++) { h1[j] = hp0[j]; o1[j] = 0.0f; }
        }
    }
}

CELL_BODY void gru_backward(int rows, int hid, const float *restrict ws, const float *restrict mask,
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
            struct gru_gates a = gru_load_gates(w, hid, j);
            float dht = d0 == NULL ? dh1[j] : dh1[j] + d0[j];
            dh1[j] = gru_backward_unit(a, dht, hp0[j], di, dr, hid, j);
        }
    }
}

CELL_BODY void rnn_forward(int rows, int hid, const float *restrict xp, const float *restrict hp,
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
            float hv = rnn_forward_unit(x[j], r[j], bih[j], bhh[j]);
            h1[j] = hv; o1[j] = hv;
        }
    }
}

CELL_BODY void rnn_backward(int rows, int hid, const float *restrict mask, const float *restrict h,
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
            dg[j] = rnn_backward_unit(h1[j], dht);
            dh1[j] = 0.0f;
        }
    }
}

/* ---- each body compiled per instruction-set level (isa.h), then the JNI entry points ----
 * (native/kernel-check/check.sh cuts this file at the line above.) The wrappers' pointers are
 * restrict like the bodies': without it gcc must prove at run time that a dozen rows do not
 * overlap, gives up, and leaves the unit loops scalar (3× slower cells).
 */

#define R restrict
ISA_VARIANTS(lstm_forward,
             (int rows, int hid, const float *R xp, const float *R hp, const float *R bih, const float *R bhh,
              const float *R mask, const float *R hprev, const float *R cprev, float *R h, float *R c,
              float *R out, int ldo, float *R ws),
             (rows, hid, xp, hp, bih, bhh, mask, hprev, cprev, h, c, out, ldo, ws))
ISA_VARIANTS(lstm_backward,
             (int rows, int hid, const float *R ws, const float *R mask, const float *R cprev, const float *R c,
              const float *R dout, int lddo, float *R dh, float *R dc, float *R dgates),
             (rows, hid, ws, mask, cprev, c, dout, lddo, dh, dc, dgates))
ISA_VARIANTS(gru_forward,
             (int rows, int hid, const float *R xp, const float *R hp, const float *R bih, const float *R bhh,
              const float *R mask, const float *R hprev, float *R h, float *R out, int ldo, float *R ws),
             (rows, hid, xp, hp, bih, bhh, mask, hprev, h, out, ldo, ws))
ISA_VARIANTS(gru_backward,
             (int rows, int hid, const float *R ws, const float *R mask, const float *R hprev, const float *R dout,
              int lddo, float *R dh, float *R dgih, float *R dghh),
             (rows, hid, ws, mask, hprev, dout, lddo, dh, dgih, dghh))
ISA_VARIANTS(rnn_forward,
             (int rows, int hid, const float *R xp, const float *R hp, const float *R bih, const float *R bhh,
              const float *R mask, const float *R hprev, float *R h, float *R out, int ldo),
             (rows, hid, xp, hp, bih, bhh, mask, hprev, h, out, ldo))
ISA_VARIANTS(rnn_backward,
             (int rows, int hid, const float *R mask, const float *R h, const float *R dout, int lddo, float *R dh,
              float *R dgates),
             (rows, hid, mask, h, dout, lddo, dh, dgates))
#undef R

/* JNI: addresses as longs (0 for an absent dOut). */

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_lstmForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong cprev, jlong h, jlong c, jlong out, jint ldo, jlong ws) {
    (void) env; (void) cls;
    lstm_forward_isa(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(cprev), F(h), F(c), F(out), ldo,
                 F(ws));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_lstmBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong ws, jlong mask, jlong cprev, jlong c, jlong dout,
        jint lddo, jlong dh, jlong dc, jlong dgates) {
    (void) env; (void) cls;
    lstm_backward_isa(rows, hid, F(ws), F(mask), F(cprev), F(c), F(dout), lddo, F(dh), F(dc), F(dgates));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_gruForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong h, jlong out, jint ldo, jlong ws) {
    (void) env; (void) cls;
    gru_forward_isa(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(h), F(out), ldo, F(ws));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_gruBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong ws, jlong mask, jlong hprev, jlong dout, jint lddo,
        jlong dh, jlong dgih, jlong dghh) {
    (void) env; (void) cls;
    gru_backward_isa(rows, hid, F(ws), F(mask), F(hprev), F(dout), lddo, F(dh), F(dgih), F(dghh));
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_rnnTanhForward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong xp, jlong hp, jlong bih, jlong bhh, jlong mask,
        jlong hprev, jlong h, jlong out, jint ldo) {
    (void) env; (void) cls;
    rnn_forward_isa(rows, hid, F(xp), F(hp), F(bih), F(bhh), F(mask), F(hprev), F(h), F(out), ldo);
}

JNIEXPORT void JNICALL Java_org_rnnclust_backend_cpu_NativeCpu_rnnTanhBackward(
        JNIEnv *env, jclass cls, jint rows, jint hid, jlong mask, jlong h, jlong dout, jint lddo, jlong dh,
        jlong dgates) {
    (void) env; (void) cls;
    rnn_backward_isa(rows, hid, F(mask), F(h), F(dout), lddo, F(dh), F(dgates));
}
