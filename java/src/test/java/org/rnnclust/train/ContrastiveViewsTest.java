package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The contrastive views by their definition: padding stays 0, exactly round(10 %) of a series'
 * valid steps (at least one) are masked in one span, and the rest is the series scaled by one
 * factor per channel plus independent jitter, whose spreads are the documented ones; the same
 * stream draws the same view.
 */
class ContrastiveViewsTest {

    @Test
    void viewsAreScaledJitteredAndMaskedInsideTheValidSteps() {
        int steps = 40;
        int batch = 300;
        int[] lengths = new int[batch];
        float[] clean = new float[steps * batch];
        for (int b = 0; b < batch; b++) {
            lengths[b] = b % 3 == 0 ? 4 : b % 3 == 1 ? 25 : 40;
            for (int t = 0; t < lengths[b]; t++) clean[t * batch + b] = 1f;
        }
        float[] view = new float[clean.length];
        ContrastiveViews.draw(clean, steps, batch, 1, lengths, new SplittableRandom(4), view);
        double scaleSq = 0;
        double jitterSq = 0;
        int jitterN = 0;
        for (int b = 0; b < batch; b++) {
            int masked = 0;
            int first = -1;
            int last = -1;
            double mean = 0;
            for (int t = 0; t < steps; t++) {
                float v = view[t * batch + b];
                if (t >= lengths[b]) {
                    assertEquals(0f, v, "padding stays 0");
                } else if (v == 0f) {
                    masked++;
                    if (first < 0) first = t;
                    last = t;
                } else {
                    mean += v;
                }
            }
            assertEquals(Math.max(1, Math.round(0.1 * lengths[b])), masked, "series " + b);
            assertEquals(masked, last - first + 1, "one span");
            if (lengths[b] == 40) {
                mean /= 40 - masked;  // the scale factor, up to the jitter's mean
                scaleSq += (mean - 1) * (mean - 1);
                for (int t = 0; t < 40; t++) {
                    float v = view[t * batch + b];
                    if (v != 0f) {
                        jitterSq += (v - mean) * (v - mean);
                        jitterN++;
                    }
                }
            }
        }
        assertEquals(ContrastiveViews.SCALE_SD, Math.sqrt(scaleSq / (batch / 3)), 0.02);
        assertEquals(ContrastiveViews.JITTER_SD, Math.sqrt(jitterSq / jitterN), 0.01);
        float[] again = new float[clean.length];
        ContrastiveViews.draw(clean, steps, batch, 1, lengths, new SplittableRandom(4), again);
        assertArrayEquals(view, again);
        assertTrue(jitterN > 0);
    }
}
