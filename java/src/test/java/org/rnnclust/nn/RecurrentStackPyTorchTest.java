package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.NpzFixture;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.RandomArrays;
import org.rnnclust.testing.FixtureCases;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * Forward outputs and all gradients against PyTorch (fixtures/rnn, made by make_rnn_fixtures.py):
 * nn.RNN/LSTM/GRU(batch_first=True) on packed variable-length batches, computed in float64 from
 * the same float32 parameters and inputs; and dilated stacks, built there from one-layer modules
 * run over each layer's interleaved sub-sequences.
 */
class RecurrentStackPyTorchTest {
    static final double FORWARD_TOL = Tolerances.FP32_OP;
    static final double GRADIENT_TOL = Tolerances.TRAINING_STEP;

    static TensorOps ops;
    private static double worstForward;
    private static double worstGradient;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
        System.out.printf("PyTorch fixtures: max relative error forward %.2e, gradients %.2e%n", worstForward, worstGradient);
    }

    static Stream<Named<JsonNode>> cases() {
        return FixtureCases.of("/fixtures/rnn/cases.json");
    }

    static RecurrentSpec spec(JsonNode c) {
        CellType cell = CellType.parse(c.get("cell").asText());
        int layers = c.get("layers").asInt();
        java.util.List<Integer> dilations = new java.util.ArrayList<>();
        for (int l = 0; l < layers; l++) dilations.add(c.has("dilations") ? c.get("dilations").get(l).asInt() : 1);
        return new RecurrentSpec(cell, c.get("input_size").asInt(), c.get("hidden_size").asInt(), layers,
                c.get("bidirectional").asBoolean(), dilations);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        run(c, false, false);
    }

    /** The same through the time-major entry points (no transposes inside). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void timeMajorMatchesPyTorch(JsonNode c) {
        run(c, true, false);
    }

    /**
     * After a larger batch has grown every buffer, and with gradients accumulated twice: a stale
     * workspace or a missing zero would show here.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reusedBuffersAndAccumulationMatchPyTorch(JsonNode c) {
        run(c, false, true);
    }

    private void run(JsonNode c, boolean timeMajor, boolean warmup) {
        String name = c.get("name").asText();
        NpzFixture f = NpzFixture.load("/fixtures/rnn/" + name + ".npz");
        RecurrentSpec spec = spec(c);
        boolean lstm = spec.cell() == CellType.LSTM;
        boolean init = c.get("initial_state").asBoolean();
        int b = c.get("batch").asInt();
        int t = c.get("steps").asInt();
        int in = spec.inputSize();
        int width = spec.outputSize();
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 42);
             SequenceMask mask = new SequenceMask(ops)) {
            for (Parameter p : stack.parameters()) p.set(f.get("param." + p.name()).floats());
            if (warmup) warmUp(stack, mask, b + 3, t + 2);
            stack.zeroGrad();

            mask.set(f.get("lengths").ints(), t);
            long state = stack.stateSize(b);
            try (DeviceBuffer x = upload(layout(f.get("x").floats(), b, t, in, timeMajor));
                 DeviceBuffer h0 = init ? upload(f.get("h0").floats()) : null;
                 DeviceBuffer c0 = init && lstm ? upload(f.get("c0").floats()) : null;
                 DeviceBuffer out = ops.allocate((long) b * t * width);
                 DeviceBuffer hN = ops.allocate(state);
                 DeviceBuffer cN = lstm ? ops.allocate(state) : null;
                 DeviceBuffer dOut = upload(layout(f.get("R").floats(), b, t, width, timeMajor));
                 DeviceBuffer dHN = upload(f.get("S").floats());
                 DeviceBuffer dCN = lstm ? upload(f.get("Q").floats()) : null;
                 DeviceBuffer dX = ops.allocate((long) b * t * in);
                 DeviceBuffer dH0 = init ? ops.allocate(state) : null;
                 DeviceBuffer dC0 = init && lstm ? ops.allocate(state) : null) {
                int passes = warmup ? 2 : 1;
                for (int pass = 0; pass < passes; pass++) {
                    if (timeMajor) {
                        stack.forwardTimeMajor(x, mask, h0, c0, out, hN, cN);
                        stack.backwardTimeMajor(dOut, dHN, dCN, dX, dH0, dC0);
                    } else {
                        stack.forward(x, mask, h0, c0, out, hN, cN);
                        stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                    }
                }
                float[] outHost = ops.toHost(out);
                if (timeMajor) outHost = layoutBack(outHost, b, t, width);
                forward(name + " out", outHost, f.get("out").values());
                forward(name + " h_n", ops.toHost(hN), f.get("h_n").values());
                if (lstm) forward(name + " c_n", ops.toHost(cN), f.get("c_n").values());

                for (Parameter p : stack.parameters()) {
                    float[] g = p.gradient();
                    for (int i = 0; i < g.length; i++) g[i] /= passes;
                    gradient(name + " d" + p.name(), g, f.get("grad." + p.name()).values());
                }
                float[] dXHost = ops.toHost(dX);
                if (timeMajor) dXHost = layoutBack(dXHost, b, t, in);
                gradient(name + " dx", dXHost, f.get("grad.x").values());
                if (init) gradient(name + " dh0", ops.toHost(dH0), f.get("grad.h0").values());
                if (init && lstm) gradient(name + " dc0", ops.toHost(dC0), f.get("grad.c0").values());
                double loss = dot(outHost, f.get("R").values()) + dot(ops.toHost(hN), f.get("S").values())
                        + (lstm ? dot(ops.toHost(cN), f.get("Q").values()) : 0);
                assertEquals(f.get("loss").scalar(), loss, 1e-5 * Math.max(1, Math.abs(loss)), name + " loss");
            }
        }
    }

    /** A forward and backward on a random larger batch, leaving gradients to be zeroed. */
    private static void warmUp(RecurrentStack stack, SequenceMask mask, int b, int t) {
        Random r = new Random(5);
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) lengths[i] = 1 + r.nextInt(t);
        mask.set(lengths, t);
        RecurrentSpec s = stack.spec();
        try (DeviceBuffer x = upload(RandomArrays.gaussian(r, b * t * s.inputSize()));
             DeviceBuffer out = ops.allocate((long) b * t * s.outputSize());
             DeviceBuffer dOut = upload(RandomArrays.gaussian(r, b * t * s.outputSize()));
             DeviceBuffer dX = ops.allocate((long) b * t * s.inputSize())) {
            stack.forward(x, mask, null, null, out, null, null);
            stack.backward(dOut, null, null, dX, null, null);
        }
    }

    private static void forward(String what, float[] actual, double[] expected) {
        worstForward = Math.max(worstForward, RelativeError.check(what, actual, expected, FORWARD_TOL));
    }

    private static void gradient(String what, float[] actual, double[] expected) {
        worstGradient = Math.max(worstGradient, RelativeError.check(what, actual, expected, GRADIENT_TOL));
    }

    private static DeviceBuffer upload(float[] v) {
        DeviceBuffer buf = ops.allocate(v.length);
        ops.upload(v, buf);
        return buf;
    }

    /** [B, T, F] to [T, B, F] when timeMajor. */
    static float[] layout(float[] v, int b, int t, int f, boolean timeMajor) {
        if (!timeMajor) return v;
        float[] r = new float[v.length];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) System.arraycopy(v, (i * t + s) * f, r, (s * b + i) * f, f);
        }
        return r;
    }

    /** [T, B, F] back to [B, T, F]. */
    static float[] layoutBack(float[] v, int b, int t, int f) {
        float[] r = new float[v.length];
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) System.arraycopy(v, (s * b + i) * f, r, (i * t + s) * f, f);
        }
        return r;
    }

    private static double dot(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
