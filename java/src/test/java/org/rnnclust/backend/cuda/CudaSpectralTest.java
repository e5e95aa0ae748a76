package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.backend.Neighbours;
import org.rnnclust.backend.ScaledSparseMatrix;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;

/**
 * Spectral clustering's GPU half against the CPU backend (the reference): the kNN search
 * (kernels/spectral.cu knnSelect over cuBLAS products), the sparse product (scaledSparseProduct)
 * and the eigensolver's space (cuBLAS in double), and whole spectral clusterings.
 *
 * <p>Tolerances: a neighbour's distance is refined on the GPU as the CPU computes it, so where the
 * indices agree the distances are bit-equal; an index may differ only where the CPU's own distance
 * to the GPU's choice equals (to 1e-5 relative, a near tie that the FP32 expansion cannot order)
 * the CPU's distance in that slot. The sparse product rounds each operation as the CPU does: bit-equal.
 * The eigensolver's steps sum in another order (cuBLAS): projections, residuals and Ritz vectors
 * to 1e-8, whole eigenvalues to 1e-9.
 */
@Tag("gpu")
class CudaSpectralTest {
    private static CudaBackend gpu;
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        GpuAssumptions.assumeGpu("the CUDA spectral clustering tests");
        gpu = new CudaBackend(0, false, 0);
        cpu = new CpuBackend(4);
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        if (cpu != null) cpu.close();
    }

    static float[] lattice(int n, int d, int side, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(side);
        return x;
    }

    static double distance(float[] x, int d, int i, int j) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double v = x[i * d + c] - x[j * d + c];
            s += v * v;
        }
        return s;
    }

    /** Tie-aware comparison (see the class note); returns how many slots hold another point than the CPU's. */
    static int assertSameNeighbours(Neighbours want, Neighbours got, float[] x, int d) {
        int n = want.n();
        int m = want.m();
        int swapped = 0;
        for (int i = 0; i < n; i++) {
            Set<Integer> seen = new HashSet<>();
            for (int t = 0; t < m; t++) {
                int e = i * m + t;
                int g = got.index()[e];
                int w = want.index()[e];
                if (g == w) {
                    assertEquals(want.sqDistance()[e], got.sqDistance()[e], 0f, "row " + i + " slot " + t);
                    if (g >= 0) assertTrue(seen.add(g), "row " + i + " lists " + g + " twice");
                    continue;
                }
                swapped++;
                assertTrue(g >= 0 && g < n && g != i && seen.add(g), "row " + i + " slot " + t + ": " + g);
                double mine = distance(x, d, i, g);
                double theirs = want.sqDistance()[e];
                assertEquals(theirs, mine, 1e-5 * (1 + theirs), "row " + i + " slot " + t + ": " + g + " for " + w);
            }
        }
        return swapped;
    }

    @Test
    void nearestNeighboursMatchTheCpu() {
        int[][] shapes = {{2, 3, 1}, {37, 4, 5}, {1000, 10, 10}, {4099, 17, 15}, {20011, 8, 10}, {3001, 64, 40}};
        for (int[] s : shapes) {
            int n = s[0], d = s[1], m = s[2];
            float[] x = Blobs.gaussian(n, d, 7, n + d);
            Neighbours want = cpu.nearestNeighbours(x, n, d, m);
            Neighbours got = gpu.nearestNeighbours(x, n, d, m);
            int swapped = assertSameNeighbours(want, got, x, d);
            assertTrue(swapped <= n * m / 1000, swapped + " of " + n * m + " slots near-tied at n=" + n);
        }
    }

    /** Integer points: exact ties everywhere and duplicate points. */
    @Test
    void tiedNeighboursHaveTheCpuDistances() {
        for (int[] s : new int[][] {{500, 2, 4, 7}, {800, 3, 3, 12}}) {
            float[] x = lattice(s[0], s[1], s[2], s[0]);
            assertSameNeighbours(cpu.nearestNeighbours(x, s[0], s[1], s[3]), gpu.nearestNeighbours(x, s[0], s[1], s[3]),
                    x, s[1]);
        }
    }

    /** More neighbours than other points, and a point alone: the CPU's −1 and +∞ in the empty slots. */
    @Test
    void emptySlotsAreTheCpus() {
        float[] x = Blobs.gaussian(5, 3, 2, 1);
        Neighbours want = cpu.nearestNeighbours(x, 5, 3, 8);
        Neighbours got = gpu.nearestNeighbours(x, 5, 3, 8);
        assertArrayEquals(want.index(), got.index());
        assertArrayEquals(want.sqDistance(), got.sqDistance(), 0f);
        assertArrayEquals(new int[] {-1, -1, -1}, gpu.nearestNeighbours(new float[] {1, 2}, 1, 2, 3).index());
    }

    /** A TF32 context still ranks the candidates in FP32. */
    @Test
    void tf32ContextMatchesTheCpu() {
        int n = 3000;
        int d = 12;
        float[] x = Blobs.gaussian(n, d, 5, 77);
        try (CudaBackend tf32 = new CudaBackend(0, true, 0)) {
            assertSameNeighbours(cpu.nearestNeighbours(x, n, d, 10), tf32.nearestNeighbours(x, n, d, 10), x, d);
        }
    }

    /**
     * 3100 neighbours of 3300 points: a list of 3299 entries, 52 KB of shared memory for one row,
     * past the default 48 KiB (the kernel's opt-in). The oracle sorts each row's CPU distances (the
     * CPU backend's insertion would take minutes at this m).
     */
    @Test
    void listsPastTheDefaultSharedMemoryMatchSortedDistances() {
        int n = 3300;
        int d = 4;
        int m = 3100;
        assertTrue(CudaNearestNeighbours.listBytes(CudaNearestNeighbours.listLength(n, m)) > 48 * 1024);
        float[] x = Blobs.gaussian(n, d, 3, 78);
        int[] index = new int[n * m];
        float[] sqDistance = new float[n * m];
        for (int i = 0; i < n; i++) {
            int row = i;
            Integer[] order = new Integer[n - 1];
            for (int j = 0, t = 0; j < n; j++) if (j != i) order[t++] = j;
            Arrays.sort(order, java.util.Comparator.<Integer>comparingDouble(j -> distance(x, d, row, j))
                    .thenComparingInt(j -> j));
            for (int t = 0; t < m; t++) {
                index[i * m + t] = order[t];
                sqDistance[i * m + t] = (float) distance(x, d, i, order[t]);
            }
        }
        assertSameNeighbours(new Neighbours(n, m, index, sqDistance), gpu.nearestNeighbours(x, n, d, m), x, d);
    }

    static ScaledSparseMatrix graph(Backend b, float[] x, int n, int d, int m) {
        Neighbours nn = b.nearestNeighbours(x, n, d, m);
        // a plain symmetric pattern from the neighbours, weights and scales random: the product's test matrix
        SplittableRandom r = new SplittableRandom(n);
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) start[i + 1] = start[i] + m;
        double[] weight = new double[n * m];
        double[] scale = new double[n];
        for (int e = 0; e < weight.length; e++) weight[e] = r.nextGaussian();
        for (int i = 0; i < n; i++) scale[i] = 0.1 + r.nextDouble();
        return new ScaledSparseMatrix(n, start, nn.index(), weight, scale);
    }

    @Test
    void sparseProductIsTheCpusBitForBit() {
        int n = 5003;
        int d = 6;
        int m = 9;
        ScaledSparseMatrix a = graph(cpu, Blobs.gaussian(n, d, 4, 5), n, d, m);
        int cols = 7;
        SplittableRandom r = new SplittableRandom(8);
        double[] x = new double[n * cols];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        double[] y;
        try (CudaKrylovSpace space = new CudaKrylovSpace(gpu.context(), a, 10)) {
            y = space.product(x, cols);
        }
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int e = a.rowStart()[i]; e < a.rowStart()[i + 1]; e++) {
                    s += a.weight()[e] * a.scale()[a.column()[e]] * x[c * n + a.column()[e]];
                }
                assertEquals(a.scale()[i] * s, y[c * n + i], 0.0, "row " + i + " column " + c);
            }
        }
    }

    /** The space's answers for the same steps: projections, residuals and Ritz vectors. */
    @Test
    void krylovSpaceStepsMatchTheCpu() {
        int n = 2000;
        ScaledSparseMatrix a = graph(cpu, Blobs.gaussian(n, 5, 3, 9), n, 5, 8);
        int b = 17;
        SplittableRandom r = new SplittableRandom(3);
        double[] start = new double[b * n];
        for (int i = 0; i < start.length; i++) start[i] = r.nextGaussian();
        try (KrylovSpace g = gpu.krylovSpace(a, 100); KrylovSpace c = cpu.krylovSpace(a, 100)) {
            for (KrylovSpace s : new KrylovSpace[] {g, c}) s.setCandidates(start, b);
            for (int step = 0; step < 4; step++) {  // 68 vectors: past the GPU's first 64 columns
                int before = c.size();
                for (int k = 0; k < b; k++) assertEquals(c.appendCandidate(k, 1e-10), g.appendCandidate(k, 1e-10));
                assertEquals(c.size(), g.size());
                c.multiply(before);
                g.multiply(before);
                double[] pc = c.projection(before);
                double[] pg = g.projection(before);
                for (int e = 0; e < pc.length; e++) assertEquals(pc[e], pg[e], 1e-8, "projection step " + step);
                c.candidatesFromProducts(before, c.size());
                g.candidatesFromProducts(before, g.size());
            }
            int s = c.size();
            int count = 4;
            double[] w = new double[s * count];
            for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
            double[] theta = {1.0, 0.5, -0.25, 2.0};
            double[] rc = c.residuals(w, theta, count);
            double[] rg = g.residuals(w, theta, count);
            for (int k = 0; k < count; k++) assertEquals(rc[k], rg[k], 1e-8 * (1 + rc[k]), "residual " + k);
            assertArrayEquals(c.ritzVectors(), g.ritzVectors(), 1e-8);
        }
    }

    /** Whole spectral clusterings on the GPU (graph, eigensolver, k-means) and the CPU: one partition. */
    @Test
    void spectralLabelsEqualTheCpusUpToPermutation() {
        int n = 2500;
        int d = 6;
        int k = 5;
        float[] x = Blobs.gaussian(n, d, k, 12);
        KMeansParams kmeans = KMeansParams.of(k, 3);
        SpectralClustering.Result onGpu = SpectralClustering.fit(gpu, x, n, d, SpectralClustering.Params.defaults(), kmeans);
        SpectralClustering.Result onCpu = SpectralClustering.fit(cpu, x, n, d, SpectralClustering.Params.defaults(), kmeans);
        assertEquals(1.0, RandIndex.ari(onCpu.labels(), onGpu.labels()), 1e-12, "GPU and CPU partitions");
        for (int c = 0; c < onCpu.eigenvalues().length; c++) {
            assertEquals(onCpu.eigenvalues()[c], onGpu.eigenvalues()[c], 1e-9, "eigenvalue " + c);
        }
        assertTrue(onGpu.maxResidual() < SpectralClustering.TOLERANCE, "converged: " + onGpu.maxResidual());
        // concentric rings, which only the graph separates
        int rings = 600;
        float[] ring = new float[2 * rings];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < rings; i++) {
            double radius = i % 2 == 0 ? 1 : 3;
            double angle = r.nextDouble(2 * Math.PI);
            ring[2 * i] = (float) (radius * Math.cos(angle) + 0.1 * r.nextGaussian());
            ring[2 * i + 1] = (float) (radius * Math.sin(angle) + 0.1 * r.nextGaussian());
        }
        int[] gpuRings = SpectralClustering.fit(gpu, ring, rings, 2, SpectralClustering.Params.defaults(),
                KMeansParams.of(2, 0)).labels();
        int[] cpuRings = SpectralClustering.fit(cpu, ring, rings, 2, SpectralClustering.Params.defaults(),
                KMeansParams.of(2, 0)).labels();
        assertEquals(1.0, RandIndex.ari(cpuRings, gpuRings), 1e-12, Arrays.toString(gpuRings).substring(0, 40));
    }

    /** Making and closing spaces and searches frees what they took. */
    @Test
    void freesItsDeviceMemory() {
        int n = 4000;
        float[] x = Blobs.gaussian(n, 8, 4, 2);
        ScaledSparseMatrix a = graph(cpu, x, n, 8, 10);
        gpu.nearestNeighbours(x, n, 8, 10);  // the first call loads the module
        long before = gpu.context().memoryInfo()[0];
        for (int rep = 0; rep < 3; rep++) {
            gpu.nearestNeighbours(x, n, 8, 10);
            try (KrylovSpace s = gpu.krylovSpace(a, 200)) {
                s.setCandidates(new double[n * 2], 2);
            }
        }
        long after = gpu.context().memoryInfo()[0];
        assertTrue(Math.abs(before - after) < (4L << 20), "free device memory " + before + " then " + after);
    }
}
