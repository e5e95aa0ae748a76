package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.cpu.CpuBackend;

/**
 * The arithmetic behind the GPU index's memory layout, checked here without a GPU: chunks cover
 * every row once, everything stays within the budget, and a pass cut up as the plan says (run on
 * the CPU backend, chunk by chunk) gives what one pass over all the points gives.
 */
@Tag("gpu")
class ChunkPlanTest {
    @Test
    void smallDataStayResidentAndChunksCoverEveryRowOnce() {
        ChunkPlan p = ChunkPlan.of(1_000_003, 64, 8L << 30, ChunkPlan.DEFAULT_TILE_BYTES);
        assertTrue(p.resident());
        assertCovers(p);
        assertTrue(p.chunks() >= 2, "resident passes still run in chunks so copies overlap: " + p);
        for (int k : new int[] {1, 7, 100, 1024, 65536}) {
            long tile = p.tileRows(k);
            assertTrue(tile >= 1 && tile <= p.chunkRows());
            assertTrue(4L * k * tile <= Math.max(ChunkPlan.DEFAULT_TILE_BYTES, 4L * k), "tile buffer bounded");
            assertTrue(p.deviceBytes(k) <= p.budget(), p + " k=" + k + " needs " + p.deviceBytes(k));
        }
    }

    @Test
    void dataOverTheBudgetStreamInChunksThatFit() {
        long budget = 64L << 20;
        ChunkPlan p = ChunkPlan.of(10_000_000, 32, budget, ChunkPlan.DEFAULT_TILE_BYTES);
        assertFalse(p.resident());
        assertTrue(p.chunks() > 10, p.toString());
        assertCovers(p);
        for (int k : new int[] {1, 100, 1024}) assertTrue(p.deviceBytes(k) <= budget, "k=" + k);
    }

    @Test
    void aBudgetTooSmallIsRefusedWithTheSettingToRaise() {
        InputException e = assertThrows(InputException.class, () -> ChunkPlan.of(1000, 1_000_000, 1000, 1 << 20));
        assertTrue(e.getMessage().contains("raise the GPU memory limit"), e.getMessage());
        assertEquals(List.of(Setting.MAX_DEVICE_MEMORY), e.settings());
        ChunkPlan p = ChunkPlan.of(1000, 16, 64 << 10, 1 << 20);
        InputException k = assertThrows(InputException.class, () -> p.tileRows(1 << 20));
        assertTrue(k.getMessage().contains("raise the GPU memory limit") && !k.getMessage().contains("\n"), k.getMessage());
        assertEquals(List.of(Setting.MAX_DEVICE_MEMORY), k.settings());
    }

    /** The streaming pass, simulated on the CPU: per chunk, per tile, then combined as the GPU index combines. */
    @Test
    void aChunkedPassEqualsOnePassOnTheCpu() {
        int n = 5003, d = 7, k = 13;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        float[] c = Arrays.copyOf(x, k * d);
        // A budget that forces many chunks and several tiles per chunk.
        ChunkPlan plan = ChunkPlan.of(n, d, 64 << 10, 4L * k * 100);
        assertFalse(plan.resident());
        assertTrue(plan.chunks() >= 4 && plan.tileRows(k) < plan.chunkRows(), plan.toString());
        try (CpuBackend cpu = new CpuBackend(1)) {
            int[] whole = new int[n];
            float[] wholeDist = new float[n];
            double[] wholeSums = new double[k * d];
            long[] wholeCounts = new long[k];
            double inertia;
            try (CentroidIndex index = cpu.centroidIndex(x, n, d)) {
                inertia = index.assign(c, k, whole, wholeDist, wholeSums, wholeCounts);
            }
            int[] nearest = new int[n];
            float[] dist = new float[n];
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            double chunked = 0;
            long tile = plan.tileRows(k);
            for (long ch = 0; ch < plan.chunks(); ch++) {
                int start = (int) plan.chunkStart(ch);
                int rows = (int) plan.chunkLength(ch);
                for (long r0 = 0; r0 < rows; r0 += tile) {
                    int from = start + (int) r0;
                    int tr = (int) Math.min(tile, rows - r0);
                    float[] part = Arrays.copyOfRange(x, from * d, (from + tr) * d);
                    int[] l = new int[tr];
                    float[] dd = new float[tr];
                    double[] s = new double[k * d];
                    long[] cnt = new long[k];
                    try (CentroidIndex index = cpu.centroidIndex(part, tr, d)) {
                        chunked += index.assign(c, k, l, dd, s, cnt);
                    }
                    System.arraycopy(l, 0, nearest, from, tr);
                    System.arraycopy(dd, 0, dist, from, tr);
                    for (int j = 0; j < k * d; j++) sums[j] += s[j];
                    for (int j = 0; j < k; j++) counts[j] += cnt[j];
                }
            }
            assertArrayEquals(whole, nearest);
            assertArrayEquals(wholeDist, dist, 1e-5f);  // GEMM blocking differs with the tile height
            assertArrayEquals(wholeCounts, counts);
            assertArrayEquals(wholeSums, sums, 1e-3);  // float tile sums of ~600: 2e-6 relative
            assertEquals(inertia, chunked, 1e-9 * inertia);
        }
    }

    private static void assertCovers(ChunkPlan p) {
        long next = 0;
        for (long c = 0; c < p.chunks(); c++) {
            assertEquals(next, p.chunkStart(c));
            assertTrue(p.chunkLength(c) >= 1 && p.chunkLength(c) <= p.chunkRows());
            next += p.chunkLength(c);
        }
        assertEquals(p.n(), next);
    }
}
