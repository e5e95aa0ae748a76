package org.rnnclust.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnnclust.data.PaddedSequences;

/** A seeded subset of sequences, in their original order. */
final class Subsample {
    private Subsample() {}

    /** {@code data} itself when it has at most {@code max} rows, else {@code max} of them chosen by {@code seed}. */
    static PaddedSequences rows(PaddedSequences data, int max, long seed) {
        if (data.n() <= max) return data;
        int n = data.n();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < max; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        Arrays.sort(idx, 0, max);
        int row = data.rowSize();
        float[] values = new float[max * row];
        int[] lengths = new int[max];
        for (int i = 0; i < max; i++) {
            System.arraycopy(data.values(), idx[i] * row, values, i * row, row);
            lengths[i] = data.lengths()[idx[i]];
        }
        return new PaddedSequences(max, data.maxLength(), data.channels(), values, lengths);
    }
}
