/**
 * Clustering written once above the backend: k-means (k-means++, Lloyd, mini-batch) over a
 * backend's {@code CentroidIndex}, exact nearest neighbours, and spectral clustering of their graph.
 */
package org.rnnclust.cluster;
