package org.rnnclust.backend.cuda;

import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.MemorySize;

/**
 * How the points of a {@link CudaCentroidIndex} are laid out against a device-memory budget, and how a
 * pass over them is cut up. Pure arithmetic, so it is tested without a GPU.
 *
 * <ul>
 *   <li>Points that fit in three quarters of the budget stay on the device ({@code resident}); a pass
 *       still runs in chunks, so that copying one chunk's labels back overlaps with the next chunk's
 *       kernels.</li>
 *   <li>Otherwise the points stream from host memory: two device slots of {@code chunkRows} rows
 *       (one being computed on while the other is filled) take half the budget.</li>
 *   <li>Inside a chunk, tiles of {@link #tileRows(int)} rows bound the tile × k product buffer.</li>
 * </ul>
 *
 * @param n          points
 * @param d          dimensions
 * @param budget     device bytes this index may use
 * @param resident   whether the points live on the device
 * @param chunkRows  rows per chunk (the last may be shorter)
 * @param tileBytes  target size of a tile's product buffer
 */
public record ChunkPlan(long n, int d, long budget, boolean resident, long chunkRows, long tileBytes) {
    /** 32 MiB of products per tile: written by the GEMM and read by the argmin while still in L2 on an H100. */
    public static final long DEFAULT_TILE_BYTES = Long.getLong("rnnclust.cuda.tileBytes", 32L << 20);
    /** Resident passes run in about this many chunks, so the copy back overlaps with compute. */
    static final int RESIDENT_CHUNKS = 8;
    static final long MIN_RESIDENT_CHUNK = 1 << 16;

    /** Bytes of one point on the device: its d floats and its squared norm. */
    static long rowBytes(int d) {
        return 4L * d + 4;
    }

    /** Per-row device outputs of a chunk: nearest index and distance. */
    static final long OUTPUT_ROW_BYTES = 8;

    public static ChunkPlan of(long n, int d, long budget, long tileBytes) {
        if (n < 1 || d < 1) throw new IllegalArgumentException("n and d must be >= 1");
        if (budget <= 0) throw new IllegalArgumentException("budget must be > 0");
        long points = n * rowBytes(d);
        if (points <= budget / 4 * 3) {
            long chunk = Math.min(n, Math.max(MIN_RESIDENT_CHUNK, ceilDiv(n, RESIDENT_CHUNKS)));
            return new ChunkPlan(n, d, budget, true, chunk, tileBytes);
        }
        long chunk = budget / 2 / (2 * rowBytes(d));
        if (chunk < 1) {
            throw new InputException("a GPU memory budget of " + MemorySize.format(budget)
                    + " cannot hold even one point of dimension " + d + ": raise the GPU memory limit",
                    Setting.MAX_DEVICE_MEMORY);
        }
        return new ChunkPlan(n, d, budget, false, Math.min(n, chunk), tileBytes);
    }

    public long chunks() {
        return ceilDiv(n, chunkRows);
    }

    public long chunkStart(long c) {
        return c * chunkRows;
    }

    public long chunkLength(long c) {
        return Math.min(chunkRows, n - c * chunkRows);
    }

    /** Device bytes the points take: all of them, or two chunk slots. */
    public long pointBytes() {
        return resident ? n * rowBytes(d) : 2 * chunkRows * rowBytes(d);
    }

    /** Device bytes of the centres and the per-cluster accumulators for k centres. */
    static long centreBytes(int k, int d) {
        return 4L * k * d + 4L * k + 8L * k * d + 8L * k + 4096;  // + 4 KiB of partial sums
    }

    /**
     * Rows per tile for k centres: the product buffer stays under the tile target and, with the
     * points, the chunk outputs and the centres, inside the budget.
     *
     * @throws InputException when not even one row fits
     */
    public long tileRows(int k) {
        long left = budget - pointBytes() - chunkRows * OUTPUT_ROW_BYTES - centreBytes(k, d);
        long rows = Math.min(chunkRows, Math.min(Math.max(1, tileBytes / (4L * k)), left / (4L * k)));
        if (rows < 1) {
            throw new InputException("a GPU memory budget of " + MemorySize.format(budget) + " is too small for "
                    + k + " centres of dimension " + d + " beside the points: raise the GPU memory limit (needs about "
                    + MemorySize.format(budget - left + 4L * k * Math.min(chunkRows, 1024)) + ")",
                    Setting.MAX_DEVICE_MEMORY);
        }
        return rows;
    }

    /** Everything the index holds on the device for k centres (at most the budget). */
    public long deviceBytes(int k) {
        return pointBytes() + chunkRows * OUTPUT_ROW_BYTES + centreBytes(k, d) + 4L * k * tileRows(k);
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
