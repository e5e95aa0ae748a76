package org.rnnclust.cluster;

import java.util.SplittableRandom;
import org.rnnclust.backend.CentroidIndex;

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials of scikit-learn):
 * each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with probability proportional to the
 * squared distance to the nearest centre chosen so far. Candidate distances come from the
 * backend's GEMM, all candidates of one round in one call.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {}

    static float[] seed(CentroidIndex index, int k, SplittableRandom rng) {
        int n = index.size();
        int d = index.dim();
        int trials = 2 + (int) Math.log(k);
        float[] centres = new float[k * d];
        float[] row = new float[d];

        index.point(rng.nextInt(n), row);
        System.arraycopy(row, 0, centres, 0, d);
        float[] closest = new float[n];
        index.sqDistances(row, 1, closest);
        double potential = sum(closest);

        float[] candidates = new float[trials * d];
        int[] candidateRows = new int[trials];
        float[] candDist = new float[n * trials];
        double[] cumulative = new double[n];
        for (int c = 1; c < k; c++) {
            cumulative(closest, cumulative);
            for (int t = 0; t < trials; t++) {
                // All points on a centre already (potential 0): any point is as good as another.
                candidateRows[t] = potential > 0
                        ? search(cumulative, rng.nextDouble() * cumulative[n - 1])
                        : rng.nextInt(n);
                index.point(candidateRows[t], row);
                System.arraycopy(row, 0, candidates, t * d, d);
            }
            index.sqDistances(candidates, trials, candDist);
            int best = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = 0;
                for (int i = 0; i < n; i++) p += Math.min(closest[i], candDist[i * trials + t]);
                if (p < bestPotential) {
                    bestPotential = p;
                    best = t;
                }
            }
            for (int i = 0; i < n; i++) closest[i] = Math.min(closest[i], candDist[i * trials + best]);
            potential = bestPotential;
            System.arraycopy(candidates, best * d, centres, c * d, d);
        }
        return centres;
    }

    private static void cumulative(float[] v, double[] out) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[i];
            out[i] = s;
        }
    }

    /** First index whose cumulative sum exceeds r (the inverse-CDF draw). */
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

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) s += f;
        return s;
    }
}
