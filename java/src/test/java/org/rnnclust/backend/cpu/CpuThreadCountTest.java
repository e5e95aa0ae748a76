package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.testing.RandomArrays;

/**
 * The CPU backend's splits do not depend on the thread count: the same chunks for 1 to 5
 * threads, GEMMs and row ranges with the same bits, and k-means sums and inertia equal to a
 * sequential sum over the same tiles in tile order.
 */
class CpuThreadCountTest {
    private static final int[] THREADS = {1, 2, 3, 5};

    /** The (from, to) ranges a loop hands out, sorted. */
    private static List<String> ranges(int threads, int n, int chunks, int align) {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (CpuParallel parallel = new CpuParallel(threads)) {
            parallel.run(n, chunks, align, (worker, from, to) -> seen.add(from + "-" + to));
        }
        List<String> sorted = new ArrayList<>(seen);
        Collections.sort(sorted);
        return sorted;
    }

    @ParameterizedTest
    @CsvSource({"1,4,1", "37,16,1", "37,3,8", "1000,7,16", "100,16,16", "5,16,8"})
    void chunksAreTheSameForAnyThreadCountAndCoverTheLoopOnce(int n, int chunks, int align) {
        List<String> one = ranges(1, n, chunks, align);
        int covered = 0;
        for (String r : one) {
            String[] ends = r.split("-");
            covered += Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]);
        }
        assertEquals(n, covered, "ranges cover [0, n) once: " + one);
        for (int t : THREADS) assertEquals(one, ranges(t, n, chunks, align), t + " threads");
    }

    @Test
    void chunkCountDependsOnTheWorkOnly() {
        assertEquals(1, CpuParallel.chunks(10, 100));
        assertEquals(3, CpuParallel.chunks(300, 100));
        assertEquals(CpuParallel.MAX_CHUNKS, CpuParallel.chunks(1L << 40, 1));
    }

    /**
     * C = A·B on {@code threads} threads with every op split as far as it goes: one GEMM, or (with
     * {@code inRowRanges}) one GEMM per row range of {@link CpuOps#forEachRowRange}.
     */
    private static float[] product(int threads, int m, int n, int k, boolean inRowRanges) {
        SplittableRandom rng = new SplittableRandom(m * 7L + n);
        float[] a = RandomArrays.uniform(rng, m * k, -1, 1);
        float[] b = RandomArrays.uniform(rng, k * n, -1, 1);
        try (CpuOps ops = new CpuOps(threads, 1, 1, 1, NativeCpu.available(), Sgemm.of(false));
             DeviceBuffer da = ops.allocate(a.length); DeviceBuffer db = ops.allocate(b.length);
             DeviceBuffer dc = ops.allocate((long) m * n)) {
            ops.upload(a, da);
            ops.upload(b, db);
            if (inRowRanges) {
                ops.forEachRowRange(m, 1, (lane, from, to) -> lane.gemm(false, false, to - from, n, k, 1f,
                        da, (long) from * k, k, db, 0, n, 0f, dc, (long) from * n, n));
            } else {
                ops.gemm(false, false, m, n, k, 1f, da, 0, k, db, 0, n, 0f, dc, 0, n);
            }
            return ops.toHost(dc);
        }
    }

    /** A GEMM of each split direction, and GEMMs in row ranges: the same bits for any thread count. */
    @ParameterizedTest
    @CsvSource({"300,40,70,false", "40,300,70,false", "400,129,33,false", "150,48,40,true"})
    void gemmBitsDoNotDependOnTheThreadCount(int m, int n, int k, boolean inRowRanges) {
        float[] reference = product(1, m, n, k, inRowRanges);
        for (int t : THREADS) assertArrayEquals(reference, product(t, m, n, k, inRowRanges), t + " threads");
    }

    /**
     * k-means distances, sums, counts and inertia: the same bits for every thread count, and equal
     * to a sequential oracle over the same tiles (rows per tile = TILE_FLOATS / k), each tile
     * summed in float and the tiles added in double in tile order.
     */
    @ParameterizedTest
    @CsvSource({"7,3,5", "3001,9,40", "5000,70,1000"})
    void centroidSumsAndInertiaEqualASequentialSumInTileOrder(int n, int d, int k) {
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] c = RandomArrays.uniform(rng, k * d, -2, 2);
        int[] nearest1 = null;
        float[] dist1 = null;
        double[] sums1 = null;
        long[] counts1 = null;
        double inertia1 = 0;
        for (int t : THREADS) {
            int[] nearest = new int[n];
            float[] dist = new float[n];
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            double inertia;
            try (CpuBackend backend = new CpuBackend(t); CentroidIndex index = backend.centroidIndex(x, n, d)) {
                inertia = index.assign(c, k, nearest, dist, sums, counts);
            }
            if (nearest1 == null) {
                nearest1 = nearest;
                dist1 = dist;
                sums1 = sums;
                counts1 = counts;
                inertia1 = inertia;
            } else {
                assertArrayEquals(nearest1, nearest, t + " threads: nearest");
                assertArrayEquals(dist1, dist, t + " threads: distances");
                assertArrayEquals(sums1, sums, t + " threads: sums");
                assertArrayEquals(counts1, counts, t + " threads: counts");
                assertEquals(Double.doubleToLongBits(inertia1), Double.doubleToLongBits(inertia), t + " threads: inertia");
            }
        }
        int tileRows = Math.max(1, Math.min(n, CpuCentroidIndex.TILE_FLOATS / k));
        double inertia = 0;
        double[] sums = new double[k * d];
        for (int from = 0; from < n; from += tileRows) {
            int to = Math.min(n, from + tileRows);
            double tileInertia = 0;
            float[] tileSums = new float[k * d];
            for (int i = from; i < to; i++) {
                tileInertia += dist1[i];
                for (int j = 0; j < d; j++) tileSums[nearest1[i] * d + j] += x[i * d + j];
            }
            inertia += tileInertia;
            for (int j = 0; j < k * d; j++) sums[j] += tileSums[j];
        }
        assertEquals(Double.doubleToLongBits(inertia), Double.doubleToLongBits(inertia1), "inertia " + inertia1 + " vs " + inertia);
        assertArrayEquals(sums, sums1, "sums");
    }
}
