package org.rnnclust.baseline;

import java.util.ArrayList;
import java.util.List;

/**
 * What k-Shape and DTW k-means do with a cluster that an assignment left empty: as scikit-learn's
 * k-means does, it takes the series farthest from its centroid, among clusters that keep at least
 * one member. No random draw, so a fit from given initial clusters is deterministic.
 */
final class EmptyClusters {
    private EmptyClusters() {}

    /**
     * Fills every empty cluster of {@code labels} (ascending) with the series of largest
     * {@code distances} (the first on ties) whose cluster has two members or more; its distance
     * becomes 0. Returns the series moved, in order.
     */
    static List<Integer> relocate(int[] labels, double[] distances, int k) {
        int[] sizes = new int[k];
        for (int l : labels) sizes[l]++;
        List<Integer> moved = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            if (sizes[j] > 0) continue;
            int farthest = -1;
            for (int i = 0; i < labels.length; i++) {
                if (sizes[labels[i]] >= 2 && (farthest < 0 || distances[i] > distances[farthest])) farthest = i;
            }
            if (farthest < 0) throw new IllegalStateException("fewer series than clusters");
            sizes[labels[farthest]]--;
            sizes[j]++;
            labels[farthest] = j;
            distances[farthest] = 0;
            moved.add(farthest);
        }
        return moved;
    }
}
