package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;

/**
 * k-means|| seeding and the weighted k-means++ it ends with: weights of one give the unweighted
 * draws bit for bit; weights enter the draws and potentials as closed forms say; k-means|| finds
 * every cluster of separated data and is as good a start as k-means++ on overlapping data.
 */
class KMeansParallelTest {
    static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void unitWeightsGiveTheUnweightedRunsNumbers() {
        int n = 3001, d = 7;
        float[] x = Blobs.gaussian(n, d, 5, 3);
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        try (CentroidIndex index = backend.centroidIndex(x, n, d);
             HostSeedingRun plain = new HostSeedingRun(index);
             HostSeedingRun weighted = new HostSeedingRun(index, ones)) {
            assertEquals(plain.start(17), weighted.start(17));
            SplittableRandom rng = new SplittableRandom(1);
            for (int round = 0; round < 5; round++) {
                double[] u = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
                int[] rowsA = new int[3], rowsB = new int[3];
                double[] potA = new double[3], potB = new double[3];
                plain.drawAndEvaluate(u, rowsA, potA);
                weighted.drawAndEvaluate(u, rowsB, potB);
                assertArrayEquals(rowsA, rowsB, "draws");
                assertArrayEquals(potA, potB, "potentials");
                plain.accept(round % 3);
                weighted.accept(round % 3);
            }
        }
    }

    @Test
    void weightsEnterThePotentialsAsTheirDefinitionSays() {
        // Points 0, 1, 3, 7 on a line, weights 1, 0, 2, 5; the first centre at 0.
        float[] x = {0, 1, 3, 7};
        double[] w = {1, 0, 2, 5};
        try (CentroidIndex index = backend.centroidIndex(x, 4, 1); HostSeedingRun run = new HostSeedingRun(index, w)) {
            assertEquals(0 * 0 + 0 * 1 + 2 * 9 + 5 * 49, run.start(0), 1e-9);
            double[] pot = new double[4];
            run.evaluate(new int[] {0, 1, 2, 3}, pot);
            // Candidate c: Σ w_i · min((x_i − 0)², (x_i − c)²).
            double[] want = new double[4];
            for (int c = 0; c < 4; c++) {
                for (int i = 0; i < 4; i++) want[c] += w[i] * Math.min(x[i] * x[i], (x[i] - x[c]) * (x[i] - x[c]));
            }
            assertArrayEquals(want, pot, 1e-9);
            // Draws: mass 0, 0, 18, 245 (cumulative 18, 263): u below 18/263 picks 3 (index 2), else 7.
            int[] rows = new int[3];
            run.drawAndEvaluate(new double[] {0.0, 17.9 / 263, 18.1 / 263}, rows, new double[3]);
            assertArrayEquals(new int[] {2, 2, 3}, rows);
        }
    }

    @Test
    void weightedSeedingNeverStartsOnAWeightlessPoint() {
        float[] x = {0, 1, 3, 7};
        double[] w = {1, 0, 0, 1000};
        int atHeavy = 0;
        try (CentroidIndex index = backend.centroidIndex(x, 4, 1)) {
            for (long seed = 0; seed < 200; seed++) {
                float first = KMeansPlusPlus.seedWeighted(index, w, 1, new SplittableRandom(seed))[0];
                assertTrue(first == 0 || first == 7, "first centre " + first + " has weight 0");
                if (first == 7) atHeavy++;
            }
        }
        assertTrue(atHeavy >= 190, "weight 1000 against 1 drawn " + atHeavy + " times in 200");
    }

    @Test
    void findsEveryClusterOfSeparatedData() {
        // Cluster t: 100 on axis t, unit noise: far apart (141) against the spread within (about 8),
        // so every D² draw outside the clusters already hit lands in a new one.
        int n = 4000, d = 30, k = 30;
        int[] truth = new int[n];
        float[] x = new float[n * d];
        SplittableRandom noise = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            truth[i] = i % k;
            for (int j = 0; j < d; j++) x[i * d + j] = (j == truth[i] ? 100 : 0) + (float) noise.nextGaussian();
        }
        for (long seed = 0; seed < 3; seed++) {
            float[] seeds;
            try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
                seeds = KMeansParallel.seed(backend, index, k, new SplittableRandom(seed));
            }
            Set<Integer> hit = new HashSet<>();
            for (int c = 0; c < k; c++) {
                int best = 0;  // the true cluster: the axis where the start is near 100
                for (int t = 1; t < k; t++) if (seeds[c * d + t] > seeds[c * d + best]) best = t;
                hit.add(best);
            }
            assertEquals(k, hit.size(), "seed " + seed + ": one start in each of the " + k + " clusters");
            KMeansModel m = new KMeans(KMeansParams.of(k, seed).withNInit(1)
                    .withSeeding(KMeansParams.Seeding.KMEANS_PARALLEL)).fit(backend, x, n, d);
            assertEquals(1.0, RandIndex.ari(truth, m.labels()), 1e-12);
        }
    }

    @Test
    void startsAsWellAsKMeansPlusPlusOnOverlappingData() {
        int n = 20000, d = 16, k = 64;
        float[] x = Blobs.gaussian(n, d, 40, 11);
        KMeansParams params = KMeansParams.of(k, 4).withNInit(3);
        double plusPlus = new KMeans(params).fit(backend, x, n, d).inertia();
        double parallel = new KMeans(params.withSeeding(KMeansParams.Seeding.KMEANS_PARALLEL)).fit(backend, x, n, d).inertia();
        assertTrue(parallel <= 1.02 * plusPlus, "k-means|| inertia " + parallel + " against k-means++ " + plusPlus);
    }

    @Test
    void fewerDistinctPointsThanClustersStillGivesKRows() {
        int n = 60, d = 2, k = 10;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            x[i * d] = i % 3;
            x[i * d + 1] = 5 * (i % 3);
        }
        float[] seeds;
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            seeds = KMeansParallel.seed(backend, index, k, new SplittableRandom(2));
        }
        assertEquals(k * d, seeds.length);
        for (int c = 0; c < k; c++) {
            float a = seeds[c * d];
            assertTrue(a == 0 || a == 1 || a == 2, "each centre is a data point");
            assertEquals(5 * a, seeds[c * d + 1]);
        }
    }

    @Test
    void theSameSeedGivesTheSameStart() {
        int n = 5000, d = 9, k = 40;
        float[] x = Blobs.gaussian(n, d, 12, 5);
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            assertArrayEquals(KMeansParallel.seed(backend, index, k, new SplittableRandom(8)),
                    KMeansParallel.seed(backend, index, k, new SplittableRandom(8)));
        }
    }
}
