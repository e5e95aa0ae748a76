package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.data.RowSample;

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

    /** The sample the project draws for a seed: the first m of a seeded Fisher–Yates shuffle. */
    private static int[] sample(int m, long seed) {
        return RowSample.draw(N, m, new SplittableRandom(seed));
    }

    @Test
    void sampledScoreIsTheScoreOfTheSampledPoints() {
        int m = 400;
        int[] idx = sample(m, 5);
        float[] xs = new float[m * D];
        int[] ls = new int[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(x, idx[i] * D, xs, i * D, D);
            ls[i] = labels[idx[i]];
        }
        assertEquals(Silhouette.score(xs, m, D, ls), Silhouette.sampled(x, N, D, labels, idx), 0.0);
    }

    @Test
    void sampledScoreEstimatesTheFullScore() {
        double full = Silhouette.score(x, N, D, labels);
        assertEquals(full, Silhouette.sampled(x, N, D, labels, sample(600, 1)), 0.03);
        assertEquals(full, Silhouette.sampled(x, N, D, labels, sample(N, 1)), 1e-12);
    }

    @Test
    void sampleMustHoldRowsOfTheData() {
        assertThrows(IllegalArgumentException.class, () -> Silhouette.sampled(x, N, D, labels, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> Silhouette.sampled(x, N, D, labels, new int[] {0, N}));
        assertThrows(IllegalArgumentException.class, () -> Silhouette.sampled(x, N, D, labels, new int[] {-1, 2}));
    }
}
