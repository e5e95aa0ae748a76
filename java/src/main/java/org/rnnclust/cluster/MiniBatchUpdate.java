package org.rnnclust.cluster;

import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;

/**
 * One mini-batch k-means step (Sculley 2010, with scikit-learn's per-centre count weighting):
 * assign a batch, then move each centre to the count-weighted mean of every point it has been
 * given so far. The in-memory and the streamed mini-batch k-means both step through this, so
 * they differ only in where their batches come from. One index serves every batch: made at the
 * first step, then reloaded with each batch's points ({@link CentroidIndex#load}).
 */
final class MiniBatchUpdate implements AutoCloseable {
    private final int k;
    private final int d;
    private float[] centres;
    private final double[] weight;
    private final double[] sums;
    private final long[] counts;
    private final int[] labels;
    private final float[] dist;
    private double shift;
    /** Makes the batches' index at the first step. */
    private final Backend backend;
    private CentroidIndex index;

    MiniBatchUpdate(Backend backend, float[] seeds, int k, int d, int batch) {
        this.backend = backend;
        this.k = k;
        this.d = d;
        this.centres = seeds;
        this.weight = new double[k];
        this.sums = new double[k * d];
        this.counts = new long[k];
        this.labels = new int[batch];
        this.dist = new float[batch];
    }

    /**
     * Assigns the {@code batch} points of {@code x} (row-major, d values each) and moves the
     * centres. {@code x} is read until the next step or {@link #close}.
     *
     * @return the batch's inertia against the centres before the move
     */
    double step(float[] x) {
        int batch = labels.length;
        double inertia;
        if (index == null) {
            index = backend.centroidIndex(x, batch, d);
        } else {
            index.load(x);
        }
        inertia = index.assign(centres, k, labels, dist, sums, counts);
        float[] next = centres.clone();
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) continue;
            double w = weight[c] + counts[c];
            for (int j = 0; j < d; j++) {
                next[c * d + j] = (float) ((centres[c * d + j] * weight[c] + sums[c * d + j]) / w);
            }
            weight[c] = w;
        }
        shift = KMeans.sqShift(centres, next);
        centres = next;
        return inertia;
    }

    /** The squared distance the centres moved in the last step. */
    double shift() {
        return shift;
    }

    float[] centres() {
        return centres;
    }

    /** Closes the batches' index. */
    @Override
    public void close() {
        if (index != null) index.close();
        index = null;
    }
}
