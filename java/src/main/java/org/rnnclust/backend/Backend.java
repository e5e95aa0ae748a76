package org.rnnclust.backend;

/**
 * One compute device. Everything above this interface (the k-means loop, later the training loop)
 * is written once; a backend answers the device-specific questions. Implementations own native
 * resources, hence {@link AutoCloseable}.
 */
public interface Backend extends AutoCloseable {
    /** "cpu", "cuda:0", ... */
    String name();

    /** One line describing the device and its libraries, for logs and {@code rnnclust info}. */
    String description();

    /**
     * Holds the n×d row-major points {@code x} on the device for repeated nearest-centroid queries.
     * The array is not copied where the device can read it in place; do not modify it while the
     * index is open.
     */
    CentroidIndex centroidIndex(float[] x, int n, int d);

    /**
     * For each of the n×d row-major points {@code x}, its {@code m} nearest other points by squared
     * Euclidean distance, nearest first, ties to the lower index (a point is never its own
     * neighbour; slots past the n − 1 others hold −1). Exact, by brute force: O(n²d), for the few
     * tens of thousands of low-dimensional embeddings a neighbour graph is built from.
     */
    Neighbours nearestNeighbours(float[] x, int n, int d, int m);

    /**
     * Holds the sparse symmetric matrix {@code a} on the device, with room for a block Krylov
     * eigensolver's basis of up to {@code maxBasis} vectors and its products (see {@link KrylovSpace}).
     */
    KrylovSpace krylovSpace(ScaledSparseMatrix a, int maxBasis);

    /**
     * The tensor operations of this device (training and inference of the networks). Owned by the
     * backend: created on first use, closed with it.
     */
    TensorOps tensorOps();

    /**
     * Whether this device runs in the deterministic mode: the same bits for the same inputs on any
     * machine of its kind (the CPU backend's fixed-order GEMM; no GPU backend offers it).
     */
    default boolean deterministic() {
        return false;
    }

    /**
     * How many independent fits (several pretrained networks of one fit, say) run well side by side
     * on this device, each on its own thread. The CPU backend's answer is its thread count: the
     * small products of a training step run on one thread, so a second fit uses a core the first
     * leaves idle. A GPU runs its work on one stream, so 1.
     */
    default int concurrentFits() {
        return 1;
    }

    /** Measures this device's GEMM rate and memory bandwidth (takes a second or so). */
    Peaks measurePeaks();

    /**
     * Milliseconds {@code work} takes on this device: wall clock on the CPU, CUDA events recorded on
     * the device's stream around it on a GPU (so the benchmarks time the device, not the JVM).
     */
    default double timeMs(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    @Override
    void close();
}
