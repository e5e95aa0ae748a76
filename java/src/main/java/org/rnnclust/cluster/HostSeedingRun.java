package org.rnnclust.cluster;

import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.SeedingRun;

/**
 * k-means++ distances in Java arrays, for backends that keep none of their own (the CPU): the
 * candidates' distances come from the index's GEMM, all candidates of a round in one call, and the
 * running sums are taken here in order. The reference that device runs are tested against.
 *
 * <p>With weights (k-means|| reclusters its candidates this way), point i counts as weights[i]
 * points: its share of the draws and of the potentials is weights[i] times its distance.
 */
final class HostSeedingRun implements SeedingRun {
    private final CentroidIndex index;
    private final double[] weights;  // null: every point counts once
    private final int n;
    private final int d;
    private final float[] closest;
    private final double[] cumulative;
    private final float[] row;
    private float[] candidates = new float[0];
    private float[] candDist = new float[0];
    private int trials;

    HostSeedingRun(CentroidIndex index) {
        this(index, null);
    }

    /** @param weights how many points each point stands for (n values), or null for one each */
    HostSeedingRun(CentroidIndex index, double[] weights) {
        if (weights != null && weights.length != index.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + index.size() + " points");
        }
        this.index = index;
        this.weights = weights;
        this.n = index.size();
        this.d = index.dim();
        closest = new float[n];
        cumulative = new double[n];
        row = new float[d];
    }

    @Override
    public double start(int first) {
        index.point(first, row);
        index.sqDistances(row, 1, closest);
        double s = 0;
        if (weights == null) {
            for (float f : closest) s += f;
        } else {
            for (int i = 0; i < n; i++) s += weights[i] * closest[i];
        }
        return s;
    }

    @Override
    public void drawAndEvaluate(double[] u, int[] rows, double[] potentials) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += weights == null ? closest[i] : weights[i] * closest[i];
            cumulative[i] = s;
        }
        for (int t = 0; t < u.length; t++) rows[t] = search(cumulative, u[t] * cumulative[n - 1]);
        evaluate(rows, potentials);
    }

    @Override
    public void evaluate(int[] rows, double[] potentials) {
        trials = rows.length;
        if (candidates.length != trials * d) {
            candidates = new float[trials * d];
            candDist = new float[n * trials];
        }
        for (int t = 0; t < trials; t++) {
            index.point(rows[t], row);
            System.arraycopy(row, 0, candidates, t * d, d);
        }
        index.sqDistances(candidates, trials, candDist);
        for (int t = 0; t < trials; t++) {
            double p = 0;
            if (weights == null) {
                for (int i = 0; i < n; i++) p += Math.min(closest[i], candDist[i * trials + t]);
            } else {
                for (int i = 0; i < n; i++) p += weights[i] * Math.min(closest[i], candDist[i * trials + t]);
            }
            potentials[t] = p;
        }
    }

    @Override
    public void accept(int t) {
        for (int i = 0; i < n; i++) closest[i] = Math.min(closest[i], candDist[i * trials + t]);
    }

    /** First index whose cumulative sum exceeds r (the inverse-CDF draw); the last if none does. */
    static int search(double[] cumulative, double r) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    @Override
    public void close() {}
}
