/**
 * The classical baselines the learned embeddings are compared with: PCA and the random-forest
 * spectral embedding.
 */
package org.rnnclust.baseline;
