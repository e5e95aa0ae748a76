/*
 * The element math of the recurrent cells (LSTM, GRU, tanh RNN), forward and backward, and their
 * activations: the one definition that the CUDA kernels (rnn.cu) and the native CPU steps
 * (native/cpu/cells.c) both compile. The equations, gate order and bias placement are PyTorch's,
 * as org.rnnclust.backend.RecurrentCellOps states them; org.rnnclust.backend.cpu.CpuCells is the
 * plain-Java reference of the same formulas in the same order.
 *
 * What is here: one hidden unit j of one batch row. The gate rows x, hx (input and recurrent
 * projections), the biases and the workspace are gate-major, [G·H]: gate q of unit j at q·H + j.
 * What is not: which rows and units a thread takes, masking (a padded row keeps its state and
 * gets zero gate gradients) and where the states live; each includer does that its own way.
 *
 * The order of every sum and product is part of the definition: C compiled without contraction
 * and Java give the same bits; the GPU differs only where nvcc contracts a multiply-add.
 *
 * Plain C99 that is also CUDA C++: no header of its own (NVRTC, which compiles rnn.cu from the
 * jar, has none on its path; this file ships beside rnn.cu for it).
 */
#ifndef RNNCLUST_CELL_MATH_H
#define RNNCLUST_CELL_MATH_H

#if defined(__CUDACC__) || defined(__CUDACC_RTC__)
#define CELL_FN __device__ __forceinline__
#else
#define CELL_FN static inline
#endif

/*
 * tanh(x) = x·P(u)/Q(u), u = (x/9)², x clamped to ±9 (beyond it tanh rounds to ±1 in float); NaN
 * propagates through the clamp. The coefficients are CpuMath's (the fit and its error bounds are
 * described there; CpuMathTest checks that the two copies agree).
 */
CELL_FN float tanh_r(float x) {
    float c = x < -9.0f ? -9.0f : (x > 9.0f ? 9.0f : x);
    float u = c * c * (1.0f / 81.0f);
    float p = ((((6.365803126e-02f * u + -5.501862467e-01f) * u + 4.925218317e+00f) * u + 1.916330243e+01f) * u
               + 1.046459655e+01f) * u + 9.999999414e-01f;
    float q = ((1.212238240e+02f * u + 1.559109117e+02f) * u + 3.746455653e+01f) * u + 1.0f;
    return c * p / q;
}

/* sigmoid(x) = (1 + tanh(x/2))/2. */
CELL_FN float sigmoid_r(float x) {
    return 0.5f + 0.5f * tanh_r(0.5f * x);
}

/* A gate's pre-activation: x·W_ihᵀ + (h₋·W_hhᵀ + (b_ih + b_hh)), summed in this order. */
CELL_FN float gate_input(float x, float hx, float b_ih, float b_hh) {
    return x + (hx + (b_ih + b_hh));
}

/* ---- LSTM, gates i, f, g, o ---- */

/* The gate activations of one unit, saved in the workspace for backward. */
struct lstm_gates {
    float i, f, g, o;
};

/* x, hx: the row's [4H] input and recurrent projections; b_ih, b_hh: [4H]. */
CELL_FN struct lstm_gates lstm_gates_forward(const float *x, const float *hx, const float *b_ih, const float *b_hh,
                                             int hid, int j) {
    struct lstm_gates a;
    a.i = sigmoid_r(gate_input(x[j], hx[j], b_ih[j], b_hh[j]));
    a.f = sigmoid_r(gate_input(x[hid + j], hx[hid + j], b_ih[hid + j], b_hh[hid + j]));
    a.g = tanh_r(gate_input(x[2 * hid + j], hx[2 * hid + j], b_ih[2 * hid + j], b_hh[2 * hid + j]));
    a.o = sigmoid_r(gate_input(x[3 * hid + j], hx[3 * hid + j], b_ih[3 * hid + j], b_hh[3 * hid + j]));
    return a;
}

/* c = f·c₋ + i·g */
CELL_FN float lstm_cell_state(struct lstm_gates a, float c_prev) {
    return a.f * c_prev + a.i * a.g;
}

/* h = o·tanh(c) */
CELL_FN float lstm_hidden_state(struct lstm_gates a, float c) {
    return a.o * tanh_r(c);
}

/* The workspace row ws [4H]: i, f, g, o. */
CELL_FN void lstm_save_gates(float *ws, int hid, int j, struct lstm_gates a) {
    ws[j] = a.i; ws[hid + j] = a.f; ws[2 * hid + j] = a.g; ws[3 * hid + j] = a.o;
}

