/**
 * Scores of a clustering against labels: accuracy under the best matching (Hungarian), normalised
 * mutual information, adjusted Rand index ({@link org.rnnclust.metrics.ClusteringScores}), and the
 * silhouette of a clustering without labels. It uses nothing else of the engine.
 */
package org.rnnclust.metrics;
