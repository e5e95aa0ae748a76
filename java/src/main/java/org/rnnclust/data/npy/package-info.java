/**
 * NumPy's {@code .npy} format, read by one parser ({@link org.rnnclust.data.npy.NpyInput}) for
 * both the datasets and the model weights, and the header rnnclust writes
 * ({@link org.rnnclust.data.npy.NpyFormat}).
 */
package org.rnnclust.data.npy;
