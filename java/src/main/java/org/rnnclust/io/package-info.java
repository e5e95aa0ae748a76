/**
 * File formats of the engine: the versioned, checksummed model file container
 * ({@link org.rnnclust.io.ModelFile}), NPY/NPZ output, result files, and atomic writes.
 */
package org.rnnclust.io;
