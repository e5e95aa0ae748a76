package org.rnnclust.train;

import java.util.SplittableRandom;

/**
 * The random views of contrastive pretraining, drawn on the host from a time-major batch: for
 * each series, its valid steps scaled by a factor drawn from N(1, {@value #SCALE_SD}²) per channel,
 * jittered by N(0, {@value #JITTER_SD}²) noise on every value, and a span of
 * {@value #MASKED_FRACTION} of its valid steps (at least one) set to 0 at a random place. These are
 * the weak augmentations of TS-TCC and TS2Vec (jitter, scaling, time masking) at strengths that
 * keep a z-normalised series recognisable; padding steps stay 0.
 */
final class ContrastiveViews {
    static final double SCALE_SD = 0.1;
    static final double JITTER_SD = 0.1;
    static final double MASKED_FRACTION = 0.1;

    private ContrastiveViews() {}

    /**
     * Writes into {@code view} a random view of the batch {@code clean} [steps, batch, channels]
     * (time-major) whose series have {@code lengths}.
     */
    static void draw(float[] clean, int steps, int batch, int channels, int[] lengths, SplittableRandom rng,
                     float[] view) {
        int n = steps * batch * channels;
        java.util.Arrays.fill(view, 0, n, 0f);
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            if (len == 0) continue;
            int span = Math.max(1, (int) Math.round(MASKED_FRACTION * len));
            int maskFrom = rng.nextInt(len - Math.min(span, len) + 1);
            for (int c = 0; c < channels; c++) {
                double scale = 1 + SCALE_SD * rng.nextGaussian();
                for (int t = 0; t < len; t++) {
                    int at = (t * batch + b) * channels + c;
                    double jitter = JITTER_SD * rng.nextGaussian();
                    boolean masked = t >= maskFrom && t < maskFrom + span;
                    view[at] = masked ? 0f : (float) (clean[at] * scale + jitter);
                }
            }
        }
    }
}
