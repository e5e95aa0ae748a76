/**
 * Benchmarks that time the engine's kernels and epochs next to the floor the hardware allows
 * (measured GEMM rate and bandwidth). The one layer above the library that reaches the networks and
 * the backend directly, since it times them.
 */
package org.rnnclust.bench;