CELL_FN struct lstm_gates lstm_load_gates(const float *ws, int hid, int j) {
    struct lstm_gates a = {ws[j], ws[hid + j], ws[2 * hid + j], ws[3 * hid + j]};
    return a;
}

/*
 * Backward of one unit. c: the outgoing cell state (tanh(c) is recomputed); dh, dc: the gradients
 * of the outgoing h (this step's output gradient included) and c. Writes the gradients w.r.t. the
 * four pre-activations into the row dgates [4H]; returns the gradient of c₋. (That of h₋ is
 * dgates·W_hh, the caller's GEMM.)
 */
CELL_FN float lstm_backward_unit(struct lstm_gates a, float c, float dh, float dc, float c_prev, float *dgates,
                                 int hid, int j) {
    float tc = tanh_r(c);
    float dct = dc + dh * a.o * (1.0f - tc * tc);
    dgates[j] = dct * a.g * a.i * (1.0f - a.i);
    dgates[hid + j] = dct * c_prev * a.f * (1.0f - a.f);
    dgates[2 * hid + j] = dct * a.i * (1.0f - a.g * a.g);
    dgates[3 * hid + j] = dh * tc * a.o * (1.0f - a.o);
    return dct * a.f;
}

/* ---- GRU, gates r, z, n ---- */

/* The gate activations of one unit and hn = h₋·W_hnᵀ + b_hn, saved for backward (dr needs hn). */
struct gru_gates {
    float r, z, n, hn;
};

/*
 * n = tanh(x_n + (b_in + r·hn)): hn stays apart from the input side because r scales it inside
 * n's tanh. x, hx: the row's [3H] input and recurrent projections; b_ih, b_hh: [3H].
 */
CELL_FN struct gru_gates gru_gates_forward(const float *x, const float *hx, const float *b_ih, const float *b_hh,
                                           int hid, int j) {
    struct gru_gates a;
    a.r = sigmoid_r(gate_input(x[j], hx[j], b_ih[j], b_hh[j]));
    a.z = sigmoid_r(gate_input(x[hid + j], hx[hid + j], b_ih[hid + j], b_hh[hid + j]));
    a.hn = hx[2 * hid + j] + b_hh[2 * hid + j];
    a.n = tanh_r(x[2 * hid + j] + (b_ih[2 * hid + j] + a.r * a.hn));
    return a;
}

/* h = (1 − z)·n + z·h₋, as n + z·(h₋ − n). */
CELL_FN float gru_hidden_state(struct gru_gates a, float h_prev) {
    return a.n + a.z * (h_prev - a.n);
}

/* The workspace row ws [4H]: r, z, n, hn. */
CELL_FN void gru_save_gates(float *ws, int hid, int j, struct gru_gates a) {
    ws[j] = a.r; ws[hid + j] = a.z; ws[2 * hid + j] = a.n; ws[3 * hid + j] = a.hn;
}

CELL_FN struct gru_gates gru_load_gates(const float *ws, int hid, int j) {
    struct gru_gates a = {ws[j], ws[hid + j], ws[2 * hid + j], ws[3 * hid + j]};
    return a;
}

/*
 * Backward of one unit; dh: the gradient of the outgoing h (this step's output gradient
 * included). Writes the gate gradients of the input side into the row d_ih [3H] and of the
 * recurrent side into d_hh [3H] (they differ in n, which r scales on the recurrent side); returns
 * the part of h₋'s gradient that does not go through W_hh.
 */
CELL_FN float gru_backward_unit(struct gru_gates a, float dh, float h_prev, float *d_ih, float *d_hh, int hid,
                                int j) {
    float dn = dh * (1.0f - a.z) * (1.0f - a.n * a.n);
    float dr = dn * a.hn * a.r * (1.0f - a.r);
    float dz = dh * (h_prev - a.n) * a.z * (1.0f - a.z);
    d_ih[j] = dr;
    d_ih[hid + j] = dz;
    d_ih[2 * hid + j] = dn;
    d_hh[j] = dr;
    d_hh[hid + j] = dz;
    d_hh[2 * hid + j] = dn * a.r;
    return dh * a.z;
}

/* ---- Elman RNN with tanh ---- */

CELL_FN float rnn_forward_unit(float x, float hx, float b_ih, float b_hh) {
    return tanh_r(gate_input(x, hx, b_ih, b_hh));
}

/* The gradient w.r.t. the pre-activation, from the outgoing h and its gradient dh. */
CELL_FN float rnn_backward_unit(float h, float dh) {
    return dh * (1.0f - h * h);
}

#endif
