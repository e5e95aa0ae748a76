package org.rnnclust.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PaddedSequencesTest {
    @Test
    void resamplingShrinksEverySequenceByTheSameFactor() {
        // Two channels; a ramp of 9 steps and a ramp of 5 (padded to 9).
        int t = 9, c = 2;
        float[] v = new float[2 * t * c];
        for (int s = 0; s < 9; s++) { v[s * c] = s; v[s * c + 1] = -s; }
        for (int s = 0; s < 5; s++) { v[(t + s) * c] = 10 * s; v[(t + s) * c + 1] = 1; }
        PaddedSequences p = new PaddedSequences(2, t, c, v, new int[] {9, 5});
        PaddedSequences r = p.resampledTo(3);
        assertEquals(3, r.maxLength());
        // 9 steps → 3, 5 steps → round(5·3/9) = 2; linear resampling keeps the end points.
        assertArrayEquals(new int[] {3, 2}, r.lengths());
        assertArrayEquals(new float[] {0, 0, 4, -4, 8, -8,   0, 1, 40, 1, 0, 0}, r.values(), 1e-6f);
    }

    @Test
    void shortSetsAreLeftAsTheyAre() {
        PaddedSequences p = new PaddedSequences(1, 4, 1, new float[] {1, 2, 3, 4}, new int[] {4});
        assertSame(p, p.resampledTo(4));
        assertSame(p, p.resampledTo(100));
        assertThrows(IllegalArgumentException.class, () -> p.resampledTo(0));
    }
}
