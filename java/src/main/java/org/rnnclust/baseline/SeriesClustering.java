package org.rnnclust.baseline;

/**
 * A clustering whose centroids are series themselves (k-Shape, DTW k-means): k centroids of
 * {@code length} steps × {@code channels}, each row-major [step][channel] like
 * {@link org.rnnclust.data.PaddedSequences}.
 *
 * @param centroids  k × length × channels
 * @param labels     the cluster of each training series
 * @param inertia    the sum over the training series of the method's distance to their centroid
 *                   (k-Shape: SBD; DTW k-means: squared DTW distance)
 * @param iterations iterations of the winning restart
 * @param converged  whether the winning restart's labels stopped changing before the limit
 */
public record SeriesClustering(int k, int length, int channels, double[] centroids, int[] labels, double inertia,
                               int iterations, boolean converged) {

    /** Centroid {@code j} (a copy). */
    public double[] centroid(int j) {
        int size = length * channels;
        return java.util.Arrays.copyOfRange(centroids, j * size, (j + 1) * size);
    }

    /** The centroids as floats, k × length × channels. */
    public float[] centroidsAsFloats() {
        float[] f = new float[centroids.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) centroids[i];
        return f;
    }

    /**
     * Series assigned to their nearest centroid under the method's distance.
     *
     * @param labels    the nearest centroid of each series (the first on ties)
     * @param distances each series' distance to it (k-Shape: SBD; DTW k-means: DTW distance)
     */
    public record Nearest(int[] labels, double[] distances) {}
}
