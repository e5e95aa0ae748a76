package org.rnnclust.nn;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.RelativeError;

/**
 * Backward against central finite differences of the forward, for every parameter entry, the
 * input and the initial states: two bidirectional layers, variable lengths including a length-1
 * sequence, loss Σ out·R + Σ h_n·S (+ Σ c_n·Q). The forward runs in float32, the loss sums in
 * double; with ε = 1e-2 the difference quotient's rounding (~1e-6/ε) and truncation (~ε²) errors
 * stay near 1e-4 relative, well inside the 1e-2 tolerance, while a wrong gradient term is O(1).
 */
class RecurrentStackGradientCheckTest {
    static final double EPS = 1e-2;
    static final double TOL = 1e-2;
    static final int B = 3;
    static final int T = 4;
    static final int[] LENGTHS = {4, 1, 3};

    private static TensorOps ops;
    private static double worst;

    @BeforeAll
    static void open() {
        ops = new CpuOps(1);
    }

    @AfterAll
    static void close() {
        ops.close();
        System.out.printf("finite differences: max relative error %.2e%n", worst);
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void gradientsMatchFiniteDifferences(CellType cell) {
        RecurrentSpec spec = new RecurrentSpec(cell, 3, 3, 2, true);
        boolean lstm = cell == CellType.LSTM;
        Random r = new Random(17 + cell.ordinal());
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 3);
             SequenceMask mask = new SequenceMask(ops, LENGTHS, T)) {
            long state = stack.stateSize(B);
            float[] x = gaussian(r, B * T * spec.inputSize(), 1);
            float[] h0 = gaussian(r, (int) state, 0.5);
            float[] c0 = lstm ? gaussian(r, (int) state, 0.5) : null;
            float[] rOut = gaussian(r, B * T * spec.outputSize(), 1);
            float[] s = gaussian(r, (int) state, 1);
            float[] q = lstm ? gaussian(r, (int) state, 1) : null;
            Problem p = new Problem(stack, mask, x, h0, c0, rOut, s, q);

            stack.zeroGrad();
            Gradients g = p.backward();
            for (Parameter param : stack.parameters()) {
                float[] v = param.get();
                double[] numeric = numeric(v, () -> param.set(v), p);
                param.set(v);
                check(cell + " d" + param.name(), param.gradient(), numeric);
            }
            check(cell + " dx", g.dx, numeric(x, () -> {}, p));
            check(cell + " dh0", g.dh0, numeric(h0, () -> {}, p));
            if (lstm) check(cell + " dc0", g.dc0, numeric(c0, () -> {}, p));
        }
    }

    private static void check(String what, float[] actual, double[] expected) {
        worst = Math.max(worst, RelativeError.check(what, actual, expected, TOL));
    }

    /** Central differences of the loss w.r.t. each entry of v; {@code apply} makes a change visible. */
    private static double[] numeric(float[] v, Runnable apply, Problem p) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            float orig = v[i];
            float plus = (float) (orig + EPS);
            float minus = (float) (orig - EPS);
            v[i] = plus;
            apply.run();
            double lp = p.loss();
            v[i] = minus;
            apply.run();
            double lm = p.loss();
            v[i] = orig;
            apply.run();
            out[i] = (lp - lm) / ((double) plus - minus);
        }
        return out;
    }

    private static float[] gaussian(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return v;
    }

    record Gradients(float[] dx, float[] dh0, float[] dc0) {}

    /** The loss as a function of the host arrays x, h0, c0 (read on every call) and the parameters. */
    private record Problem(RecurrentStack stack, SequenceMask mask, float[] x, float[] h0, float[] c0,
                           float[] rOut, float[] s, float[] q) {
        double loss() {
            RecurrentSpec spec = stack.spec();
            long state = stack.stateSize(B);
            try (DeviceBuffer xb = upload(x); DeviceBuffer h0b = upload(h0); DeviceBuffer c0b = upload(c0);
                 DeviceBuffer out = ops.allocate((long) B * T * spec.outputSize());
                 DeviceBuffer hN = ops.allocate(state);
                 DeviceBuffer cN = c0 == null ? null : ops.allocate(state)) {
                stack.forward(xb, mask, h0b, c0b, out, hN, cN);
                double l = dot(ops.toHost(out), rOut) + dot(ops.toHost(hN), s);
                if (cN != null) l += dot(ops.toHost(cN), q);
                return l;
            }
        }

        Gradients backward() {
            RecurrentSpec spec = stack.spec();
            long state = stack.stateSize(B);
            try (DeviceBuffer xb = upload(x); DeviceBuffer h0b = upload(h0); DeviceBuffer c0b = upload(c0);
                 DeviceBuffer dOut = upload(rOut); DeviceBuffer dHN = upload(s); DeviceBuffer dCN = upload(q);
                 DeviceBuffer dX = ops.allocate(x.length);
                 DeviceBuffer dH0 = ops.allocate(state);
                 DeviceBuffer dC0 = c0 == null ? null : ops.allocate(state)) {
                stack.forward(xb, mask, h0b, c0b, null, null, null);
                stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                return new Gradients(ops.toHost(dX), ops.toHost(dH0), dC0 == null ? null : ops.toHost(dC0));
            }
        }

        private static DeviceBuffer upload(float[] v) {
            if (v == null) return null;
            DeviceBuffer b = ops.allocate(v.length);
            ops.upload(v, b);
            return b;
        }

        private static double dot(float[] a, float[] b) {
            double sum = 0;
            for (int i = 0; i < a.length; i++) sum += (double) a[i] * b[i];
            return sum;
        }
    }
}
