package org.rnnclust.backend.cpu;

/**
 * A thread's heap arrays for staging rows of off-heap buffers (the JIT vectorises loops over heap
 * arrays only), grown on demand and then reused: no allocation per op.
 */
final class StagingArrays {
    private final float[][] arrays = new float[2][];

    /** Array {@code slot} (0 or 1), at least n long. */
    float[] get(int slot, int n) {
        float[] a = arrays[slot];
        if (a == null || a.length < n) arrays[slot] = a = new float[n];
        return a;
    }
}
