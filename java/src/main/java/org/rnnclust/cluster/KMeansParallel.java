package org.rnnclust.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;

/**
 * k-means|| seeding (Bahmani, Moseley, Vattani, Kumar, Vassilvitskii, "Scalable K-Means++", VLDB
 * 2012), with Spark MLlib's defaults: from one random point, {@link #ROUNDS} passes each keep
 * every point with probability min(1, ℓ·D²(x)/φ), ℓ = 2k, where D² is the squared distance to the
 * nearest point kept so far and φ their sum; each kept point is then weighted by how many points
 * are nearest to it, and weighted k-means++ ({@link KMeansPlusPlus#seedWeighted}) picks the k
 * centres among them. Each pass is one assignment of the points to the round's new candidates
 * (the backend's fused kernel, no n × m distance matrix), so the data is read ROUNDS + 2 times,
 * where k-means++ reads it about k times: the choice for large k.
 */
final class KMeansParallel {
    /** Sampling passes: Spark MLlib's initializationSteps (Bahmani et al. found a few enough with ℓ = 2k). */
    static final int ROUNDS = 2;

    private KMeansParallel() {}

    static float[] seed(Backend backend, CentroidIndex index, int k, SplittableRandom rng) {
        int n = index.size();
        int d = index.dim();
        double oversampling = 2.0 * k;
        boolean[] kept = new boolean[n];
        int[] rows = new int[Math.max(16, 4 * k)];
        int count = 0;
        float[] row = new float[d];

        int first = rng.nextInt(n);
        kept[first] = true;
        rows[count++] = first;
        float[] closest = new float[n];
        index.point(first, row);
        index.sqDistances(row, 1, closest);
        int[] nearest = new int[n];
        float[] dist = new float[n];
        for (int round = 0; round < ROUNDS; round++) {
            double potential = 0;
            for (float c : closest) potential += c;
            if (!(potential > 0)) break;  // every point sits on a kept one
            int before = count;
            for (int i = 0; i < n; i++) {
                double p = oversampling * closest[i] / potential;
                if (p > 0 && !kept[i] && rng.nextDouble() < p) {
                    kept[i] = true;
                    if (count == rows.length) rows = Arrays.copyOf(rows, 2 * rows.length);
                    rows[count++] = i;
                }
            }
            int added = count - before;
            if (added == 0) continue;
            index.assign(gather(index, rows, before, added), added, nearest, dist);
            for (int i = 0; i < n; i++) closest[i] = Math.min(closest[i], dist[i]);
        }
        if (count < k) {
            // Fewer distinct candidates than clusters (few distinct points): add random others.
            for (int tries = 0; count < k && tries < 8 * k; tries++) {
                int i = rng.nextInt(n);
                if (kept[i]) continue;
                kept[i] = true;
                rows[count++] = i;
            }
            for (int i = 0; count < k; i++) {
                if (kept[i]) continue;
                kept[i] = true;
                rows[count++] = i;
            }
        }
        float[] candidates = gather(index, rows, 0, count);
        if (count == k) return candidates;
        index.assign(candidates, count, nearest, null);
        double[] weights = new double[count];
        for (int label : nearest) weights[label]++;
        try (CentroidIndex candidateIndex = backend.centroidIndex(candidates, count, d)) {
            return KMeansPlusPlus.seedWeighted(candidateIndex, weights, k, rng);
        }
    }

    /** Rows rows[from..from+m) of the index's points, m × d row-major. */
    private static float[] gather(CentroidIndex index, int[] rows, int from, int m) {
        int d = index.dim();
        float[] out = new float[m * d];
        float[] row = new float[d];
        for (int t = 0; t < m; t++) {
            index.point(rows[from + t], row);
            System.arraycopy(row, 0, out, t * d, d);
        }
        return out;
    }
}
