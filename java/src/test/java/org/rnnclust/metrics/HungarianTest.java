package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HungarianTest {

    @Test
    void matchesBruteForceOnRandomMatrices() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 600; trial++) {
            int rows = 1 + rnd.nextInt(7);
            int cols = 1 + rnd.nextInt(7);
            double[][] cost = new double[rows][cols];
            for (double[] row : cost) {
                for (int c = 0; c < cols; c++) {
                    // Small integers make ties (several optima) common; reals test the general case.
                    row[c] = trial % 2 == 0 ? rnd.nextInt(5) - 2 : rnd.nextGaussian() * 100;
                }
            }
            int[] match = Hungarian.solve(cost);
            checkValid(match, rows, cols);
            assertEquals(bruteForce(cost), total(cost, match), 1e-9, "trial " + trial);
        }
    }

    @Test
    void squareExample() {
        double[][] cost = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        assertArrayEquals(new int[] {1, 0, 2}, Hungarian.solve(cost));
    }

    @Test
    void moreRowsThanColumnsLeavesRowsUnmatched() {
        double[][] cost = {{5, 9}, {1, 8}, {7, 2}};
        assertArrayEquals(new int[] {-1, 0, 1}, Hungarian.solve(cost));
    }

    @Test
    void emptyAndInvalidMatrices() {
        assertArrayEquals(new int[0], Hungarian.solve(new double[0][0]));
        assertArrayEquals(new int[] {-1, -1}, Hungarian.solve(new double[2][0]));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.solve(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.solve(new double[][] {{1, Double.NaN}}));
    }

    private static void checkValid(int[] match, int rows, int cols) {
        assertEquals(rows, match.length);
        Set<Integer> used = new HashSet<>();
        int matched = 0;
        for (int c : match) {
            if (c < 0) continue;
            assertTrue(c < cols);
            assertTrue(used.add(c), "column used twice");
            matched++;
        }
        assertEquals(Math.min(rows, cols), matched);
    }

    private static double total(double[][] cost, int[] match) {
        double s = 0;
        for (int r = 0; r < match.length; r++) if (match[r] >= 0) s += cost[r][match[r]];
        return s;
    }

    /** Minimum over all injective maps of the smaller side into the larger one. */
    private static double bruteForce(double[][] cost) {
        int rows = cost.length;
        int cols = cost[0].length;
        boolean transpose = rows > cols;
        int small = Math.min(rows, cols);
        int large = Math.max(rows, cols);
        return search(cost, transpose, 0, small, new boolean[large]);
    }

    private static double search(double[][] cost, boolean transpose, int i, int small, boolean[] used) {
        if (i == small) return 0;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (used[j]) continue;
            used[j] = true;
            double c = transpose ? cost[j][i] : cost[i][j];
            best = Math.min(best, c + search(cost, transpose, i + 1, small, used));
            used[j] = false;
        }
        return best;
    }
}
