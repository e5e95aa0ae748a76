package org.rnnclust.train;

import java.util.SplittableRandom;

/**
 * DTCR's fake sequences (Ma et al., NeurIPS 2019, "fake-sample generation"): a copy of each series
 * with a fraction of its valid steps shuffled among themselves ({@value #SHUFFLED_FRACTION}, at
 * least two steps), every channel of a step moving together. A fake keeps the series' values and
 * most of its shape but breaks its order where the steps were shuffled; telling it from the real
 * series makes the encoder represent temporal order.
 */
final class FakeSequences {
    static final double SHUFFLED_FRACTION = 0.2;

    private FakeSequences() {}

    /**
     * Writes into {@code fake} the fakes of the batch {@code real} [steps, batch, channels]
     * (time-major) whose series have {@code lengths}; a series of one step is copied as it is.
     */
    static void draw(float[] real, int steps, int batch, int channels, int[] lengths, SplittableRandom rng,
                     float[] fake) {
        int n = steps * batch * channels;
        System.arraycopy(real, 0, fake, 0, n);
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            if (len < 2) continue;
            int m = Math.min(len, Math.max(2, (int) Math.round(SHUFFLED_FRACTION * len)));
            // m distinct steps (a partial Fisher–Yates draw), then their contents permuted among them.
            int[] all = new int[len];
            for (int t = 0; t < len; t++) all[t] = t;
            for (int i = 0; i < m; i++) {
                int j = i + rng.nextInt(len - i);
                int keep = all[i];
                all[i] = all[j];
                all[j] = keep;
            }
            int[] target = java.util.Arrays.copyOf(all, m);
            int[] source = target.clone();
            for (int i = m - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int keep = source[i];
                source[i] = source[j];
                source[j] = keep;
            }
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < channels; c++) {
                    fake[(target[i] * batch + b) * channels + c] = real[(source[i] * batch + b) * channels + c];
                }
            }
        }
    }
}
