package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class MetricsValidationTest {

    static Stream<BiFunction<int[], int[], ?>> metrics() {
        return Stream.of(ClusteringAccuracy::acc, MutualInformation::nmi, RandIndex::ari, ClusteringScores::of,
                ContingencyTable::of);
    }

    @ParameterizedTest
    @MethodSource("metrics")
    void rejectsLengthMismatchAndEmptyInput(BiFunction<int[], int[], ?> metric) {
        assertThrows(IllegalArgumentException.class, () -> metric.apply(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> metric.apply(new int[0], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> metric.apply(null, new int[] {0}));
    }

    @Test
    void contingencyTableRelabelsInValueOrder() {
        ContingencyTable t = ContingencyTable.of(new int[] {9, 3, 9, 3, 9}, new int[] {-1, 1000000, 1000000, 5, 5});
        assertEquals(2, t.rows());
        assertEquals(3, t.cols());
        int[][] expected = {{0, 1, 1}, {1, 1, 1}};   // rows 3, 9; cols -1, 5, 1000000
        assertEquals(java.util.Arrays.deepToString(expected), java.util.Arrays.deepToString(t.dense()));
        assertEquals(2, t.rowSum(0));
        assertEquals(2, t.colSum(2));
    }

    @Test
    void ariDoesNotOverflowForLargeN() {
        int n = 10_000_000;
        int[] truth = new int[n];
        int[] pred = new int[n];
        long[][] counts = new long[2][2];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            pred[i] = rnd.nextInt(100) < 95 ? truth[i] : 1 - truth[i];
            counts[truth[i]][pred[i]]++;
        }
        // Reference from the textbook formula in double: fine here because ARI is far from 0 and 1.
        double index = 0, a = 0, b = 0;
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) index += pairs(counts[r][c]);
            a += pairs(counts[r][0] + counts[r][1]);
            b += pairs(counts[0][r] + counts[1][r]);
        }
        double expected = a * b / pairs(n);
        double ari = (index - expected) / ((a + b) / 2 - expected);
        assertEquals(ari, RandIndex.ari(truth, pred), 1e-9);
        assertEquals(0.81, ari, 2e-3);   // (1 - 2p)^2 for two balanced classes, p = 5 % flipped
        assertEquals(1.0, RandIndex.ari(truth, truth));
    }

    private static double pairs(long m) {
        return m * (m - 1) / 2.0;
    }

    @Test
    void silhouetteRejectsBadLabelCounts() {
        float[] x = {0, 1, 2, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Silhouette.score(x, 4, 1, new int[] {0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("between 2 and n-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Silhouette.score(x, 4, 1, new int[] {0, 1, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Silhouette.score(x, 4, 1, new int[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Silhouette.score(x, 2, 1, new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Silhouette.sampled(x, 4, 1, new int[] {0, 0, 1, 1}, new int[0]));
        // A sample of 2 points cannot hold 2..n-1 labels.
        assertThrows(IllegalArgumentException.class, () -> Silhouette.sampled(x, 4, 1, new int[] {0, 0, 1, 1}, new int[] {0, 2}));
    }
}
