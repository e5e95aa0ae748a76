package org.rnnclust.data.prep;

/** Linear resampling of a time-major series to a new number of steps, endpoints kept. */
public final class Resample {
    private Resample() {}

    public static float[] linear(float[] s, int c, int steps) {
        int len = s.length / c;
        float[] out = new float[steps * c];
        for (int t = 0; t < steps; t++) {
            double pos = steps == 1 ? 0 : (double) t * (len - 1) / (steps - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(len - 1, lo + 1);
            double w = pos - lo;
            for (int ch = 0; ch < c; ch++) {
                out[t * c + ch] = (float) (s[lo * c + ch] * (1 - w) + s[hi * c + ch] * w);
            }
        }
        return out;
    }
}
