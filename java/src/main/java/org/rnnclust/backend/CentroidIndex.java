package org.rnnclust.backend;

import java.util.Optional;

/**
 * The device-side half of k-means (the FAISS split): n points of dimension d held by a backend,
 * answering the questions the k-means loop asks of them. Squared Euclidean distances are computed
 * as ‖x‖² − 2x·c + ‖c‖² with a GEMM, tiled so that memory stays bounded whatever n and k are.
 * Implementations extend {@link CheckedCentroidIndex}, which checks the arguments once for all backends.
 */
public interface CentroidIndex extends AutoCloseable {
    int size();

    int dim();

    /**
     * For every point, the nearest of the k centroids (row-major k×d) and its squared distance.
     * Ties go to the lowest centroid index. {@code sqDistance} may be null when only the labels and
     * the inertia are wanted (a GPU then does not copy n distances back).
     *
     * @return the sum of the squared distances (the inertia), accumulated in double
     */
    default double assign(float[] centroids, int k, int[] nearest, float[] sqDistance) {
        return assign(centroids, k, nearest, sqDistance, null, null);
    }

    /**
     * {@link #assign(float[], int, int[], float[])} and, in the same pass over the points, the
     * per-cluster sums (k×d) and counts that the centroid update needs (one pass over the data per
     * Lloyd iteration, not two). {@code sums} and {@code counts} are overwritten; null skips them.
     */
    double assign(float[] centroids, int k, int[] nearest, float[] sqDistance, double[] sums, long[] counts);

    /** Squared distances from every point to each of m centres: out is n×m row-major. */
    void sqDistances(float[] centres, int m, float[] out);

    /**
     * Replaces the n points with the first n·d values of {@code x} (row-major; n and d stay): what
     * the backend keeps of them (an off-heap copy, device memory) is refilled in place. Mini-batch
     * k-means steps through all its batches on one index this way instead of making one per batch
     * (on a GPU, device and pinned allocations each time). Like the constructor's array, {@code x}
     * is not copied and must not change while the index uses it.
     */
    void load(float[] x);

    /** Copies point i into {@code out} (length d). */
    void point(int i, float[] out);

    /**
     * A Lloyd run from the k × d {@code centres} (copied) with its state kept by the backend, where
     * the backend has one (a GPU with the points resident); empty where the k-means loop should
     * keep the state on the host itself. The caller closes it.
     */
    default Optional<LloydRun> lloydRun(float[] centres, int k) {
        return Optional.empty();
    }

    /**
     * k-means++ seeding with its distances kept by the backend, where the backend has such a
     * version (a GPU with the points resident); empty otherwise. The caller closes it.
     */
    default Optional<SeedingRun> seedingRun() {
        return Optional.empty();
    }

    @Override
    void close();
}
