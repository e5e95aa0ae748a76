package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SilhouetteSamplingTest {
    private static final int N = 3000;
    private static final int D = 4;
    private final float[] x = new float[N * D];
    private final int[] labels = new int[N];

    SilhouetteSamplingTest() {
        Random rnd = new Random(11);
        for (int i = 0; i < N; i++) {
            labels[i] = i % 3;
            for (int f = 0; f < D; f++) x[i * D + f] = (float) (3 * labels[i] * (f == 0 ? 1 : 0) + rnd.nextGaussian());
        }
    }

    @Test
    void sampleIsUniformWithoutReplacementAndSeeded() {
        int[] a = Silhouette.sampleIndices(N, 500, 7);
        assertEquals(500, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(i -> i >= 0 && i < N));
        assertArrayEqualsInts(a, Silhouette.sampleIndices(N, 500, 7));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Silhouette.sampleIndices(N, 500, 8)));
    }

    @Test
    void sampledScoreIsTheScoreOfTheSampledPoints() {
        int m = 400;
        int[] idx = Silhouette.sampleIndices(N, m, 5);
        float[] xs = new float[m * D];
        int[] ls = new int[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x, idx[i] * D, xs, i * D, D);
            ls[i] = labels[idx[i]];
        }
        assertEquals(Silhouette.score(xs, m, D, ls), Silhouette.sampled(x, N, D, labels, m, 5), 0.0);
    }

    @Test
    void sampledScoreEstimatesTheFullScore() {
        double full = Silhouette.score(x, N, D, labels);
        assertEquals(full, Silhouette.sampled(x, N, D, labels, 600, 1), 0.03);
        assertEquals(full, Silhouette.sampled(x, N, D, labels, N + 10, 1), 1e-12);
    }

    private static void assertArrayEqualsInts(int[] expected, int[] actual) {
        assertEquals(Arrays.toString(expected), Arrays.toString(actual));
    }
}
