package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * GPU parity against the CPU backend (the reference), on fresh random data of several sizes, odd
 * ones included: distances, argmin (compared by distance value: ties may go to either of two equal
 * centres only if their distances are equal), cluster sums, whole k-means runs; streaming against
 * in-memory; no device-memory leak; out of memory leaves the backend usable. Skipped, with the
 * reason, where there is no GPU; {@code ci/gpu-check.sh} runs them on the GPU machine.
 */
@Tag("gpu")
class CudaCentroidIndexTest {
    /** FP32 parity bound of DESIGN.md: ‖gpu − cpu‖ / ‖cpu‖. */
    static final double FP32 = Tolerances.FP32_OP;
    static final int[][] SHAPES = {{1, 1, 1}, {37, 3, 5}, {1000, 17, 33}, {4099, 64, 257}, {20011, 129, 1000}, {65537, 8, 3}};

    static CudaBackend gpu;
    static CpuBackend cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the CUDA parity tests");
        gpu = new CudaBackend(0, false, 0);
        cpu = new CpuBackend();
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (cpu != null) cpu.close();
    }

    static float[] gaussian(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) rng.nextGaussian();
        return v;
    }

    static double exactSqDistance(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double u = (double) x[i * d + t] - c[j * d + t];
            s += u * u;
        }
        return s;
    }

    @Test
    void distancesMatchTheCpu() {
        for (int[] s : SHAPES) {
            int n = s[0], d = s[1], m = Math.min(7, s[0]);
            float[] x = gaussian(n * d, n);
            float[] c = gaussian(m * d, n + 1);
            float[] g = new float[n * m];
            float[] want = new float[n * m];
            try (CentroidIndex gi = gpu.centroidIndex(x, n, d); CentroidIndex ci = cpu.centroidIndex(x, n, d)) {
                gi.sqDistances(c, m, g);
                ci.sqDistances(c, m, want);
            }
            double err = RelativeError.of(g, want);
            assertTrue(err <= FP32, "n,d,m=" + n + "," + d + "," + m + ": relative error " + err);
        }
    }

    @Test
    void assignmentAndSumsMatchTheCpu() {
        for (int[] s : SHAPES) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = gaussian(n * d, 31L * n);
            float[] c = gaussian(k * d, 17L * n);
            checkAssign(gpu, x, n, d, c, k, "n,d,k=" + n + "," + d + "," + k);
        }
    }

    /** Compares one assign pass of {@code backend} with the CPU's; returns the GPU labels. */
    static int[] checkAssign(Backend backend, float[] x, int n, int d, float[] c, int k, String what) {
        return checkAssign(backend, cpu, x, n, d, c, k, what);
    }

    /** The same against the CPU backend {@code cpu}. */
    static int[] checkAssign(Backend backend, Backend cpu, float[] x, int n, int d, float[] c, int k, String what) {
        int[] gl = new int[n], cl = new int[n];
        float[] gd = new float[n], cd = new float[n];
        double[] gs = new double[k * d], cs = new double[k * d];
        long[] gc = new long[k], cc = new long[k];
        double gInertia, cInertia;
        try (CentroidIndex gi = backend.centroidIndex(x, n, d); CentroidIndex ci = cpu.centroidIndex(x, n, d)) {
            gInertia = gi.assign(c, k, gl, gd, gs, gc);
            cInertia = ci.assign(c, k, cl, cd, cs, cc);
        }
        double scale = 0;
        for (float v : x) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < n; i++) {
            assertTrue(gl[i] >= 0 && gl[i] < k, what + ": label " + gl[i]);
            if (gl[i] == cl[i]) continue;
            // Tie-aware: a different centre is right only if it is as near as the CPU's choice.
            double dg = exactSqDistance(x, i, c, gl[i], d), dc = exactSqDistance(x, i, c, cl[i], d);
            assertEquals(dc, dg, 1e-5 * Math.max(1, dc) + 1e-6 * d * scale * scale,
                    what + ": point " + i + " went to " + gl[i] + " (" + dg + "), CPU chose " + cl[i] + " (" + dc + ")");
        }
        assertTrue(RelativeError.of(gd, cd) <= FP32, what + ": distances off by " + RelativeError.of(gd, cd));
        assertEquals(cInertia, gInertia, FP32 * Math.max(1, cInertia), what + ": inertia");
        // Sums and counts against the GPU's own labels, summed here in double.
        double[] want = new double[k * d];
        long[] counts = new long[k];
        for (int i = 0; i < n; i++) {
            counts[gl[i]]++;
            for (int j = 0; j < d; j++) want[gl[i] * d + j] += x[i * d + j];
        }
        assertArrayEquals(counts, gc, what + ": counts");
        double num = 0, den = 0;
        for (int j = 0; j < k * d; j++) {
            num += (gs[j] - want[j]) * (gs[j] - want[j]);
            den += want[j] * want[j];
        }
        assertTrue(Math.sqrt(num / Math.max(den, 1e-30)) <= FP32, what + ": sums off by " + Math.sqrt(num / den));
        return gl;
    }

    @Test
    void tiesGoToTheLowestIndex() {
        int n = 513, d = 5, k = 6;
        float[] x = gaussian(n * d, 3);
        float[] c = gaussian(k * d, 4);
        System.arraycopy(c, 0, c, 3 * d, 3 * d);  // centres 3..5 repeat 0..2
        int[] labels = new int[n];
        float[] dist = new float[n];
        try (CentroidIndex gi = gpu.centroidIndex(x, n, d)) {
            gi.assign(c, k, labels, dist);
        }
        for (int l : labels) assertTrue(l < 3, "a tie went to the higher duplicate " + l);
    }

    @Test
    void wholeKMeansRunsMatchTheCpu() {
        int[][] cases = {{20000, 16, 10}, {7919, 13, 17}, {3001, 64, 128}};
        for (int[] s : cases) {
            int n = s[0], d = s[1], k = s[2];
            float[] x = Blobs.gaussian(n, d, k, n);
            KMeans km = new KMeans(KMeansParams.of(k, 42).withNInit(2));
            KMeansModel g = km.fit(gpu, x, n, d);
            KMeansModel c = km.fit(cpu, x, n, d);
            String what = "n,d,k=" + n + "," + d + "," + k;
            assertEquals(c.inertia(), g.inertia(), 1e-5 * c.inertia(), what + ": inertia");
            double ari = RandIndex.ari(c.labels(), g.labels());
            assertTrue(ari >= 0.999, what + ": ARI " + ari);
        }
    }

    @Test
    void streamingFromHostEqualsTheInMemoryRun() {
        int n = 50021, d = 32, k = 50;
        float[] x = Blobs.gaussian(n, d, k, 9);
        try (CudaBackend small = new CudaBackend(0, false, 2L << 20)) {
            try (CudaCentroidIndex idx = (CudaCentroidIndex) small.centroidIndex(x, n, d)) {
                assertFalse(idx.plan().resident(), "2M must force streaming: " + idx.plan());
                assertTrue(idx.plan().chunks() >= 4, idx.plan().toString());
            }
            float[] c = gaussian(k * d, 10);
            checkAssign(small, x, n, d, c, k, "streamed");
            KMeans km = new KMeans(KMeansParams.of(k, 7).withNInit(1));
            KMeansModel streamed = km.fit(small, x, n, d);
            KMeansModel resident = km.fit(gpu, x, n, d);
            assertEquals(resident.inertia(), streamed.inertia(), 1e-5 * resident.inertia());
            assertTrue(RandIndex.ari(resident.labels(), streamed.labels()) >= 0.999);
        }
    }

    /**
     * Reloading the points (mini-batch k-means' one index) answers as a fresh index does, resident
     * and streamed, and the in-memory mini-batch fit matches the CPU's within the parity bound.
     */
    @Test
    void loadGivesWhatAFreshIndexGives() {
        int n = 30011, d = 24, k = 40;
        float[] a = gaussian(n * d, 21);
        float[] b = gaussian(n * d, 22);
        float[] c = gaussian(k * d, 23);
        for (CudaBackend backend : new CudaBackend[] {gpu, new CudaBackend(0, false, 1L << 20)}) {
            try (CentroidIndex reused = backend.centroidIndex(a, n, d); CentroidIndex fresh = backend.centroidIndex(b, n, d)) {
                reused.load(b);
                int[] l1 = new int[n], l2 = new int[n];
                float[] d1 = new float[n], d2 = new float[n];
                double[] s1 = new double[k * d], s2 = new double[k * d];
                long[] c1 = new long[k], c2 = new long[k];
                assertEquals(fresh.assign(c, k, l2, d2, s2, c2), reused.assign(c, k, l1, d1, s1, c1));
                assertArrayEquals(l2, l1);
                assertArrayEquals(d2, d1);
                assertArrayEquals(s2, s1);
                assertArrayEquals(c2, c1);
            } finally {
                if (backend != gpu) backend.close();
            }
        }
        float[] x = Blobs.gaussian(20000, 16, 8, 4);
        KMeans mini = new KMeans(KMeansParams.of(8, 3).withNInit(1).withBatchSize(1024));
        KMeansModel onGpu = mini.fit(gpu, x, 20000, 16);
        KMeansModel onCpu = mini.fit(cpu, x, 20000, 16);
        assertEquals(onCpu.inertia(), onGpu.inertia(), 1e-3 * onCpu.inertia());
    }

    @Test
    void noDeviceMemoryLeaksOverAHundredFits() {
        int n = 3000, d = 24, k = 20;
        float[] x = Blobs.gaussian(n, d, k, 11);
        KMeans km = new KMeans(KMeansParams.of(k, 1).withNInit(1).withMaxIter(20));
        km.fit(gpu, x, n, d);
        long afterFirst = gpu.context().memoryInfo()[0];
        for (int i = 0; i < 99; i++) km.fit(gpu, x, n, d);
        long afterHundred = gpu.context().memoryInfo()[0];
        assertEquals(afterFirst, afterHundred, "free device memory after 1 fit vs after 100");
    }

    @Test
    void outOfMemoryIsOneLineAndTheBackendStaysUsable() {
        long total = gpu.context().memoryInfo()[1];
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class,
                () -> new DeviceMemory(total * 2, "test").close());
        assertTrue(e.getMessage().contains("GPU memory limit") && !e.getMessage().contains("\n"), e.getMessage());
        assertEquals(java.util.List.of(Setting.MAX_DEVICE_MEMORY, Setting.BATCH_SIZE), e.settings());
        assertTrue(e.getMessage().contains("cudaMalloc(test"), e.getMessage());
        float[] x = gaussian(1000 * 8, 12);
        checkAssign(gpu, x, 1000, 8, gaussian(5 * 8, 13), 5, "after OOM");
    }

    @Test
    void tf32StaysWithinItsTolerance() {
        int n = 4099, d = 64, m = 7;
        float[] x = gaussian(n * d, 21);
        float[] c = gaussian(m * d, 22);
        float[] g = new float[n * m], want = new float[n * m];
        try (CudaBackend tf32 = new CudaBackend(0, true, 0);
             CentroidIndex gi = tf32.centroidIndex(x, n, d); CentroidIndex ci = cpu.centroidIndex(x, n, d)) {
            gi.sqDistances(c, m, g);
            ci.sqDistances(c, m, want);
        }
        assertTrue(RelativeError.of(g, want) <= Tolerances.TF32, "TF32 relative error " + RelativeError.of(g, want));
    }

    @Test
    void deviceTimingMeasuresTheWork() {
        float[] x = gaussian(100000 * 32, 5);
        float[] c = gaussian(100 * 32, 6);
        int[] l = new int[100000];
        float[] dist = new float[100000];
        try (CentroidIndex gi = gpu.centroidIndex(x, 100000, 32)) {
            double ms = gpu.timeMs(() -> gi.assign(c, 100, l, dist));
            assertTrue(ms > 0 && ms < 10_000, "event time " + ms + " ms");
        }
    }

    /**
     * {@code --device cuda --cluster-init spectral}: the graph, the eigenvectors, k-means on the
     * spectral rows and the nearest-centroid assignment on the device; the result should be the
     * CPU's (CudaSpectralTest checks the parts).
     */
    @Test
    void spectralCentroidModelMatchesTheCpu() {
        int n = 3000;
        int d = 10;
        int k = 8;
        float[] x = Blobs.gaussian(n, d, k, 21);
        SpectralClustering.Params params = SpectralClustering.Params.defaults();
        KMeansParams kmeans = KMeansParams.of(k, 5);
        KMeansModel onGpu = SpectralClustering.centroidModel(gpu, x, n, d, params, kmeans);
        KMeansModel onCpu = SpectralClustering.centroidModel(cpu, x, n, d, params, kmeans);
        double ari = RandIndex.ari(onCpu.labels(), onGpu.labels());
        assertTrue(ari >= 0.999, "GPU and CPU spectral clusterings differ: ARI " + ari);
        if (ari == 1.0) assertArrayEquals(onCpu.centroids(), onGpu.centroids(), 1e-5f);
    }
}
