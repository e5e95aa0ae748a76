/**
 * The CUDA backend through the JavaCPP presets: context and streams, device memory, kernel
 * modules (fatbin or NVRTC), cuBLAS, CUDA graphs of the time loops. The only package that touches
 * CUDA types.
 */
package org.rnnclust.backend.cuda;
