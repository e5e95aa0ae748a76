package org.rnnclust.data;

/**
 * A dataset as one dense tensor [n, maxLength, channels] (row-major), zero beyond each sequence's
 * length, with the lengths kept as the mask. This is what models and k-means consume.
 */
public record PaddedSequences(int n, int maxLength, int channels, float[] values, int[] lengths) {

    public static PaddedSequences of(Dataset d) {
        return of(d, d.maxLength());
    }

    /** Pads to {@code steps}, which must be at least the longest sequence (so that TRAIN and TEST agree). */
    public static PaddedSequences of(Dataset d, int steps) {
        if (steps < d.maxLength()) {
            throw new IllegalArgumentException("pad length " + steps + " is shorter than the longest sequence " + d.maxLength());
        }
        int n = d.size();
        int t = steps;
        int c = d.channels();
        long total = (long) n * t * c;
        if (total > Integer.MAX_VALUE - 8) {
            throw new org.rnnclust.InputException(d.name() + ": " + n + " sequences × " + t + " steps × " + c
                    + " channels is too large for one tensor (" + total + " values)");
        }
        float[] values = new float[(int) total];
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            float[] s = d.series(i);
            System.arraycopy(s, 0, values, i * t * c, s.length);
            lengths[i] = d.length(i);
        }
        return new PaddedSequences(n, t, c, values, lengths);
    }

    /** Values per sequence when flattened: maxLength × channels (the raw k-means dimension). */
    public int rowSize() {
        return maxLength * channels;
    }

    public boolean equalLength() {
        for (int l : lengths) if (l != maxLength) return false;
        return true;
    }
}
