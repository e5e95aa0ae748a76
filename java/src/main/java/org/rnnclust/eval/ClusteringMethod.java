package org.rnnclust.eval;

import org.rnnclust.backend.Backend;
import org.rnnclust.data.PaddedSequences;

/**
 * One way of clustering sequences: fit on training data without labels, then assign any data of
 * the same shape. Every method here is "an embedding, then k-means on it"; they differ in the
 * embedding (the raw series, PCA, a random-forest spectral embedding, a recurrent autoencoder).
 */
public interface ClusteringMethod {
    /** The name in tables and on the command line ({@code kmeans}, {@code pca-kmeans}, ...). */
    String name();

    /** Fits k clusters on {@code train}; the same seed gives the same result. */
    FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed);
}
