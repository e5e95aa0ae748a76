/**
 * The CPU backend: OpenBLAS GEMMs, Java loops and the small native library; the reference in the
 * parity tests.
 */
package org.rnnclust.backend.cpu;
