package org.rnnclust.backend.cpu;

import static org.rnnclust.backend.cpu.CpuMath.sigmoid;
import static org.rnnclust.backend.cpu.CpuMath.tanh;

/**
 * Elementwise loops over [0, n) of heap arrays, each one small loop with every array indexed by
 * the loop variable: the shape C2's superword pass vectorises. It does not when a loop body grows
 * past its unrolling limit (e.g. tanh plus four loads) or when arrays are indexed with different
 * offsets, hence one pass per small formula rather than one fused loop (measured on JDK 17:
 * ~0.1–0.4 ns per element against 4–7 ns for the fused scalar loop).
 */
final class FloatLoops {
    private FloatLoops() {}

    /** x += a + b */
    static void addAdd(float[] x, float[] a, float[] b, int n) {
        for (int k = 0; k < n; k++) x[k] += a[k] + b[k];
    }

    /** x += a */
    static void add(float[] x, float[] a, int n) {
        for (int k = 0; k < n; k++) x[k] += a[k];
    }

    /** out = a + b */
    static void sum(float[] out, float[] a, float[] b, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] + b[k];
    }

    /** out = a·b */
    static void mul(float[] out, float[] a, float[] b, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * b[k];
    }

    /** out = a·b + c·d */
    static void mulAddMul(float[] out, float[] a, float[] b, float[] c, float[] d, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * b[k] + c[k] * d[k];
    }

    /** x += a + b·c */
    static void addAddMul(float[] x, float[] a, float[] b, float[] c, int n) {
        for (int k = 0; k < n; k++) x[k] += a[k] + b[k] * c[k];
    }

    static void sigmoidInPlace(float[] x, int n) {
        for (int k = 0; k < n; k++) x[k] = sigmoid(x[k]);
    }

    static void tanhInPlace(float[] x, int n) {
        for (int k = 0; k < n; k++) x[k] = tanh(x[k]);
    }

    /** out = tanh(x) */
    static void tanhOf(float[] out, float[] x, int n) {
        for (int k = 0; k < n; k++) out[k] = tanh(x[k]);
    }

    /** out = a·(1 − b²): a tanh derivative. */
    static void mulOneMinusSq(float[] out, float[] a, float[] b, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * (1f - b[k] * b[k]);
    }

    /** out = a·b·s·(1 − s): through a sigmoid s. */
    static void mulSigmoidGrad(float[] out, float[] a, float[] b, float[] s, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * b[k] * s[k] * (1f - s[k]);
    }

    /** out = a + b·c·(1 − d²) */
    static void addMulTanhGrad(float[] out, float[] a, float[] b, float[] c, float[] d, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] + b[k] * c[k] * (1f - d[k] * d[k]);
    }

    /** out = a·b·(1 − c²) */
    static void mulMulTanhGrad(float[] out, float[] a, float[] b, float[] c, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * b[k] * (1f - c[k] * c[k]);
    }

    /** out = a·(1 − b)·(1 − c²): GRU's dn. */
    static void mulOneMinusMulTanhGrad(float[] out, float[] a, float[] b, float[] c, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * (1f - b[k]) * (1f - c[k] * c[k]);
    }

    /** out = a·(b − c)·s·(1 − s): GRU's dz. */
    static void mulDiffSigmoidGrad(float[] out, float[] a, float[] b, float[] c, float[] s, int n) {
        for (int k = 0; k < n; k++) out[k] = a[k] * (b[k] - c[k]) * s[k] * (1f - s[k]);
    }

    /** out = n + z·(h − n): GRU's new state. */
    static void lerp(float[] out, float[] n, float[] z, float[] h, int len) {
        for (int k = 0; k < len; k++) out[k] = n[k] + z[k] * (h[k] - n[k]);
    }
}
