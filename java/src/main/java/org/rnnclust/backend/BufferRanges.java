package org.rnnclust.backend;

/**
 * The range checks every {@link TensorOps} makes before it touches memory, written once for the
 * CPU and CUDA implementations: a wrong offset or size must fail here, in Java, not corrupt
 * native or device memory. (Each implementation checks first that the buffer is its own and open.)
 */
public final class BufferRanges {
    private BufferRanges() {}

    /** Elements [off, off + n) must lie inside {@code buf}. */
    public static void requireInside(DeviceBuffer buf, long off, long n) {
        if (off < 0 || n < 0 || off + n > buf.size()) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + (off + n) + ") outside " + buf);
        }
    }

    /**
     * The elements a rows×cols row-major matrix with leading dimension {@code ld} spans from its
     * first element (0 when it is empty); {@code what} names it in the error.
     */
    public static long matrixExtent(int rows, int cols, int ld, String what) {
        if (ld < cols) throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }
}
