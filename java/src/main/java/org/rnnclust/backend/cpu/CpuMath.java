package org.rnnclust.backend.cpu;

/**
 * The activations of the recurrent cells, in Java: the rational tanh and the sigmoid of
 * kernels/cell_math.h (which the native library and the CUDA kernels compile), with the same
 * coefficients and order of operations, so that {@link CpuCells} and the native library agree to
 * the bit. {@code CpuMathTest} checks that the coefficients here are the header's.
 *
 * <p>tanh(x) = x·P(u)/Q(u) with u = (x/9)², x clamped to ±9 (beyond it tanh rounds to ±1 in
 * float), P of degree 5 and Q of degree 3: a rational least-squares fit of ours, iteratively
 * reweighted towards minimax relative error (fit_tanh_rational.py in the test fixtures). Its own
 * error is 6e-8 relative; evaluated in float it is within 4e-7 of tanh everywhere (about 7 ulp
 * near ±1, checked in CpuMathTest), well inside the 1e-5 parity budget. The result may pass ±1
 * by as much (it is not clamped: a derivative 1 − tanh² of −7e-7 instead of 0 is harmless). It
 * needs no exp, so the C compiler vectorises the native cell loops. sigmoid(x) = (1 + tanh(x/2))/2,
 * within 2e-7 absolute. NaN propagates.
 */
final class CpuMath {
    private CpuMath() {}

    static final float CLAMP = 9f;
    static final float INV_CLAMP_SQ = 1f / 81f;
    static final float P0 = 9.999999414e-01f;
    static final float P1 = 1.046459655e+01f;
    static final float P2 = 1.916330243e+01f;
    static final float P3 = 4.925218317e+00f;
    static final float P4 = -5.501862467e-01f;
    static final float P5 = 6.365803126e-02f;
    static final float Q1 = 3.746455653e+01f;
    static final float Q2 = 1.559109117e+02f;
    static final float Q3 = 1.212238240e+02f;

    static float tanh(float x) {
        float c = Math.max(-CLAMP, Math.min(CLAMP, x));
        float u = c * c * INV_CLAMP_SQ;
        float p = ((((P5 * u + P4) * u + P3) * u + P2) * u + P1) * u + P0;
        float q = ((Q3 * u + Q2) * u + Q1) * u + 1f;
        return c * p / q;
    }

    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }
}
