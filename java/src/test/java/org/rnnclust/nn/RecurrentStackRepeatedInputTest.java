package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * A stack fed z [B, I] at every step ({@link RecurrentStack#forwardRepeated},
 * {@link RecurrentStack#backwardRepeated}): on the reference backend it is, bit for bit, the stack
 * run on z copied to every step with its input gradient summed over the steps (what the sequence
 * autoencoder did before); where the backend projects z once (a step stride of 0, the gate
 * gradients summed over the steps first) outputs, dZ and every parameter gradient agree with that
 * within FP32 rounding, for each cell, one or two directions, two layers, variable lengths, on
 * two batches that reuse the buffers, with the time loop in row ranges too; and a whole autoencoder's gradients agree too. A stride-0 read
 * with a row offset, or a weight gradient over the repeated rows, fails here.
 */
class RecurrentStackRepeatedInputTest {
    static final int T = 7;
    static final double TOL = Tolerances.FP32_OP;

    @ParameterizedTest
    @CsvSource({"LSTM, false, 13", "LSTM, true, 13", "GRU, false, 13", "GRU, true, 13", "RNN, true, 13",
        // row ranges of 128 and 12 rows (each reads the projection at its own row offset)
        "LSTM, true, 144", "GRU, false, 144"})
    void repeatedInputIsTheCopiedOne(CellType cell, boolean bidirectional, int batch) {
        RecurrentSpec spec = new RecurrentSpec(cell, 4, 6, 2, bidirectional);
        try (CpuOps ops = new CpuOps(2); CpuOps once = CpuOps.projectingRepeatedInputOnce(2)) {
            List<float[]> copied = run(ops, spec, batch, false);
            List<float[]> repeated = run(ops, spec, batch, true);
            assertEquals(copied.size(), repeated.size());
            for (int i = 0; i < copied.size(); i++) assertArrayEquals(copied.get(i), repeated.get(i), "result " + i);
            List<float[]> projected = run(once, spec, batch, true);
            for (int i = 0; i < copied.size(); i++) {
                double e = RelativeError.of(projected.get(i), copied.get(i));
                assertTrue(e <= TOL, cell + " result " + i + ": projected once vs copied " + e);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"LSTM", "GRU"})
    void anAutoencodersGradientsAgree(CellType cell) {
        AutoencoderSpec spec = new AutoencoderSpec(cell, 2, 8, 2, true, 3);
        try (CpuOps ops = new CpuOps(2); CpuOps once = CpuOps.projectingRepeatedInputOnce(2)) {
            Map<String, float[]> a = autoencoderGradients(ops, spec);
            Map<String, float[]> b = autoencoderGradients(once, spec);
            for (var e : a.entrySet()) {
                double err = RelativeError.of(b.get(e.getKey()), e.getValue());
                assertTrue(err <= TOL, e.getKey() + ": " + err);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"LSTM"})
    void aRepeatedForwardTakesARepeatedBackward(CellType cell) {
        try (CpuOps ops = new CpuOps(1); RecurrentStack stack = new RecurrentStack(ops, cell, 2, 3, 1, false, 1);
             SequenceMask mask = new SequenceMask(ops, new int[] {2, 1}, 2);
             DeviceBuffer z = ops.allocate(4); DeviceBuffer dOut = ops.allocate(12); DeviceBuffer dX = ops.allocate(8);
             DeviceBuffer x = ops.allocate(8)) {
            stack.forwardRepeated(z, mask, null);
            assertThrows(IllegalStateException.class, () -> stack.backwardTimeMajor(dOut, null, null, dX, null, null));
            stack.forwardTimeMajor(x, mask, null, null, null, null, null);
            assertThrows(IllegalStateException.class, () -> stack.backwardRepeated(dOut, z));
        }
    }

    /** Two batches: outputs, dZ and every gradient; repeated: forwardRepeated, else copies and column sums by hand. */
    private static List<float[]> run(TensorOps ops, RecurrentSpec spec, int size, boolean repeated) {
        Random r = new Random(41);
        List<float[]> results = new ArrayList<>();
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 3)) {
            for (int pass = 0; pass < 2; pass++) {
                int batch = pass == 0 ? size : size - 4;
                int[] lengths = new int[batch];
                for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? T : 1 + r.nextInt(T);
                int bi = batch * spec.inputSize();
                long outSize = (long) T * batch * spec.outputSize();
                try (SequenceMask mask = new SequenceMask(ops, lengths, T);
                     DeviceBuffer z = upload(ops, gaussian(r, bi));
                     DeviceBuffer out = ops.allocate(outSize);
                     DeviceBuffer dOut = upload(ops, gaussian(r, outSize));
                     DeviceBuffer dZ = upload(ops, gaussian(r, bi));
                     DeviceBuffer x = ops.allocate((long) T * bi);
                     DeviceBuffer dX = ops.allocate((long) T * bi)) {
                    stack.zeroGrad();
                    if (repeated) {
                        stack.forwardRepeated(z, mask, out);
                        stack.backwardRepeated(dOut, dZ);
                    } else {
                        for (int t = 0; t < T; t++) ops.copy(z, 0, x, (long) t * bi, bi);
                        stack.forwardTimeMajor(x, mask, null, null, out, null, null);
                        stack.backwardTimeMajor(dOut, null, null, dX, null, null);
                        ops.addColumnSums(T, bi, dX, 0, bi, dZ, 0);
                    }
                    results.add(ops.toHost(out));
                    results.add(ops.toHost(dZ));
                    for (Parameter p : stack.parameters()) results.add(p.gradient());
                }
            }
        }
        return results;
    }

    private static Map<String, float[]> autoencoderGradients(TensorOps ops, AutoencoderSpec spec) {
        Random r = new Random(5);
        int batch = 9;
        int steps = 11;
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = b == 0 ? steps : 2 + r.nextInt(steps - 1);
        try (SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, 7);
             SequenceMask mask = new SequenceMask(ops, lengths, steps);
             DeviceBuffer x = upload(ops, gaussian(r, (long) steps * batch * spec.channels()))) {
            m.zeroGrad();
            m.forward(x, mask);
            m.backward();
            Map<String, float[]> g = new java.util.TreeMap<>();
            for (var e : m.namedParameters().entrySet()) g.put(e.getKey(), e.getValue().gradient());
            return g;
        }
    }

    private static DeviceBuffer upload(TensorOps ops, float[] v) {
        DeviceBuffer b = ops.allocate(v.length);
        ops.upload(v, b);
        return b;
    }

    private static float[] gaussian(Random r, long n) {
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
