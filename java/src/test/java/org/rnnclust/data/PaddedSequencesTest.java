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

    @Test
    void resamplingLikeAReferenceLengthUsesItsRatioWhateverTheSetsOwnPadding() {
        // The 5-step ramp alone (padded to 5), resampled as in a set padded to 9 steps: 2 steps, as above.
        PaddedSequences alone = new PaddedSequences(1, 5, 1, new float[] {0, 10, 20, 30, 40}, new int[] {5});
        PaddedSequences r = alone.resampledLike(9, 3);
        assertEquals(3, r.maxLength(), "padded to maxSteps");
        assertArrayEquals(new int[] {2}, r.lengths());
        assertArrayEquals(new float[] {0, 40, 0}, r.values(), 1e-6f);
        // A sequence longer than the reference comes out longer than maxSteps, at the same ratio: 18 → 6.
        float[] ramp = new float[18];
        for (int s = 0; s < 18; s++) ramp[s] = s;
        PaddedSequences longer = new PaddedSequences(1, 18, 1, ramp, new int[] {18}).resampledLike(9, 3);
        assertArrayEquals(new int[] {6}, longer.lengths());
        assertEquals(6, longer.maxLength());
        assertArrayEquals(new float[] {0, 3.4f, 6.8f, 10.2f, 13.6f, 17}, longer.values(), 1e-5f);
        assertSame(alone, alone.resampledLike(3, 3), "no resampling when the reference fits");
    }
}
