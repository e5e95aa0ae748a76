package org.rnnclust.cluster;

import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.SeedingRun;

/**
 * k-means++ distances in Java arrays, for backends that keep none of their own (the CPU): the
 * candidates' distances come from the index's GEMM, all candidates of a round in one call, and the
 * running sums are taken here in order. The reference that device runs are tested against.
 */
final class HostSeedingRun implements SeedingRun {
    private final CentroidIndex index;
    private final int n;
    private final int d;
    private final float[] closest;
    private final double[] cumulative;
    private final float[] row;
    private float[] candidates = new float[0];
    private float[] candDist = new float[0];
    private int trials;

    HostSeedingRun(CentroidIndex index) {
        this.index = index;
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
        for (float f : closest) s += f;
        return s;
    }

    @Override
    public void drawAndEvaluate(double[] u, int[] rows, double[] potentials) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += closest[i];
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
            for (int i = 0; i < n; i++) p += Math.min(closest[i], candDist[i * trials + t]);
            potentials[t] = p;
        }
    }

    @Override
    public void accept(int t) {
        for (int i = 0; i < n; i++) closest[i] = Math.min(closest[i], candDist[i * trials + t]);
    }

    /** First index whose cumulative sum exceeds r (the inverse-CDF draw); the last if none does. */
    private static int search(double[] cumulative, double r) {
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
