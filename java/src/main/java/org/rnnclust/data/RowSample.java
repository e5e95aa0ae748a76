package org.rnnclust.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded samples of rows without replacement: the first m steps of a Fisher–Yates shuffle of
 * 0..n-1, which every subsample in the project (the forest baseline, spectral clustering,
 * evaluate's training rows, the sampled silhouette) draws the same way.
 */
public final class RowSample {
    private RowSample() {}

    /** m distinct indices of 0..n-1, uniformly chosen by {@code random}, in the order drawn. */
    public static int[] draw(int n, int m, SplittableRandom random) {
        if (m < 0 || m > n) throw new IllegalArgumentException("cannot draw " + m + " of " + n + " rows");
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return Arrays.copyOf(idx, m);
    }

    /**
     * Reservoir sampling (Vitter's Algorithm R) of {@code capacity} rows of a stream whose length is
     * known only at its end: the slot that row {@code index} (from 0) takes, or −1 when it is not
     * kept. Row i takes slot i while i &lt; capacity, else {@code random.nextLong(i + 1)} when that is
     * below capacity (replacing the row there). Every streamed sample in the project draws so.
     */
    public static int reservoirSlot(long index, int capacity, SplittableRandom random) {
        long slot = index < capacity ? index : random.nextLong(index + 1);
        return slot < capacity ? (int) slot : -1;
    }

    /** {@link #draw} in ascending order: a subsample that keeps the rows' order. */
    public static int[] sorted(int n, int m, SplittableRandom random) {
        int[] idx = draw(n, m, random);
        Arrays.sort(idx);
        return idx;
    }

    /** The rows {@code idx} of the row-major {@code x} (rows of {@code rowSize} values), in that order. */
    public static float[] gather(float[] x, int rowSize, int[] idx) {
        float[] out = new float[idx.length * rowSize];
        for (int i = 0; i < idx.length; i++) System.arraycopy(x, idx[i] * rowSize, out, i * rowSize, rowSize);
        return out;
    }
}
