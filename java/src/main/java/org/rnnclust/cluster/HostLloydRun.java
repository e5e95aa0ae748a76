package org.rnnclust.cluster;

import java.util.Arrays;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.LloydRun;

/**
 * The Lloyd run's state in Java arrays, for backends that keep none of their own (the CPU): each
 * step asks the index one question and does the rest here. The reference that device runs are
 * tested against.
 */
final class HostLloydRun implements LloydRun {
    private final CentroidIndex index;
    private final int k;
    private final int d;
    private float[] centres;
    private final int[] labels;
    private final int[] previous;
    private final float[] dist;
    private final double[] sums;
    private final long[] counts;
    private boolean assigned;

    HostLloydRun(CentroidIndex index, float[] centres, int k) {
        this.index = index;
        this.k = k;
        this.d = index.dim();
        this.centres = centres.clone();
        int n = index.size();
        labels = new int[n];
        previous = new int[n];
        dist = new float[n];
        sums = new double[k * d];
        counts = new long[k];
    }

    @Override
    public Assignment assign() {
        // No distances back: only an empty cluster needs them (a GPU saves copying n floats).
        double inertia = index.assign(centres, k, labels, null, sums, counts);
        long changed = labels.length;
        if (assigned) {
            changed = 0;
            if (!Arrays.equals(labels, previous)) {
                for (int i = 0; i < labels.length; i++) if (labels[i] != previous[i]) changed++;
            }
        }
        assigned = true;
        System.arraycopy(labels, 0, previous, 0, labels.length);
        return new Assignment(inertia, changed);
    }

    @Override
    public int relocateEmpty() {
        float[] current = centres;
        // The distances, only when a cluster is empty: the same labels again, with their distances.
        return KMeans.relocateEmpty(index, labels, dist, () -> index.assign(current, k, labels, dist), sums, counts, d);
    }

    @Override
    public double updateCentres() {
        float[] next = KMeans.means(sums, counts, centres, d);
        double shift = KMeans.sqShift(centres, next);
        centres = next;
        return shift;
    }

    @Override
    public float[] centres() {
        return centres.clone();
    }

    @Override
    public double finish(int[] labelsOut, float[] sqDistance) {
        return index.assign(centres, k, labelsOut, sqDistance);
    }

    @Override
    public void close() {}
}
