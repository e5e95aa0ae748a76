package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.testing.RandomArrays;

/** The GEMM-based distances against a direct double-precision computation, odd sizes included. */
class CpuCentroidIndexTest {
    static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static double exact(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double diff = (double) x[i * d + t] - c[j * d + t];
            s += diff * diff;
        }
        return s;
    }

    // n, d, k: odd sizes, k larger than a tile's worth of columns, n not a multiple of the tile
    @ParameterizedTest
    @CsvSource({"1,1,1", "7,3,5", "333,17,13", "2049,64,100", "5000,5,1023"})
    void assignMatchesDirectComputation(int n, int d, int k) {
        SplittableRandom rng = new SplittableRandom(n * 31L + d * 7L + k);
        float[] x = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] c = RandomArrays.uniform(rng, k * d, -2, 2);
        int[] nearest = new int[n];
        float[] dist = new float[n];
        double total;
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            total = index.assign(c, k, nearest, dist);
        }
        double expectedTotal = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) best = Math.min(best, exact(x, i, c, j, d));
            expectedTotal += best;
            // Tie-aware: the chosen centroid's exact distance equals the minimum within float error.
            double tolerance = 1e-5 * (1 + best) * Math.max(1, d / 4.0);
            assertEquals(best, exact(x, i, c, nearest[i], d), tolerance, "point " + i);
            assertEquals(best, dist[i], tolerance, "distance of point " + i);
        }
        assertEquals(expectedTotal, total, 1e-5 * expectedTotal);
    }

    @ParameterizedTest
    @CsvSource({"5,2,3", "1000,33,7"})
    void sqDistancesMatchDirectComputation(int n, int d, int m) {
        SplittableRandom rng = new SplittableRandom(99);
        float[] x = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] c = RandomArrays.uniform(rng, m * d, -2, 2);
        float[] out = new float[n * m];
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            index.sqDistances(c, m, out);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double e = exact(x, i, c, j, d);
                assertEquals(e, out[i * m + j], 1e-5 * (1 + e) * d, "(" + i + "," + j + ")");
            }
        }
    }

    // k*d beyond the tile scratch (1000*70 > 64 Ki floats) takes the direct summing path
    @ParameterizedTest
    @CsvSource({"10,3,4", "3001,9,5", "5000,70,1000"})
    void fusedSumsMatchDirectSums(int n, int d, int k) {
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] c = RandomArrays.uniform(rng, k * d, -2, 2);
        int[] labels = new int[n];
        float[] dist = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        java.util.Arrays.fill(sums, 7.0); // must be overwritten, not added to
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            index.assign(c, k, labels, dist, sums, counts);
        }
        double[] expected = new double[k * d];
        double[] magnitude = new double[k * d];
        long[] expectedCounts = new long[k];
        for (int i = 0; i < n; i++) {
            expectedCounts[labels[i]]++;
            for (int t = 0; t < d; t++) {
                expected[labels[i] * d + t] += x[i * d + t];
                magnitude[labels[i] * d + t] += Math.abs(x[i * d + t]);
            }
        }
        assertArrayEquals(expectedCounts, counts);
        // Tiles are summed in float (as scikit-learn does for float32 data): error ~ eps_f32 · Σ|x|.
        for (int j = 0; j < k * d; j++) {
            assertEquals(expected[j], sums[j], 1e-6 * magnitude[j] + 1e-9, "sum " + j);
        }
    }

    @org.junit.jupiter.api.Test
    void tiesGoToTheLowestIndex() {
        float[] x = {0, 0, 1, 1};
        float[] c = {0.5f, 0.5f, 0.5f, 0.5f, 0, 0}; // centroids 0 and 1 identical
        int[] nearest = new int[2];
        float[] dist = new float[2];
        try (CentroidIndex index = backend.centroidIndex(x, 2, 2)) {
            index.assign(c, 3, nearest, dist);
        }
        assertEquals(2, nearest[0]);
        assertEquals(0, nearest[1]);
        assertTrue(dist[0] == 0f);
    }

    /**
     * An index reloaded with other points answers exactly as one made on them (labels, distances,
     * inertia, sums, counts, the k-means++ distances), native tile or Java path; reloading the first
     * points gives the first answers again; a short array is refused and changes nothing.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void loadGivesWhatAFreshIndexGives(boolean useNative) {
        int n = 1501;
        int d = 9;
        int k = 17;
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] b = RandomArrays.uniform(rng, n * d, -3, 1);
        float[] c = RandomArrays.uniform(rng, k * d, -2, 2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        boolean nativeTile = useNative && NativeCpu.available();
        try (CpuCentroidIndex reused = new CpuCentroidIndex(a, n, d, pool, 2, nativeTile, Sgemm.of(false))) {
            Answers first = Answers.of(reused, c, k);
            reused.load(b);
            try (CpuCentroidIndex fresh = new CpuCentroidIndex(b, n, d, pool, 2, nativeTile, Sgemm.of(false))) {
                Answers.of(fresh, c, k).assertSame(Answers.of(reused, c, k));
            }
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> reused.load(new float[n * d - 1]));
            reused.load(a);
            first.assertSame(Answers.of(reused, c, k));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Everything an index answers about k centres, for exact comparisons. */
    record Answers(int[] labels, float[] dist, double inertia, double[] sums, long[] counts, float[] sq) {
        static Answers of(CentroidIndex index, float[] c, int k) {
            int n = index.size();
            int d = index.dim();
            int[] labels = new int[n];
            float[] dist = new float[n];
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            double inertia = index.assign(c, k, labels, dist, sums, counts);
            float[] sq = new float[n * 3];
            index.sqDistances(c, 3, sq);
            return new Answers(labels, dist, inertia, sums, counts, sq);
        }

        void assertSame(Answers other) {
            assertArrayEquals(labels, other.labels);
            assertArrayEquals(dist, other.dist);
            assertEquals(Double.doubleToLongBits(inertia), Double.doubleToLongBits(other.inertia));
            assertArrayEquals(sums, other.sums);
            assertArrayEquals(counts, other.counts);
            assertArrayEquals(sq, other.sq);
        }
    }
}
