package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.api.RefinementSummary;

/** The note on a refinement that lowered its KL and moved many series: when it is said, and the share it states. */
class RefinementNoteTest {
    private static RefinementSummary kl(double... history) {
        return new RefinementSummary(history.length, 10, 0.01, true,
                java.util.Arrays.stream(history).boxed().toList(), List.of(), 1);
    }

    /** 20 series in clusters 0, 1: the first {@code moved} of cluster 0 go to cluster 1. */
    private static int[][] moving(int moved) {
        int[] before = new int[20];
        int[] after = new int[20];
        for (int i = 0; i < 20; i++) before[i] = after[i] = i < 10 ? 0 : 1;
        for (int i = 0; i < moved; i++) after[i] = 1;
        return new int[][] {before, after};
    }

    @Test
    void saidWhenKlFellAndATenthOrMoreMoved() {
        int[][] p = moving(3);
        assertEquals("note: dec lowered its KL from 0.1000 to 0.02500 but moved 15.0% of the series to another cluster "
                + "than the k-means start; a lower KL means more confident clusters, not better ones (--refine none "
                + "keeps the start)", RefinementNote.of("dec", kl(0.1, 0.05, 0.025), p[0], p[1]));
    }

    @Test
    void notSaidWhenFewMovedOrKlRoseOrOnlyTheIdsDiffer() {
        int[][] few = moving(1);
        assertNull(RefinementNote.of("dec", kl(0.1, 0.05), few[0], few[1]), "5% moved");
        int[][] many = moving(4);
        assertNull(RefinementNote.of("dec", kl(0.05, 0.1), many[0], many[1]), "KL rose");
        assertNull(RefinementNote.of("dec", kl(0.1), many[0], many[1]), "one epoch: no trend");
        int[] swapped = new int[20];
        for (int i = 0; i < 20; i++) swapped[i] = 1 - many[0][i];
        assertNull(RefinementNote.of("idec", kl(0.1, 0.05), many[0], swapped), "the same clusters, ids swapped");
    }
}
