package org.rnnclust.cluster;

import java.util.SplittableRandom;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.SeedingRun;

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials of scikit-learn):
 * each new centre is the best of 2 + ⌊ln k⌋ candidates drawn with probability proportional to the
 * squared distance to the nearest centre chosen so far. The distances live in a {@link SeedingRun}:
 * the backend's own where it has one (on a GPU, on the device), else {@link HostSeedingRun}; the
 * random draws and the choice of the best trial are made here, for both.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {}

    static float[] seed(CentroidIndex index, int k, SplittableRandom rng) {
        try (SeedingRun run = index.seedingRun().orElseGet(() -> new HostSeedingRun(index))) {
            return seed(run, index, k, rng);
        }
    }

    /** The seeding with the given distances' keeper (tests compare a device run with the host's). */
    static float[] seed(SeedingRun run, CentroidIndex index, int k, SplittableRandom rng) {
        return seed(run, index, k, rng, rng.nextInt(index.size()));
    }

    /**
     * Weighted k-means++: point i stands for {@code weights[i]} points, in the first draw, the D²
     * draws and the trials' potentials (k-means|| reclusters its weighted candidates with it).
     * Distances are kept on the host.
     */
    static float[] seedWeighted(CentroidIndex index, double[] weights, int k, SplittableRandom rng) {
        double[] cumulative = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) cumulative[i] = s += weights[i];
        int first = HostSeedingRun.search(cumulative, rng.nextDouble() * s);
        try (SeedingRun run = new HostSeedingRun(index, weights)) {
            return seed(run, index, k, rng, first);
        }
    }

    private static float[] seed(SeedingRun run, CentroidIndex index, int k, SplittableRandom rng, int first) {
        int n = index.size();
        int d = index.dim();
        int trials = 2 + (int) Math.log(k);
        float[] centres = new float[k * d];
        float[] row = new float[d];

        index.point(first, row);
        System.arraycopy(row, 0, centres, 0, d);
        double potential = run.start(first);

        double[] u = new double[trials];
        int[] candidateRows = new int[trials];
        double[] potentials = new double[trials];
        for (int c = 1; c < k; c++) {
            if (potential > 0) {
                for (int t = 0; t < trials; t++) u[t] = rng.nextDouble();
                run.drawAndEvaluate(u, candidateRows, potentials);
            } else {
                // All points on a centre already (potential 0): any point is as good as another.
                for (int t = 0; t < trials; t++) candidateRows[t] = rng.nextInt(n);
                run.evaluate(candidateRows, potentials);
            }
            int best = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                if (potentials[t] < bestPotential) {
                    bestPotential = potentials[t];
                    best = t;
                }
            }
            run.accept(best);
            potential = bestPotential;
            index.point(candidateRows[best], row);
            System.arraycopy(row, 0, centres, c * d, d);
        }
        return centres;
    }
}
