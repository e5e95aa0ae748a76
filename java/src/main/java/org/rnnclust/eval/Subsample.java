package org.rnnclust.eval;

import java.util.SplittableRandom;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.RowSample;

/** A seeded subset of sequences, in their original order. */
final class Subsample {
    private Subsample() {}

    /** {@code data} itself when it has at most {@code max} rows, else {@code max} of them chosen by {@code seed}. */
    static PaddedSequences rows(PaddedSequences data, int max, long seed) {
        if (data.n() <= max) return data;
        int[] idx = RowSample.sorted(data.n(), max, new SplittableRandom(seed ^ 0x5DEECE66DL));
        float[] values = RowSample.gather(data.values(), data.rowSize(), idx);
        int[] lengths = new int[max];
        for (int i = 0; i < max; i++) lengths[i] = data.lengths()[idx[i]];
        return new PaddedSequences(max, data.maxLength(), data.channels(), values, lengths);
    }
}
