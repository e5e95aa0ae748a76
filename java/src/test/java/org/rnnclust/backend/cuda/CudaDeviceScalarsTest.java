package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.Tolerances;

/**
 * The device-scalar ops of {@link CudaTensorOps} (the training step's loss, norm, clipping and batch
 * record without host reads) against the GPU's own host-returning ops and against {@link CpuOps}:
 * the loss and the squared norm in a slot equal what mseLoss and sumSquares return on the GPU (the
 * same kernels and sums) and the CPU's within FP32's bound; clipping from the slot equals scaling
 * by the host formula's factor to the bit; the batch record equals the CPU's case by case.
 */
@Tag("gpu")
class CudaDeviceScalarsTest {
    static CudaBackend backend;
    static TensorOps gpu;
    static CpuOps cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the CUDA device-scalar tests");
        backend = new CudaBackend(0, false, 0);
        gpu = backend.tensorOps();
        cpu = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        if (backend != null) backend.close();
        if (cpu != null) cpu.close();
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    static DeviceBuffer on(TensorOps ops, float[] v) {
        DeviceBuffer b = ops.allocate(v.length);
        ops.upload(v, b);
        return b;
    }

    @ParameterizedTest(name = "rows={0} cols={1}")
    @CsvSource({"1,1", "33,5", "7168,28", "100001,3"})
    void lossAndSquaresInSlotsEqualTheReturnedOnes(int rows, int cols) {
        float[] p = gaussian(rows * cols, 1), t = gaussian(rows * cols, 2), w = new float[rows];
        for (int r = 0; r < rows; r++) w[r] = r % 3 == 1 ? 0f : 1f;
        float[] a = gaussian(17, 3), b = gaussian(300001, 4);
        try (DeviceBuffer pg = on(gpu, p); DeviceBuffer tg = on(gpu, t); DeviceBuffer wg = on(gpu, w);
             DeviceBuffer ag = on(gpu, a); DeviceBuffer bg = on(gpu, b); DeviceScalars s = gpu.allocateScalars(3);
             DeviceBuffer pc = on(cpu, p); DeviceBuffer tc = on(cpu, t); DeviceBuffer wc = on(cpu, w)) {
            gpu.mseLoss(rows, cols, pg, 0, tg, 0, wg, 0, s, 1);
            gpu.sumSquares(List.of(ag, bg), new long[] {17, 300001}, s, 2);
            double[] v = gpu.readScalars(s);
            assertEquals(0.0, v[0]);
            assertEquals(gpu.mseLoss(rows, cols, pg, 0, tg, 0, wg, 0), v[1]);
            assertEquals(gpu.sumSquares(List.of(ag, bg), new long[] {17, 300001}), v[2]);
            double c = cpu.mseLoss(rows, cols, pc, 0, tc, 0, wc, 0);
            assertTrue(Math.abs(v[1] - c) <= Tolerances.FP32_OP * c, v[1] + " vs " + c);
        }
    }

    @Test
    void clippingFromTheSlotScalesByTheHostFactor() {
        for (double maxNorm : new double[] {0.5, 1e9}) {
            float[] a = gaussian(17, 5), b = gaussian(100003, 6);
            try (DeviceBuffer ag = on(gpu, a); DeviceBuffer bg = on(gpu, b); DeviceScalars s = gpu.allocateScalars(1)) {
                gpu.sumSquares(List.of(ag, bg), new long[] {17, 100003}, s, 0);
                double sum = gpu.readScalars(s)[0];
                gpu.clipByNorm(List.of(ag, bg), new long[] {17, 100003}, maxNorm, s, 0);
                double factor = maxNorm / (Math.sqrt(sum) + 1e-6);
                if (factor < 1) {
                    for (int i = 0; i < a.length; i++) a[i] *= (float) factor;
                    for (int i = 0; i < b.length; i++) b[i] *= (float) factor;
                }
                assertArrayEquals(a, gpu.toHost(ag));
                assertArrayEquals(b, gpu.toHost(bg));
            }
        }
    }

    @Test
    void batchRecordsEqualTheCpus() {
        double[][] cases = {  // loss, norm², hostLoss, weight, zeros, limit, lossSlot (−1: the host's)
            {0.5, 9.0, 0, 4.0, 0.1, 1e5, 0}, {0.5, 9.0, 0.25, 0.0, 0.1, 1e5, -1}, {2e5, 4.0, 0, 1.0, 0.2, 1e5, 0},
            {Double.NaN, 1.0, 0, 1.0, 0.3, 1e5, 0}, {0.5, Double.POSITIVE_INFINITY, 0, 1.0, 0.1, Double.NaN, 0},
            {0.5, 1.0, Double.NaN, 1.0, 0.1, 1e5, -1}, {0.5, Double.NaN, 0, 3.0, 0.1, 1e5, 0}};
        try (DeviceScalars g = gpu.allocateScalars(8); DeviceScalars c = cpu.allocateScalars(8)) {
            double[] start = {0, 0, 1.0, 0.0, -1, 0, 0, 0};
            gpu.setScalars(start, g, 0);
            cpu.setScalars(start, c, 0);
            for (int i = 0; i < cases.length; i++) {
                double[] k = cases[i];
                gpu.setScalars(new double[] {k[0], k[1]}, g, 0);
                cpu.setScalars(new double[] {k[0], k[1]}, c, 0);
                gpu.recordBatch(g, (int) k[6], k[2], k[3], k[4], k[5], 1, i, 2);
                cpu.recordBatch(c, (int) k[6], k[2], k[3], k[4], k[5], 1, i, 2);
                assertArrayEquals(cpu.readScalars(c), gpu.readScalars(g), "after case " + i);
                if (i == 2) {  // a fresh record for the cases after the first divergence
                    gpu.setScalars(start, g, 0);
                    cpu.setScalars(start, c, 0);
                }
            }
        }
    }

    @Test
    void scalarOpsThatWaitOrAllocateAreRefusedInsideACapturedBody() {
        try (DeviceScalars s = gpu.allocateScalars(2)) {
            assertThrows(IllegalStateException.class, () -> gpu.captured("refused", () -> gpu.readScalars(s)));
            assertThrows(IllegalStateException.class, () -> gpu.captured("refused", () -> gpu.allocateScalars(1)));
            assertThrows(IllegalStateException.class,
                    () -> gpu.captured("refused", () -> gpu.setScalars(new double[] {1}, s, 0)));
        }
    }
}
