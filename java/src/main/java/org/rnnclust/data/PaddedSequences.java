package org.rnnclust.data;

import org.rnnclust.HeapBudget;

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
        HeapBudget.requireArray(total, Float.BYTES, d.name() + ": " + n + " sequences × " + t + " steps × " + c
                + " channels in one tensor");
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

    /**
     * These sequences linearly resampled ({@link org.rnnclust.data.prep.Resample#linear}) so that the
     * longest has {@code maxSteps} steps; every sequence shrinks by the same factor (its length
     * rounded, at least 1), so two sets padded alike (TRAIN and TEST) stay alike. This object itself
     * when no sequence is longer than {@code maxSteps}.
     */
    public PaddedSequences resampledTo(int maxSteps) {
        return resampledLike(maxLength, maxSteps);
    }

    /**
     * These sequences shrunk by the factor {@link #resampledTo} applied to sequences padded to
     * {@code referenceLength} steps (maxSteps / referenceLength; none when referenceLength ≤
     * maxSteps): how a model fitted on such sequences reads new ones of any length. Padded to
     * {@code maxSteps} steps, or to the longest result when a sequence was longer than the reference.
     */
    public PaddedSequences resampledLike(int referenceLength, int maxSteps) {
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be >= 1, got " + maxSteps);
        if (referenceLength <= maxSteps) return this;
        int[] newLengths = new int[n];
        int width = maxSteps;
        for (int i = 0; i < n; i++) {
            newLengths[i] = Math.max(1, (int) Math.round((double) lengths[i] * maxSteps / referenceLength));
            width = Math.max(width, newLengths[i]);
        }
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n, width), channels)];
        for (int i = 0; i < n; i++) {
            int l = lengths[i];
            int to = newLengths[i];
            float[] series = java.util.Arrays.copyOfRange(values, i * maxLength * channels, (i * maxLength + l) * channels);
            float[] r = l == 0 ? new float[to * channels] : org.rnnclust.data.prep.Resample.linear(series, channels, to);
            System.arraycopy(r, 0, out, i * width * channels, r.length);
        }
        return new PaddedSequences(n, width, channels, out, newLengths);
    }

    /**
     * These sequences with each channel's first difference beside it: channels [x, Δx], twice as
     * many, where Δx[t] = x[t] − x[t−1] and Δx[0] = 0; zero beyond each sequence's length, as before.
     */
    public PaddedSequences withFirstDifferences() {
        int wide = 2 * channels;
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n, maxLength), wide)];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                int from = (i * maxLength + t) * channels;
                int to = (i * maxLength + t) * wide;
                for (int c = 0; c < channels; c++) {
                    out[to + c] = values[from + c];
                    if (t > 0) out[to + channels + c] = values[from + c] - values[from - channels + c];
                }
            }
        }
        return new PaddedSequences(n, maxLength, wide, out, lengths.clone());
    }
}
