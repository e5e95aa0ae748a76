package org.rnnclust.api;

import org.rnnclust.data.PaddedSequences;

/**
 * One way of clustering sequences: fit on training data without labels, then assign any data of
 * the same shape. Every method here is "an embedding, then k-means on it"; they differ in the
 * embedding (the raw series, PCA, a random-forest spectral embedding, a recurrent autoencoder).
 * Build them with {@link Methods}.
 */
public interface ClusteringMethod {
    /** The name in tables and on the command line ({@code kmeans}, {@code pca-kmeans}, ...). */
    String name();

    /**
     * Fits {@code k} clusters on {@code train} (preprocessed sequences) on {@code device}; the same
     * seed gives the same result.
     *
     * @throws IllegalArgumentException when the method's settings do not fit the data (too few rows
     *     for the components asked, ...)
     */
    FittedClustering fit(Device device, PaddedSequences train, int k, long seed);
}
