package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exact kNN against sorting every distance (scikit-learn's neighbours: SpectralClusteringTest). */
class NearestNeighborsTest {
    @Test
    void equalsSortingAllDistancesWithTiesToTheLowerIndex() {
        int n = 200;
        int d = 3;
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[n * d];
        // integer coordinates in a small box: many exactly tied distances and duplicate points
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(4);
        int kk = 7;
        int[] mine = NearestNeighbors.of(x, n, d, kk);
        for (int i = 0; i < n; i++) {
            int row = i;
            int[] expected = IntStream.range(0, n).filter(j -> j != row).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> distance(x, d, row, j)).thenComparingInt(j -> j))
                    .limit(kk).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, Arrays.copyOfRange(mine, i * kk, (i + 1) * kk), "row " + i);
        }
    }

    private static double distance(float[] x, int d, int i, int j) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double v = x[i * d + c] - x[j * d + c];
            s += v * v;
        }
        return s;
    }

    @Test
    void refusesMoreNeighboursThanOtherRows() {
        assertThrows(IllegalArgumentException.class, () -> NearestNeighbors.of(new float[4], 2, 2, 2));
    }
}
