package org.rnnclust.data.prep;

/** Fills NaN gaps in one channel of a time-major series by linear interpolation. */
final class Interpolate {
    private Interpolate() {}

    /** @return false when the channel has no finite value at all */
    static boolean fillChannel(float[] s, int c, int ch) {
        int len = s.length / c;
        int prev = -1;
        for (int t = 0; t < len; t++) {
            if (Float.isNaN(s[t * c + ch])) continue;
            if (prev < 0) {
                for (int u = 0; u < t; u++) s[u * c + ch] = s[t * c + ch];
            } else if (t - prev > 1) {
                float a = s[prev * c + ch];
                float b = s[t * c + ch];
                for (int u = prev + 1; u < t; u++) s[u * c + ch] = a + (b - a) * (u - prev) / (t - prev);
            }
            prev = t;
        }
        if (prev < 0) return false;
        for (int u = prev + 1; u < len; u++) s[u * c + ch] = s[prev * c + ch];
        return true;
    }
}
