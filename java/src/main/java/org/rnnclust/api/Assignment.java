package org.rnnclust.api;

/**
 * Sequences assigned to their nearest centroid.
 *
 * @param labels  the cluster of each sequence, 0..k-1, in input order
 * @param inertia the sum of squared distances of the embeddings to their centroids (k-Shape: of
 *                shape-based distances; DTW k-means: of squared DTW distances)
 */
public record Assignment(int[] labels, double inertia) {}
