package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.Tolerances;

/**
 * The time loops split into batch-row ranges on three threads (every split forced, so ranges of
 * 128 and 12 rows at B = 140) compute what the single-threaded loop computes: outputs, final
 * states and every gradient of a two-layer bidirectional stack with variable lengths. The
 * single-threaded path is the one checked against PyTorch and finite differences; a range offset
 * off by one row would mix sequences and fail here by O(1).
 */
class RecurrentStackRowRangeTest {
    static final int B = 140;
    static final int T = 6;
    static final double TOL = Tolerances.FP32_OP;

    record Result(float[] out, float[] hN, float[] cN, float[] dX, float[] dH0, float[] dC0, List<float[]> grads) {}

    @ParameterizedTest
    @EnumSource(CellType.class)
    void rowRangesMatchOneThread(CellType cell) {
        try (CpuOps one = new CpuOps(1); CpuOps split = CpuOps.splittingEverything(3)) {
            Result a = run(one, cell);
            Result b = run(split, cell);
            close("out", a.out, b.out);
            close("hN", a.hN, b.hN);
            close("dX", a.dX, b.dX);
            close("dH0", a.dH0, b.dH0);
            if (cell == CellType.LSTM) {
                close("cN", a.cN, b.cN);
                close("dC0", a.dC0, b.dC0);
            }
            for (int i = 0; i < a.grads.size(); i++) close("gradient " + i, a.grads.get(i), b.grads.get(i));
        }
    }

    private static void close(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        for (float v : expected) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL * Math.max(1, scale), what + " [" + i + "]");
        }
    }

    private static Result run(TensorOps ops, CellType cell) {
        RecurrentSpec spec = new RecurrentSpec(cell, 5, 7, 2, true);
        boolean lstm = cell == CellType.LSTM;
        Random r = new Random(5);
        int[] lengths = new int[B];
        for (int b = 0; b < B; b++) lengths[b] = 1 + r.nextInt(T);
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 11);
             SequenceMask mask = new SequenceMask(ops, lengths, T)) {
            long state = stack.stateSize(B);
            long outSize = (long) B * T * spec.outputSize();
            try (DeviceBuffer x = upload(ops, gaussian(r, B * T * spec.inputSize()));
                 DeviceBuffer h0 = upload(ops, gaussian(r, (int) state));
                 DeviceBuffer c0 = lstm ? upload(ops, gaussian(r, (int) state)) : null;
                 DeviceBuffer out = ops.allocate(outSize); DeviceBuffer hN = ops.allocate(state);
                 DeviceBuffer cN = lstm ? ops.allocate(state) : null;
                 DeviceBuffer dOut = upload(ops, gaussian(r, (int) outSize));
                 DeviceBuffer dHN = upload(ops, gaussian(r, (int) state));
                 DeviceBuffer dCN = lstm ? upload(ops, gaussian(r, (int) state)) : null;
                 DeviceBuffer dX = ops.allocate((long) B * T * spec.inputSize());
                 DeviceBuffer dH0 = ops.allocate(state); DeviceBuffer dC0 = lstm ? ops.allocate(state) : null) {
                stack.zeroGrad();
                stack.forward(x, mask, h0, c0, out, hN, cN);
                stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                return new Result(ops.toHost(out), ops.toHost(hN), lstm ? ops.toHost(cN) : null, ops.toHost(dX),
                        ops.toHost(dH0), lstm ? ops.toHost(dC0) : null,
                        stack.parameters().stream().map(Parameter::gradient).toList());
            }
        }
    }

    private static DeviceBuffer upload(TensorOps ops, float[] v) {
        DeviceBuffer b = ops.allocate(v.length);
        ops.upload(v, b);
        return b;
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
