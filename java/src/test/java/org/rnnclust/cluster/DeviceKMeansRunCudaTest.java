package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.LloydRun;
import org.rnnclust.backend.SeedingRun;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.backend.cuda.GpuAssumptions;
import org.rnnclust.testing.Blobs;

/**
 * The device-resident k-means of the CUDA index (its {@link SeedingRun} and {@link LloydRun})
 * against the host runs on the same index, which keep the state in Java arrays as the CPU backend
 * does: the same k-means++ rows, the same Lloyd labels, iteration count and relocations, centres and
 * inertia equal to rounding. Skipped, with the reason, where there is no GPU.
 */
@Tag("gpu")
class DeviceKMeansRunCudaTest {
    static CudaBackend gpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the device k-means runs");
        gpu = new CudaBackend(0, false, 0);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
    }

    @Test
    void seedingPicksTheRowsTheHostRunPicks() {
        int[][] shapes = {{1000, 3, 7}, {20011, 17, 50}, {65537, 64, 256}, {4099, 300, 30}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = Blobs.gaussian(n, d, Math.max(2, k / 3), n);
            try (CentroidIndex index = gpu.centroidIndex(x, n, d);
                 SeedingRun device = index.seedingRun().orElseThrow();
                 SeedingRun host = new HostSeedingRun(index)) {
                float[] want = KMeansPlusPlus.seed(host, index, k, new SplittableRandom(5));
                float[] got = KMeansPlusPlus.seed(device, index, k, new SplittableRandom(5));
                // Rows are compared through their coordinates: a different draw would show.
                assertArrayEquals(want, got, "k-means++ centres at n=" + n + " d=" + d + " k=" + k);
            }
        }
    }

    @Test
    void seedingOnDuplicatePointsFallsBackToUniformDrawsAsTheHostDoes() {
        int n = 500, d = 4, k = 12;  // 3 distinct points: potential 0 after the third centre
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i * d + j] = (i % 3) * 10 + j;
        try (CentroidIndex index = gpu.centroidIndex(x, n, d);
             SeedingRun device = index.seedingRun().orElseThrow();
             SeedingRun host = new HostSeedingRun(index)) {
            assertArrayEquals(KMeansPlusPlus.seed(host, index, k, new SplittableRandom(9)),
                    KMeansPlusPlus.seed(device, index, k, new SplittableRandom(9)));
        }
    }

    @Test
    void lloydFollowsTheHostRunIterationForIteration() {
        int[][] shapes = {{1000, 3, 7}, {20011, 17, 50}, {65537, 64, 256}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = Blobs.gaussian(n, d, k, n + 1);
            KMeans kmeans = new KMeans(KMeansParams.of(k, 1));
            double tol = 1e-4 * KMeans.meanVariance(x, n, d);
            try (CentroidIndex index = gpu.centroidIndex(x, n, d)) {
                float[] seeds = KMeansPlusPlus.seed(index, k, new SplittableRandom(2));
                KMeansModel want;
                KMeansModel got;
                try (LloydRun host = new HostLloydRun(index, seeds, k)) {
                    want = kmeans.lloyd(host, n, d, tol);
                }
                try (LloydRun device = index.lloydRun(seeds, k).orElseThrow()) {
                    got = kmeans.lloyd(device, n, d, tol);
                }
                assertSame(want, got, "n=" + n + " d=" + d + " k=" + k);
            }
        }
    }

    @Test
    void emptyClustersAreRefilledAsOnTheHost() {
        // Centres far from every point stay empty at the first assignment: relocation must run.
        int n = 3000, d = 5, k = 20;
        float[] x = Blobs.gaussian(n, d, 4, 17);
        float[] seeds = new float[k * d];
        for (int c = 0; c < k; c++) for (int j = 0; j < d; j++) seeds[c * d + j] = c < 4 ? x[c * 97 * d + j] : 1000 + c;
        KMeans kmeans = new KMeans(KMeansParams.of(k, 1));
        double tol = 1e-4 * KMeans.meanVariance(x, n, d);
        try (CentroidIndex index = gpu.centroidIndex(x, n, d)) {
            KMeansModel want;
            KMeansModel got;
            try (LloydRun host = new HostLloydRun(index, seeds, k)) {
                want = kmeans.lloyd(host, n, d, tol);
            }
            try (LloydRun device = index.lloydRun(seeds, k).orElseThrow()) {
                got = kmeans.lloyd(device, n, d, tol);
            }
            assertTrue(want.history().get(0).emptyClustersSplit() > 0, "the case must relocate");
            assertSame(want, got, "relocation");
        }
    }

    private static void assertSame(KMeansModel want, KMeansModel got, String what) {
        assertEquals(want.iterations(), got.iterations(), what + ": iterations");
        assertArrayEquals(want.labels(), got.labels(), what + ": labels");
        for (int i = 0; i < want.history().size(); i++) {
            assertEquals(want.history().get(i).emptyClustersSplit(), got.history().get(i).emptyClustersSplit(), what + ": relocations");
            assertEquals(want.history().get(i).inertia(), got.history().get(i).inertia(),
                    1e-5 * want.history().get(i).inertia(), what + ": inertia at iteration " + (i + 1));
        }
        float[] a = want.centroids();
        float[] b = got.centroids();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-4 * (1 + Math.abs(a[i])), what + ": centre value " + i);
        assertEquals(want.inertia(), got.inertia(), 1e-5 * want.inertia(), what + ": final inertia");
    }
}
