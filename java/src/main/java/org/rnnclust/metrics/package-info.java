/**
 * Scores of a clustering against labels: accuracy under the best matching (Hungarian), normalised
 * mutual information, adjusted Rand index ({@link org.rnnclust.metrics.ClusteringScores}), the
 * silhouette of a clustering without labels, and the agreement of several clusterings
 * ({@link org.rnnclust.metrics.PartitionAgreement}). It uses nothing else of the engine.
 */
package org.rnnclust.metrics;
