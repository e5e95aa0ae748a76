package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.Precision;
import org.rnnclust.backend.RecheckedAssignment;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;

/**
 * The k-means assignment on tensor cores (kernels/kmeans_tc.cu, TF32 and 3xTF32) against the CPU
 * index and against the FP32 GPU kernel. By design it returns the FP32 kernel's labels and
 * distances bit for bit (the points the tensor cores cannot decide are recomputed in FP32), so
 * those are compared exactly; against the CPU, whose sums run in another order, labels may differ
 * only between centres at equal distance (as in {@link CudaCentroidIndexTest}) and distances stay
 * within the FP32 bound. Near ties (points on the bisector of two centres) make the re-check run.
 * Needs a GPU of compute capability 8.0 or newer.
 */
@Tag("gpu")
class CudaTensorCoreAssignmentTest {
    static final int[][] SHAPES = {{1, 1, 1}, {37, 3, 5}, {1000, 17, 33}, {4099, 64, 257}, {20011, 37, 100},
            {20011, 129, 1000}, {65537, 8, 3}, {3001, 20, 65}};

    static CudaBackend fp32;
    static CpuBackend cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the tensor-core k-means tests");
        fp32 = new CudaBackend(0, Precision.FP32, 0);
        cpu = new CpuBackend();
        assumeTrue(fp32.context().major() >= 8, "compute capability " + fp32.context().major() + "."
                + fp32.context().minor() + ": no TF32 tensor cores");
    }

    @AfterAll
    static void close() {
        if (fp32 != null) fp32.close();
        if (cpu != null) cpu.close();
    }

    /** Gaussian points, every fourth moved onto the bisector of two centres (nudged by 1e-3 to 1e-7). */
    static float[] pointsWithNearTies(int n, int d, float[] c, int k, long seed) {
        float[] x = CudaCentroidIndexTest.gaussian(n * d, seed);
        if (k < 2) return x;
        SplittableRandom rng = new SplittableRandom(seed + 1);
        float[] nudges = {1e-3f, 1e-5f, 1e-7f};
        for (int i = 1; i < n; i += 4) {
            int a = rng.nextInt(k), b = rng.nextInt(k - 1);
            if (b >= a) b++;
            float e = nudges[(i / 4) % 3] * (rng.nextBoolean() ? 1 : -1);
            for (int j = 0; j < d; j++) {
                float ca = c[a * d + j], cb = c[b * d + j];
                x[i * d + j] = 0.5f * (ca + cb) + e * (ca - cb);
            }
        }
        return x;
    }

    @Test
    void labelsAndDistancesAreTheFp32KernelsAndMatchTheCpu() {
        for (Precision p : new Precision[] {Precision.TF32, Precision.TF32X3}) {
            try (CudaBackend tc = new CudaBackend(0, p, 0)) {
                long pairs = 0;
                for (int[] s : SHAPES) {
                    int n = s[0], d = s[1], k = s[2];
                    float[] c = CudaCentroidIndexTest.gaussian(k * d, 17L * n + d);
                    if (k >= 4) System.arraycopy(c, d, c, (k - 1) * d, d);  // an exact tie: centre k - 1 repeats 1
                    float[] x = pointsWithNearTies(n, d, c, k, 31L * n + d);
                    String what = p + " n,d,k=" + n + "," + d + "," + k;
                    int[] l = new int[n], want = new int[n];
                    float[] dist = new float[n], wantDist = new float[n];
                    RecheckedAssignment.Rechecks r;
                    try (CentroidIndex gi = tc.centroidIndex(x, n, d); CentroidIndex fi = fp32.centroidIndex(x, n, d)) {
                        double inertia = gi.assign(c, k, l, dist);
                        double wantInertia = fi.assign(c, k, want, wantDist);
                        assertEquals(wantInertia, inertia, 1e-12 * Math.max(1, wantInertia), what + ": inertia");
                        r = ((RecheckedAssignment) gi).lastRechecks();
                        assertNull(((RecheckedAssignment) fi).lastRechecks(), "FP32 re-checks nothing");
                    }
                    assertArrayEquals(want, l, what + ": labels differ from the FP32 kernel's");
                    assertArrayEquals(wantDist, dist, what + ": distances differ from the FP32 kernel's");
                    assertNotNull(r, what);
                    assertEquals(n, r.points(), what);
                    assertTrue(r.pairs() >= 0 && r.full() >= 0 && r.pairs() + r.full() <= n, what + ": " + r);
                    pairs += r.pairs() + r.full();
                    // The CPU, through the parity test's tie-aware comparison (distances within 1e-5).
                    CudaCentroidIndexTest.checkAssign(tc, cpu, x, n, d, c, k, what);
                }
                assertTrue(pairs > 0, p + ": the near ties never reached the FP32 re-check");
            }
        }
    }

    @Test
    void streamedChunksGiveTheSameLabels() {
        int n = 50021, d = 32, k = 50;
        float[] x = Blobs.gaussian(n, d, k, 9);
        float[] c = CudaCentroidIndexTest.gaussian(k * d, 10);
        int[] want = new int[n];
        float[] wantDist = new float[n];
        try (CentroidIndex fi = fp32.centroidIndex(x, n, d)) {
            fi.assign(c, k, want, wantDist);
        }
        for (Precision p : new Precision[] {Precision.TF32, Precision.TF32X3}) {
            try (CudaBackend small = new CudaBackend(0, p, 2L << 20);
                 CudaCentroidIndex idx = (CudaCentroidIndex) small.centroidIndex(x, n, d)) {
                assertTrue(idx.plan().chunks() >= 4, idx.plan().toString());
                int[] l = new int[n];
                float[] dist = new float[n];
                idx.assign(c, k, l, dist);
                assertArrayEquals(want, l, p + " streamed: labels");
                assertArrayEquals(wantDist, dist, p + " streamed: distances");
            }
        }
    }

    @Test
    void wholeKMeansRunsMatchTheCpu() {
        int[][] cases = {{20000, 16, 10}, {7919, 13, 17}, {3001, 64, 128}};
        for (Precision p : new Precision[] {Precision.TF32, Precision.TF32X3}) {
            try (CudaBackend tc = new CudaBackend(0, p, 0)) {
                for (int[] s : cases) {
                    int n = s[0], d = s[1], k = s[2];
                    float[] x = Blobs.gaussian(n, d, k, n);
                    KMeans km = new KMeans(KMeansParams.of(k, 42).withNInit(2));
                    KMeansModel g = km.fit(tc, x, n, d);
                    KMeansModel c = km.fit(cpu, x, n, d);
                    String what = p + " n,d,k=" + n + "," + d + "," + k;
                    assertEquals(c.inertia(), g.inertia(), 1e-5 * c.inertia(), what + ": inertia");
                    double ari = RandIndex.ari(c.labels(), g.labels());
                    assertTrue(ari >= 0.999, what + ": ARI " + ari);
                }
            }
        }
    }
}
