package org.rnnclust.cluster;

import java.util.List;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;

/**
 * The result of a k-means fit: k centroids of dimension d, immutable. Assigning new points to them
 * is {@link #predict}; the fit's own labels and statistics come with it.
 *
 * @param centroids  k×d row-major
 * @param labels     the nearest centroid of each training point
 * @param inertia    sum of squared distances of the training points to their centroid
 * @param iterations iterations of the winning restart
 * @param converged  whether the winning restart stopped before maxIter
 * @param history    per-iteration statistics of the winning restart
 */
public record KMeansModel(int k, int d, float[] centroids, int[] labels, double inertia, int iterations,
                          boolean converged, List<IterationStats> history) {

    /** One Lloyd iteration (or one mini-batch step): what FAISS and scikit-learn log. */
    public record IterationStats(int iteration, double inertia, double centreShift, int emptyClustersSplit,
                                 double seconds) {}

    /** Nearest centroid of each of the n points in x (n×d), and the sum of squared distances. */
    public Assignment predict(Backend backend, float[] x, int n) {
        return nearest(backend, centroids, k, d, x, n);
    }

    /** The nearest of the k × d {@code centroids} for each of the n points in x (n × d). */
    static Assignment nearest(Backend backend, float[] centroids, int k, int d, float[] x, int n) {
        int[] nearest = new int[n];
        float[] dist = new float[n];
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            double total = index.assign(centroids, k, nearest, dist);
            return new Assignment(nearest, dist, total);
        }
    }

    public record Assignment(int[] labels, float[] sqDistances, double inertia) {}
}
