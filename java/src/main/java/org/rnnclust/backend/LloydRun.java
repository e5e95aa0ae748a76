package org.rnnclust.backend;

/**
 * One run of Lloyd's iterations whose state (the labels, the clusters' sums and counts, the
 * centres) a backend keeps where its points are: on a GPU, the device, so that an iteration sends
 * a few numbers to the host instead of n labels and k × d sums. The iteration itself is written
 * once, in {@code cluster.KMeans}, which calls these steps in order and decides when to stop; a
 * backend without such state gets the host version there, which is the reference for this one.
 * Offered by {@link CentroidIndex#lloydRun}.
 */
public interface LloydRun extends AutoCloseable {
    /**
     * What one assignment gave: the inertia (sum of squared distances, in double) and how many
     * labels differ from the previous assignment's (every label at the first call).
     */
    record Assignment(double inertia, long changed) {}

    /** Assigns every point to its nearest centre (lowest index among equals) and sums the clusters. */
    Assignment assign();

    /**
     * Refills the clusters that the last assignment left empty, each with the point farthest from
     * its centre among those whose cluster keeps another point (the lower index among equal
     * distances), moving its coordinates between the clusters' sums.
     *
     * @return how many clusters were refilled
     */
    int relocateEmpty();

    /**
     * Moves each non-empty cluster's centre to the mean of its points ({@code (float) (sum / count)};
     * an empty cluster keeps its centre).
     *
     * @return the squared distance the centres moved, summed over all of them
     */
    double updateCentres();

    /** The current k × d centres, row-major (a copy). */
    float[] centres();

    /**
     * The labels and squared distances of the current centres (arrays of n), as
     * {@link CentroidIndex#assign(float[], int, int[], float[])} gives them.
     *
     * @return the inertia
     */
    double finish(int[] labels, float[] sqDistance);

    @Override
    void close();
}
