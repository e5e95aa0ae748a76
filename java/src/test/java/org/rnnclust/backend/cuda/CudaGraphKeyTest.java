package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * Keyed graph replay ({@link TensorOps#capturedByKey}): replays without a dry run follow their key
 * (a new buffer in the key records anew, the old key's graph keeps its own buffer); the recurrent
 * layers' keys determine their bodies (every replay of a training run checked against a fresh
 * trace) and the run equals the CPU's; a key that does not determine its body is caught by the check.
 */
@Tag("gpu")
class CudaGraphKeyTest {
    static CudaBackend backend;
    static CudaTensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the keyed CUDA graph tests");
        backend = new CudaBackend(0, false, 0);
        gpu = (CudaTensorOps) backend.tensorOps();
        cpu = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.verifyGraphKeys(false);
        if (backend != null) backend.close();
        if (cpu != null) cpu.close();
    }

    @Test
    void aReplayFollowsItsKey() {
        try (DeviceBuffer a = gpu.allocate(5); DeviceBuffer b = gpu.allocate(5)) {
            float[] ones = {1, 1, 1, 1, 1};
            gpu.upload(ones, a);
            gpu.upload(ones, b);
            // Op by op, captured, replayed: 2³.
            for (int i = 0; i < 3; i++) gpu.capturedByKey(List.of("double", a), () -> gpu.scale(a, 0, 5, 2f));
            assertArrayEquals(new float[] {8, 8, 8, 8, 8}, gpu.toHost(a));
            // Another buffer, another key: recorded anew; a is left alone.
            for (int i = 0; i < 3; i++) gpu.capturedByKey(List.of("double", b), () -> gpu.scale(b, 0, 5, 2f));
            gpu.capturedByKey(List.of("double", a), () -> gpu.scale(a, 0, 5, 2f));
            assertArrayEquals(new float[] {8, 8, 8, 8, 8}, gpu.toHost(b));
            assertArrayEquals(new float[] {16, 16, 16, 16, 16}, gpu.toHost(a));
        }
    }

    @Test
    void aKeyThatDoesNotDetermineItsBodyIsCaughtWhenChecked() {
        gpu.verifyGraphKeys(true);
        try (DeviceBuffer a = gpu.allocate(5)) {
            for (int i = 0; i < 2; i++) gpu.capturedByKey("same key", () -> gpu.scale(a, 0, 5, 2f));
            assertThrows(IllegalStateException.class, () -> gpu.capturedByKey("same key", () -> gpu.scale(a, 0, 5, 3f)));
        } finally {
            gpu.verifyGraphKeys(false);
        }
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    /** Steps of a bidirectional 2-layer autoencoder, every replay checked; a short last batch changes the keys. */
    @Test
    void trainingWithCheckedKeysEqualsTheCpu() {
        gpu.verifyGraphKeys(true);
        try {
            AutoencoderSpec spec = new AutoencoderSpec(CellType.LSTM, 3, 16, 2, true, 4);
            int steps = 9;
            int[][] batches = {{9, 4, 7, 9, 1, 3}, {9, 9, 2, 5, 6, 8}, {9, 1, 1, 4, 7, 2}, {9, 3, 5}, {9, 6, 2, 8, 4, 4}};
            try (SequenceAutoencoder mc = new SequenceAutoencoder(cpu, spec, 5);
                 SequenceAutoencoder mg = new SequenceAutoencoder(gpu, spec, 5);
                 Adam ac = new Adam(cpu, mc.parameters(), 3e-3, 0); Adam ag = new Adam(gpu, mg.parameters(), 3e-3, 0);
                 DeviceBuffer xc = cpu.allocate(steps * 6 * 3); DeviceBuffer xg = gpu.allocate(steps * 6 * 3);
                 SequenceMask kc = new SequenceMask(cpu); SequenceMask kg = new SequenceMask(gpu)) {
                for (int i = 0; i < batches.length; i++) {
                    int[] lengths = batches[i];
                    float[] hx = gaussian(steps * lengths.length * 3, 90 + i);
                    cpu.upload(hx, 0, xc, 0, hx.length);
                    gpu.upload(hx, 0, xg, 0, hx.length);
                    // One mask reloaded, as the batch loader does: its buffer, and so the keys, repeat.
                    kc.set(lengths, steps);
                    kg.set(lengths, steps);
                    {
                        for (TensorOps o : new TensorOps[] {cpu, gpu}) {
                            boolean g = o == gpu;
                            SequenceAutoencoder m = g ? mg : mc;
                            Adam adam = g ? ag : ac;
                            m.zeroGrad();
                            m.forward(g ? xg : xc, g ? kg : kc);
                            m.backward();
                            adam.clipGradients(1.0);
                            adam.step();
                        }
                    }
                }
                for (var e : mc.namedParameters().entrySet()) {
                    Parameter pg = mg.parameter(e.getKey());
                    double we = RelativeError.of(pg.get(), e.getValue().get());
                    assertTrue(we <= Tolerances.TRAINING_STEP, e.getKey() + " weights: relative error " + we);
                }
            }
        } finally {
            gpu.verifyGraphKeys(false);
        }
    }
}
