package org.rnnclust.testing;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded random test inputs: fresh values (never zeros, which hide indexing and accumulation
 * errors), the same ones for the same seed.
 */
public final class RandomArrays {
    private RandomArrays() {}

    /** n standard normal floats. */
    public static float[] gaussian(Random r, int n) {
        return gaussian(r, n, 1f);
    }

    /** n normal floats of standard deviation {@code scale}. */
    public static float[] gaussian(Random r, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = scale * (float) r.nextGaussian();
        return v;
    }

    /** n floats uniform in [lo, hi). */
    public static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * (hi - lo) + lo);
        return v;
    }
}
