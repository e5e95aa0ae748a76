package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;

/**
 * The device-scalar ops on the CPU against the ops that return to the host, which they replace in
 * the training step: the same loss, sum and clipping to the bit (Adam.clipGradients' formula), and
 * {@link TensorOps#recordBatch} against its contract, case by case.
 */
class DeviceScalarsTest {
    static CpuOps ops;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    static DeviceBuffer random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        DeviceBuffer b = ops.allocate(n);
        ops.upload(v, b);
        return b;
    }

    @Test
    void lossAndSquaresEqualTheHostOps() {
        int rows = 41, cols = 3;
        try (DeviceBuffer p = random(rows * cols + 2, 1); DeviceBuffer t = random(rows * cols, 2);
             DeviceBuffer w = random(rows + 1, 3); DeviceBuffer a = random(17, 4); DeviceBuffer b = random(1000, 5);
             DeviceScalars s = ops.allocateScalars(3)) {
            ops.mseLoss(rows, cols, p, 2, t, 0, w, 1, s, 1);
            ops.sumSquares(List.of(a, b), new long[] {17, 999}, s, 2);
            double[] v = ops.readScalars(s);
            assertEquals(0.0, v[0]);
            assertEquals(ops.mseLoss(rows, cols, p, 2, t, 0, w, 1), v[1]);
            assertEquals(ops.sumSquares(List.of(a, b), new long[] {17, 999}), v[2]);
        }
    }

    @Test
    void clipByNormIsClipGradientsFormula() {
        for (double maxNorm : new double[] {0.5, 3.0, 1e9}) {
            try (DeviceBuffer a = random(17, 6); DeviceBuffer b = random(300, 7); DeviceScalars s = ops.allocateScalars(1)) {
                float[] a0 = ops.toHost(a), b0 = ops.toHost(b);
                double sum = ops.sumSquares(List.of(a, b), new long[] {17, 300});
                ops.sumSquares(List.of(a, b), new long[] {17, 300}, s, 0);
                ops.clipByNorm(List.of(a, b), new long[] {17, 300}, maxNorm, s, 0);
                double factor = maxNorm / (Math.sqrt(sum) + 1e-6);
                if (factor < 1) {
                    for (int i = 0; i < a0.length; i++) a0[i] *= (float) factor;
                    for (int i = 0; i < b0.length; i++) b0[i] *= (float) factor;
                }
                assertArrayEquals(a0, ops.toHost(a));
                assertArrayEquals(b0, ops.toHost(b));
            }
        }
    }

    @Test
    void recordBatchFollowsItsContract() {
        try (DeviceScalars s = ops.allocateScalars(2 + TensorOps.BATCH_RECORD)) {
            ops.setScalars(new double[] {0.5, 9.0, 1.0, 0.0, -1, 0, 0, 0}, s, 0);
            ops.recordBatch(s, 0, Double.NaN, 4.0, 0.1, 1e5, 1, 0, 2);
            assertArrayEquals(new double[] {0.5, 9.0, 3.0, 3.0, -1, 0, 0, 0}, ops.readScalars(s));
            // A host loss; weight 0 adds nothing to the sum.
            ops.recordBatch(s, -1, 0.25, 0.0, 0.1, 1e5, 1, 1, 2);
            assertArrayEquals(new double[] {0.5, 9.0, 3.0, 3.0, -1, 0, 0, 0}, ops.readScalars(s));
            // Over the limit: recorded with its zeros-loss and norm.
            ops.setScalars(new double[] {2e5, 4.0}, s, 0);
            ops.recordBatch(s, 0, 0, 1.0, 0.2, 1e5, 1, 2, 2);
            assertArrayEquals(new double[] {2e5, 4.0, 3.0 + 2e5, 2.0, 2, 2e5, 0.2, 2.0}, ops.readScalars(s));
            // The first diverged batch stays.
            ops.setScalars(new double[] {Double.NaN, Double.POSITIVE_INFINITY}, s, 0);
            ops.recordBatch(s, 0, 0, 1.0, 0.3, 1e5, 1, 3, 2);
            double[] v = ops.readScalars(s);
            assertEquals(2, v[4]);
            assertEquals(Double.POSITIVE_INFINITY, v[3]);
            // A NaN limit never trips; a non-finite norm does.
            ops.setScalars(new double[] {0.5, Double.POSITIVE_INFINITY, 0, 0, -1, 0, 0, 0}, s, 0);
            ops.recordBatch(s, 0, 0, 1.0, 0.1, Double.NaN, 1, 7, 2);
            assertArrayEquals(new double[] {0.5, Double.POSITIVE_INFINITY, 0.5, Double.POSITIVE_INFINITY, 7, 0.5, 0.1,
                    Double.POSITIVE_INFINITY}, ops.readScalars(s));
        }
    }

    @Test
    void foreignClosedAndOutOfRangeScalarsAreRefused() {
        try (CpuOps other = new CpuOps(1); DeviceScalars mine = ops.allocateScalars(2);
             DeviceScalars theirs = other.allocateScalars(2); DeviceBuffer x = random(4, 8)) {
            assertThrows(IllegalArgumentException.class, () -> ops.readScalars(theirs));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.setScalars(new double[3], mine, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.sumSquares(List.of(x), new long[] {4}, mine, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.recordBatch(mine, 0, 0, 1, 0, 1, 1, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> ops.clipByNorm(List.of(x), new long[] {4}, 0, mine, 0));
            mine.close();
            assertThrows(IllegalStateException.class, () -> ops.readScalars(mine));
        }
    }
}
