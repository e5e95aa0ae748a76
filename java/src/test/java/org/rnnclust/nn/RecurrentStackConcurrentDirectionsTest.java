package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;

/**
 * The directions of a bidirectional stack run as {@link TensorOps#concurrently}'s tasks: on a
 * backend that runs them at the same time on threads of their own (each with its own scratch, the
 * input gradient's sum in direction order after both), every output, final state and gradient is
 * bit for bit what the in-order run gives, for each cell, with and without initial states, and
 * with a dilated layer. A stack that shared its scratch between running directions, or added the
 * directions' input gradients inside them, would race here and differ by O(1).
 */
class RecurrentStackConcurrentDirectionsTest {
    static final int B = 70;
    static final int T = 9;

    @ParameterizedTest
    @CsvSource({
        "LSTM, false, false", "LSTM, true, false", "LSTM, false, true",
        "GRU, false, false", "GRU, true, false", "GRU, false, true",
        "RNN, true, false", "RNN, false, true",
    })
    void concurrentDirectionsGiveTheInOrderBits(CellType cell, boolean initialStates, boolean dilated) {
        try (CpuOps inOrder = new CpuOps(2); CpuOps concurrent = CpuOps.runningTasksConcurrently(2)) {
            assertEquals(1, inOrder.concurrentLanes());
            List<float[]> expected = run(inOrder, cell, initialStates, dilated);
            // Several rounds: a race need not show in every one.
            for (int round = 0; round < 3; round++) {
                List<float[]> actual = run(concurrent, cell, initialStates, dilated);
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), actual.get(i), cell + " result " + i + ", round " + round);
                }
            }
        }
    }

    /** Forward and backward twice (the second batch reuses every buffer): outputs, states, all gradients. */
    private static List<float[]> run(TensorOps ops, CellType cell, boolean initialStates, boolean dilated) {
        RecurrentSpec spec = new RecurrentSpec(cell, 5, 11, 2, true, dilated ? List.of(1, 3) : List.of());
        boolean lstm = cell == CellType.LSTM;
        Random r = new Random(3);
        int[] lengths = new int[B];
        for (int b = 0; b < B; b++) lengths[b] = b == 0 ? T : r.nextInt(T + 1);
        List<float[]> results = new ArrayList<>();
        try (RecurrentStack stack = new RecurrentStack(ops, spec, 19);
             SequenceMask mask = new SequenceMask(ops, lengths, T)) {
            long state = stack.stateSize(B);
            long outSize = (long) B * T * spec.outputSize();
            long inSize = (long) B * T * spec.inputSize();
            for (int pass = 0; pass < 2; pass++) {
                try (DeviceBuffer x = upload(ops, gaussian(r, inSize));
                     DeviceBuffer h0 = initialStates ? upload(ops, gaussian(r, state)) : null;
                     DeviceBuffer c0 = initialStates && lstm ? upload(ops, gaussian(r, state)) : null;
                     DeviceBuffer out = ops.allocate(outSize);
                     DeviceBuffer hN = ops.allocate(state);
                     DeviceBuffer cN = lstm ? ops.allocate(state) : null;
                     DeviceBuffer dOut = upload(ops, gaussian(r, outSize));
                     DeviceBuffer dHN = upload(ops, gaussian(r, state));
                     DeviceBuffer dCN = lstm ? upload(ops, gaussian(r, state)) : null;
                     DeviceBuffer dX = ops.allocate(inSize);
                     DeviceBuffer dH0 = initialStates ? ops.allocate(state) : null;
                     DeviceBuffer dC0 = initialStates && lstm ? ops.allocate(state) : null) {
                    stack.zeroGrad();
                    stack.forward(x, mask, h0, c0, out, hN, cN);
                    results.add(ops.toHost(out));
                    results.add(ops.toHost(hN));
                    if (lstm) results.add(ops.toHost(cN));
                    stack.backward(dOut, dHN, dCN, dX, dH0, dC0);
                    results.add(ops.toHost(dX));
                    if (dH0 != null) results.add(ops.toHost(dH0));
                    if (dC0 != null) results.add(ops.toHost(dC0));
                    for (Parameter p : stack.parameters()) results.add(p.gradient());
                }
            }
        }
        return results;
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
