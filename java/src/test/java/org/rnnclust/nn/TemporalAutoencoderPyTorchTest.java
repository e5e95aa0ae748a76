package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.NpzFixture;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.FixtureCases;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * DTC's temporal autoencoder against the same network built from PyTorch modules (fixtures/tae,
 * made by make_tae_fixtures.py): the embedding, the reconstruction, the masked MSE and every
 * parameter's gradient, for the reconstruction loss alone and for 0.5·MSE + ⟨E, z⟩ (the embedding
 * gradient DEC and IDEC add). The cases cover "same" padding with even and odd widths, overlapping
 * and gapped pooling windows, several channels and padded (shorter) series.
 */
class TemporalAutoencoderPyTorchTest {
    static TensorOps ops;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    static Stream<Named<JsonNode>> cases() {
        return FixtureCases.of("/fixtures/tae/cases.json");
    }

    static TemporalAutoencoderSpec spec(JsonNode c) {
        return new TemporalAutoencoderSpec(c.get("channels").asInt(), c.get("steps").asInt(), c.get("filters").asInt(),
                c.get("taps").asInt(), c.get("pool").asInt(), c.get("stride").asInt(),
                (float) c.get("slope").asDouble(), c.get("hidden").asInt(), c.get("layers").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        String name = c.get("name").asText();
        NpzFixture f = NpzFixture.load("/fixtures/tae/" + name + ".npz");
        TemporalAutoencoderSpec spec = spec(c);
        int[] lengths = f.get("lengths").ints();
        int b = lengths.length;
        int t = spec.steps();
        int ch = spec.channels();
        try (TemporalAutoencoder model = new TemporalAutoencoder(ops, spec, 11);
             SequenceMask mask = new SequenceMask(ops, lengths, t);
             DeviceBuffer x = upload(RecurrentStackPyTorchTest.layout(f.get("x").floats(), b, t, ch, true));
             DeviceBuffer e = upload(f.get("E").floats())) {
            for (var p : model.namedParameters().entrySet()) p.getValue().set(fromTorch(p.getKey(), f));

            model.zeroGrad();
            double loss = model.forward(x, mask);
            assertEquals(f.get("loss").scalar(), loss, 1e-5 * Math.abs(loss), name + " loss");
            RelativeError.check(name + " z", ops.toHost(model.embed(x, mask)), f.get("z").values(), Tolerances.FP32_OP);
            model.forward(x, mask);
            RelativeError.check(name + " reconstruction",
                    RecurrentStackPyTorchTest.layoutBack(ops.toHost(model.reconstruction()), b, t, ch),
                    f.get("rec").values(), Tolerances.FP32_OP);
            model.backward();
            checkGradients(model, f, "grad.", name);

            model.zeroGrad();
            model.forward(x, mask);
            model.backward(0.5f, e);
            checkGradients(model, f, "grad2.", name + " (with an embedding gradient)");
        }
    }

    @Test
    void refusesABatchOfAnotherLength() {
        TemporalAutoencoderSpec spec = new TemporalAutoencoderSpec(1, 12, 2, 3, 3, 3, 0.3f, 2, 1);
        try (TemporalAutoencoder model = new TemporalAutoencoder(ops, spec, 1);
             SequenceMask mask = new SequenceMask(ops, new int[] {10, 10}, 10);
             DeviceBuffer x = ops.allocate(20)) {
            var error = assertThrows(IllegalArgumentException.class, () -> model.embed(x, mask));
            assertEquals("the temporal autoencoder reads series of 12 steps, got a batch of 10", error.getMessage());
        }
    }

    @Test
    void resamplesAsPyTorchInterpolates() {
        // F.interpolate(torch.arange(5.)[None, None], size=8, mode="linear", align_corners=False)
        // and the same from 8 values to 3 (downsampling, no antialiasing).
        float[] up = TemporalAutoencoder.linearResampling(5, 8);
        double[] want = {0.0, 0.4375, 1.0625, 1.6875, 2.3125, 2.9375, 3.5625, 4.0};
        for (int u = 0; u < 8; u++) {
            double v = 0;
            for (int i = 0; i < 5; i++) v += up[u * 5 + i] * i;
            assertEquals(want[u], v, 1e-6, "output " + u);
        }
        float[] down = TemporalAutoencoder.linearResampling(8, 3);
        double[] wantDown = {0.8333333, 3.5, 6.1666667};
        for (int u = 0; u < 3; u++) {
            double v = 0;
            for (int i = 0; i < 8; i++) v += down[u * 8 + i] * i;
            assertEquals(wantDown[u], v, 1e-6, "output " + u);
        }
    }

    private static void checkGradients(TemporalAutoencoder model, NpzFixture f, String prefix, String what) {
        for (var p : model.namedParameters().entrySet()) {
            double[] torch = f.get(prefix + p.getKey()).values();
            double[] wantD = new double[torch.length];
            int[] order = torchOrder(p.getKey(), f.get(prefix + p.getKey()).shape());
            for (int i = 0; i < order.length; i++) wantD[i] = torch[order[i]];
            RelativeError.check(what + " d" + p.getKey(), p.getValue().gradient(), wantD, Tolerances.TRAINING_STEP);
        }
    }

    private static float[] fromTorch(String name, NpzFixture f) {
        return fromTorch(name, f.get("param." + name));
    }

    /** A PyTorch tensor in rnnclust's layout: Conv1d weights [out, in, K] become [K, out, in]. */
    private static float[] fromTorch(String name, NpzFixture.Array a) {
        float[] v = a.floats();
        int[] order = torchOrder(name, a.shape());
        float[] out = new float[v.length];
        for (int i = 0; i < order.length; i++) out[i] = v[order[i]];
        return out;
    }

    /** For each element of rnnclust's layout, its index in PyTorch's. */
    private static int[] torchOrder(String name, int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        int[] order = new int[n];
        if (name.endsWith("conv.weight")) {
            int out = shape[0];
            int in = shape[1];
            int taps = shape[2];
            for (int j = 0; j < taps; j++) {
                for (int o = 0; o < out; o++) {
                    for (int c = 0; c < in; c++) order[(j * out + o) * in + c] = (o * in + c) * taps + j;
                }
            }
        } else {
            for (int i = 0; i < n; i++) order[i] = i;
        }
        return order;
    }

    private static DeviceBuffer upload(float[] v) {
        DeviceBuffer buf = ops.allocate(v.length);
        ops.upload(v, buf);
        return buf;
    }
}
