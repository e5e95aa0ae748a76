package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DTCR's fakes by their definition: each series' steps are permuted among a set of
 * round(20 %) of its valid steps (at least two; all channels of a step together), every other
 * step and the padding unchanged, and a one-step series copied.
 */
class FakeSequencesTest {

    @Test
    void aFakeShufflesAFifthOfTheStepsAmongThemselves() {
        int steps = 30;
        int batch = 50;
        int channels = 2;
        int[] lengths = new int[batch];
        float[] real = new float[steps * batch * channels];
        for (int b = 0; b < batch; b++) {
            lengths[b] = 1 + (b * 7) % steps;
            for (int t = 0; t < lengths[b]; t++) {
                // Distinct per step, channel 1 tied to channel 0, so a moved step can be recognised.
                real[(t * batch + b) * channels] = 1000 * b + t + 1;
                real[(t * batch + b) * channels + 1] = -(1000 * b + t + 1);
            }
        }
        float[] fake = new float[real.length];
        FakeSequences.draw(real, steps, batch, channels, lengths, new SplittableRandom(2), fake);
        int moved = 0;
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            float[] before = new float[len];
            float[] after = new float[len];
            int changed = 0;
            for (int t = 0; t < steps; t++) {
                float v = fake[(t * batch + b) * channels];
                if (t >= len) {
                    assertEquals(0f, v, "padding stays");
                    assertEquals(0f, fake[(t * batch + b) * channels + 1], "padding stays");
                    continue;
                }
                assertEquals(-v, fake[(t * batch + b) * channels + 1], "channels move together");
                before[t] = real[(t * batch + b) * channels];
                after[t] = v;
                if (v != before[t]) changed++;
            }
            Arrays.sort(before);
            Arrays.sort(after);
            assertArrayEquals(before, after, "a permutation of the series' own steps");
            int chosen = len < 2 ? 0 : Math.min(len, Math.max(2, (int) Math.round(0.2 * len)));
            assertTrue(changed <= chosen, "series " + b + ": " + changed + " steps moved, " + chosen + " chosen");
            moved += changed;
        }
        assertTrue(moved > 100, "the shuffles move most chosen steps: " + moved);
    }
}
