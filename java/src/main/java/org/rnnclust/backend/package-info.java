/**
 * The device boundary: {@link org.rnnclust.backend.Backend} with its tensor operations and
 * centroid index, argument checks written once for every backend, and the factory
 * ({@link org.rnnclust.backend.Backends}) that opens the CPU or a GPU. Everything above is written
 * once against these interfaces.
 */
package org.rnnclust.backend;
