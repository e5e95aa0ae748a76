package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.metrics.RandIndex;

/**
 * The consensus against what it must find: the partition most of the inputs agree on, whatever
 * their label names; the closest input by ARI; centroids that are the consensus clusters' means.
 */
class ConsensusClusteringTest {
    static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static int[] truth(int n, int k) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) t[i] = i % k;
        return t;
    }

    private static int[] relabelled(int[] labels, int[] map) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) out[i] = map[labels[i]];
        return out;
    }

    /** {@code labels} with a fraction of the items moved to another cluster at random. */
    private static int[] noisy(int[] labels, int k, double fraction, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (r.nextDouble() < fraction) out[i] = (out[i] + 1 + r.nextInt(k - 1)) % k;
        }
        return out;
    }

    @Test
    void findsThePartitionTheMajorityShares() {
        int n = 300, k = 4;
        int[] t = truth(n, k);
        // Each input is the truth under other label names with 25 % of the items moved, a different 25 % each.
        List<int[]> inputs = List.of(noisy(relabelled(t, new int[] {2, 0, 3, 1}), k, 0.25, 1),
                noisy(t, k, 0.25, 2), noisy(relabelled(t, new int[] {3, 2, 1, 0}), k, 0.25, 3),
                noisy(t, k, 0.25, 4), noisy(relabelled(t, new int[] {1, 3, 0, 2}), k, 0.25, 5));
        int[] consensus = ConsensusClustering.of(backend, inputs, k, new KMeansParams(k, 10, 300, 1e-4, 0, 0));
        double best = inputs.stream().mapToDouble(p -> RandIndex.ari(t, p)).max().orElseThrow();
        double got = RandIndex.ari(t, consensus);
        // An item is moved in all five inputs' majority only when at least 3 of 5 moved it (about 10 %).
        assertEquals(true, got > best + 0.2, "consensus ARI " + got + ", best input " + best);
    }

    @Test
    void closestIsTheInputWithTheHighestAri() {
        int[] t = truth(60, 3);
        List<int[]> inputs = List.of(noisy(t, 3, 0.5, 1), noisy(t, 3, 0.1, 2), noisy(t, 3, 0.3, 3));
        int expected = 0;
        for (int p = 1; p < inputs.size(); p++) {
            if (RandIndex.ari(t, inputs.get(p)) > RandIndex.ari(t, inputs.get(expected))) expected = p;
        }
        assertEquals(expected, ConsensusClustering.closest(inputs, t));
        assertEquals(1, expected, "the least noisy input");
    }

    @Test
    void centroidsAreTheClusterMeansAndPointsGoToTheNearest() {
        int n = 7, d = 2, k = 3;
        float[] x = {0, 0, 1, 0, 0, 1, 10, 10, 12, 10, -5, 3, -7, 3};
        int[] labels = {0, 0, 0, 1, 1, 2, 2};
        KMeansModel m = ConsensusClustering.centroidModel(backend, x, n, d, labels, k);
        assertArrayEquals(new float[] {1f / 3, 1f / 3, 11, 10, -6, 3}, m.centroids(), 1e-6f);
        assertArrayEquals(labels, m.labels());
        double inertia = 0;
        for (int i = 0; i < n; i++) {
            int c = labels[i];
            double dx = x[i * d] - m.centroids()[c * d], dy = x[i * d + 1] - m.centroids()[c * d + 1];
            inertia += dx * dx + dy * dy;
        }
        assertEquals(inertia, m.inertia(), 1e-4);
    }

    @Test
    void refusesLabelsOutsideK() {
        assertThrows(IllegalArgumentException.class, () -> ConsensusClustering.of(backend,
                List.of(new int[] {0, 1, 2}), 2, new KMeansParams(2, 1, 10, 1e-4, 0, 0)));
    }
}
