package org.rnnclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sampling without replacement: distinct, seeded, and uniform (each row's frequency m/n within 4 sigma). */
class RowSampleTest {
    @Test
    void drawsDistinctRowsUniformlyAndRepeatably() {
        int n = 50;
        int m = 10;
        int trials = 20_000;
        int[] hits = new int[n];
        SplittableRandom random = new SplittableRandom(3);
        for (int t = 0; t < trials; t++) {
            boolean[] seen = new boolean[n];
            for (int i : RowSample.draw(n, m, random)) {
                assertTrue(!seen[i], "row " + i + " drawn twice");
                seen[i] = true;
                hits[i]++;
            }
        }
        double p = (double) m / n;
        double sigma = Math.sqrt(trials * p * (1 - p));
        for (int i = 0; i < n; i++) assertEquals(trials * p, hits[i], 4 * sigma, "row " + i);
        assertArrayEquals(RowSample.draw(n, m, new SplittableRandom(9)), RowSample.draw(n, m, new SplittableRandom(9)));
        int[] sorted = RowSample.sorted(n, m, new SplittableRandom(9));
        for (int i = 1; i < m; i++) assertTrue(sorted[i] > sorted[i - 1], "ascending");
        assertThrows(IllegalArgumentException.class, () -> RowSample.draw(3, 4, new SplittableRandom(1)));
    }

    @Test
    void gatherCopiesTheChosenRowsInOrder() {
        float[] x = {0, 1, 10, 11, 20, 21};
        assertArrayEquals(new float[] {20, 21, 0, 1}, RowSample.gather(x, 2, new int[] {2, 0}), 0f);
    }
}
