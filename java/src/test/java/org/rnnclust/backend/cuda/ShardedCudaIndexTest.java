package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.ShardedBackend;
import org.rnnclust.backend.ShardedCentroidIndex;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * G = 2 shards on GPU 0 (two backends, each its own context: streams, cuBLAS handle, kernel
 * arguments) against G = 1 on the same GPU; with two GPUs, cuda:0,1 as well. The fused assignment
 * kernel computes each point from that point and the centres alone, so labels and distances are the
 * one index's bits; the sums (double atomics on the GPU) and the inertia agree within the FP32 bound.
 * Skipped, with the reason, where there is no GPU.
 */
@Tag("gpu")
class ShardedCudaIndexTest {
    static final double FP32 = Tolerances.FP32_OP;

    static CudaBackend gpu;
    static CudaBackend second;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the sharded CUDA index tests");
        gpu = new CudaBackend(0, false, 0);
        second = new CudaBackend(0, false, 0);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (second != null) second.close();
    }

    private static List<ShardedCentroidIndex.Maker> twoShardsOnGpu0() {
        return List.of(gpu::centroidIndex, second::centroidIndex);
    }

    @Test
    void twoShardsOnOneGpuAnswerAsOneIndex() {
        int[][] shapes = {{37, 3, 5}, {4099, 64, 257}, {20011, 129, 100}, {65537, 8, 3}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], k = s[2];
            String what = "n,d,k=" + n + "," + d + "," + k;
            float[] x = CudaCentroidIndexTest.gaussian(n * d, 5L * n);
            float[] c = CudaCentroidIndexTest.gaussian(k * d, 7L * n);
            int[] l1 = new int[n], l2 = new int[n];
            float[] d1 = new float[n], d2 = new float[n];
            double[] s1 = new double[k * d], s2 = new double[k * d];
            long[] c1 = new long[k], c2 = new long[k];
            int m = Math.min(7, k);
            float[] q1 = new float[n * m], q2 = new float[n * m];
            double i1, i2;
            try (CentroidIndex one = gpu.centroidIndex(x, n, d);
                 ShardedCentroidIndex two = new ShardedCentroidIndex(x, n, d, twoShardsOnGpu0())) {
                i1 = one.assign(c, k, l1, d1, s1, c1);
                i2 = two.assign(c, k, l2, d2, s2, c2);
                one.sqDistances(c, m, q1);
                two.sqDistances(c, m, q2);
                float[] p1 = new float[d], p2 = new float[d];
                for (int i : new int[] {0, n / 2, n - 1}) {
                    one.point(i, p1);
                    two.point(i, p2);
                    assertArrayEquals(p1, p2, what + ": point " + i);
                }
            }
            if (CudaCentroidIndex.FUSED_ASSIGN) {
                assertArrayEquals(l1, l2, what + ": labels");
                assertArrayEquals(d1, d2, what + ": distances");
                assertArrayEquals(c1, c2, what + ": counts");
            } else {
                // cuBLAS may choose another GEMM for n/2 rows: compare as the CPU parity does, ties by distance.
                assertTrue(RandIndex.ari(l1, l2) >= 0.999, what + ": labels");
                assertTrue(RelativeError.of(d2, d1) <= FP32, what + ": distances");
            }
            assertTrue(RelativeError.of(q2, q1) <= FP32, what + ": sqDistances off by " + RelativeError.of(q2, q1));
            assertEquals(i1, i2, FP32 * Math.max(1, i1), what + ": inertia");
            double num = 0, den = 0;
            for (int j = 0; j < k * d; j++) {
                num += (s2[j] - s1[j]) * (s2[j] - s1[j]);
                den += s1[j] * s1[j];
            }
            assertTrue(Math.sqrt(num / Math.max(den, 1e-30)) <= FP32, what + ": sums");
        }
    }

    @Test
    void loadRefillsEveryShard() {
        int n = 30011, d = 24, k = 40;
        float[] a = CudaCentroidIndexTest.gaussian(n * d, 21);
        float[] b = CudaCentroidIndexTest.gaussian(n * d, 22);
        float[] c = CudaCentroidIndexTest.gaussian(k * d, 23);
        int[] l1 = new int[n], l2 = new int[n];
        float[] d1 = new float[n], d2 = new float[n];
        try (CentroidIndex fresh = gpu.centroidIndex(b, n, d);
             ShardedCentroidIndex reused = new ShardedCentroidIndex(a, n, d, twoShardsOnGpu0())) {
            reused.load(b);
            double want = fresh.assign(c, k, l1, d1);
            double got = reused.assign(c, k, l2, d2);
            assertArrayEquals(l1, l2);
            assertArrayEquals(d1, d2);
            assertEquals(want, got, FP32 * want);
        }
    }

    /** Through the factory: cuda:0,0 (and cuda:0,1 where there are two GPUs) fits k-means as cuda:0 does. */
    @Test
    void kMeansOnShardedDevicesMatchesOneGpu() {
        int[][] cases = {{20000, 16, 10}, {7919, 13, 17}};
        int gpus = CudaProbe.probe().devices().size();
        for (String name : gpus >= 2 ? new String[] {"cuda:0,0", "cuda:0,1"} : new String[] {"cuda:0,0"}) {
            try (Backend sharded = Backends.open(name, 0)) {
                assertTrue(sharded instanceof ShardedBackend, sharded.name());
                assertEquals(name, sharded.name());
                for (int[] s : cases) {
                    int n = s[0], d = s[1], k = s[2];
                    float[] x = Blobs.gaussian(n, d, k, n);
                    KMeans km = new KMeans(KMeansParams.of(k, 42).withNInit(2));
                    KMeansModel one = km.fit(gpu, x, n, d);
                    KMeansModel many = km.fit(sharded, x, n, d);
                    String what = name + " n,d,k=" + n + "," + d + "," + k;
                    assertEquals(one.inertia(), many.inertia(), 1e-5 * one.inertia(), what + ": inertia");
                    assertTrue(RandIndex.ari(one.labels(), many.labels()) >= 0.999, what);
                    KMeans mini = new KMeans(KMeansParams.of(k, 3).withNInit(1).withBatchSize(1024));
                    KMeansModel miniOne = mini.fit(gpu, x, n, d);
                    KMeansModel miniMany = mini.fit(sharded, x, n, d);
                    assertEquals(miniOne.inertia(), miniMany.inertia(), 1e-3 * miniOne.inertia(), what + ": mini-batch");
                }
            }
        }
    }

    /**
     * A shard that runs out of device memory while the index is made: the exception is the GPU's own
     * (the command line's exit code 4), and the first shard's device memory is given back.
     */
    @Test
    void outOfMemoryInOneShardIsRethrownAndTheOtherShardFreed() {
        int n = 100000, d = 64;
        float[] x = CudaCentroidIndexTest.gaussian(n * d, 31);
        // Warm both contexts (kernels, cuBLAS workspace) so that free memory compares like with like.
        try (ShardedCentroidIndex warm = new ShardedCentroidIndex(x, n, d, twoShardsOnGpu0())) {
            warm.assign(CudaCentroidIndexTest.gaussian(10 * d, 32), 10, new int[n], null);
        }
        long before = gpu.context().memoryInfo()[0];
        long total = gpu.context().memoryInfo()[1];
        CudaOutOfMemoryException[] thrown = new CudaOutOfMemoryException[1];
        ShardedCentroidIndex.Maker tooLarge = (p, rows, dim) -> {
            second.context().bind();
            try {
                new DeviceMemory(total * 2, "test").close();
            } catch (CudaOutOfMemoryException e) {
                thrown[0] = e;
                throw e;
            }
            throw new AssertionError("twice the GPU's memory was allocated");
        };
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                () -> new ShardedCentroidIndex(x, n, d, List.of(gpu::centroidIndex, tooLarge)).close());
        assertSame(thrown[0], e);
        assertEquals(before, gpu.context().memoryInfo()[0], "free device memory after the failed index");
        // And the GPU still answers: each point's distance is the exact nearest one, within FP32.
        int m = 1000, k = 5, dim = 8;
        float[] y = CudaCentroidIndexTest.gaussian(m * dim, 12);
        float[] c = CudaCentroidIndexTest.gaussian(k * dim, 13);
        float[] dist = new float[m];
        try (ShardedCentroidIndex index = new ShardedCentroidIndex(y, m, dim, twoShardsOnGpu0())) {
            index.assign(c, k, new int[m], dist);
        }
        for (int i = 0; i < m; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) best = Math.min(best, CudaCentroidIndexTest.exactSqDistance(y, i, c, j, dim));
            assertEquals(best, dist[i], 1e-4 * Math.max(1, best), "point " + i + " after the failed index");
        }
    }
}
