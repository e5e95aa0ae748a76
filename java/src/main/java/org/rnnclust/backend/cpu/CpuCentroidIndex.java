package org.rnnclust.backend.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.FloatPointer;
import org.rnnclust.backend.CheckedCentroidIndex;
import org.rnnclust.backend.Resources;

/**
 * Points held off-heap for OpenBLAS. Distances are computed tile by tile as ‖c‖² − 2x·c for a tile
 * of rows and all centroids: the points carry an extra column of ones and the centroids are passed
 * as [−2c, ‖c‖²], so each row's nearest centroid is a pure argmin, and ‖x‖² is added to the winner
 * only. The tiles are a function of n and k alone ({@link #TILE_FLOATS} products each), and their
 * inertia and cluster sums are added up in tile order: the result has the same bits for any thread
 * count. The threads take the tiles in waves, each worker a run of consecutive tiles, single-threaded
 * inside a tile.
 *
 * <p>With the native library, a tile's products, row minima and cluster sums are one call
 * ({@link NativeCpu#kmeansAssignTile}, native/cpu/kmeans.c) that never writes the product matrix.
 * Its products are the fixed-order GEMM's, so it gives the bits of the unfused path of the
 * deterministic mode ({@link FixedOrderGemm} then the scalar argmin), in both modes. Without the
 * library, one SGEMM per tile (OpenBLAS, or the fixed-order GEMM in the deterministic mode) writes
 * the tile's products and a Java scan takes the minima: in the default mode the products then carry
 * OpenBLAS's rounding, which can move a near tie.
 */
final class CpuCentroidIndex extends CheckedCentroidIndex {
    /** Per-thread product buffer: 64 Ki floats (256 KiB), inside the L2 cache of current x86 cores. */
    static final int TILE_FLOATS = 1 << 16;

    private final int threads;
    private final FloatPointer xAugmented;  // n × (d+1): the points, then a 1
    private final float[] xNorm;
    private final ExecutorService pool;
    private final boolean useNative;
    private final Sgemm sgemm;

    /**
     * @param useNative assign each tile with {@link NativeCpu#kmeansAssignTile} (else the unfused path, which
     *                  with the fixed-order GEMM is its reference)
     * @param sgemm     the products x·c: OpenBLAS, or the deterministic mode's fixed-order GEMM
     */
    CpuCentroidIndex(float[] x, int n, int d, ExecutorService pool, int threads, boolean useNative, Sgemm sgemm) {
        super(x, n, d);
        this.sgemm = sgemm;
        this.threads = Math.max(1, Math.min(threads, n));
        this.pool = pool;
        this.useNative = useNative;
        this.xAugmented = new FloatPointer((long) n * (d + 1));
        this.scratch = new Scratch[this.threads];
        for (int t = 0; t < this.threads; t++) scratch[t] = new Scratch();
        this.xNorm = new float[n];
        copyPoints();
    }

    @Override
    protected void loadImpl() {
        copyPoints();
    }

    /** Fills the augmented off-heap copy and the norms from {@link #x}. */
    private void copyPoints() {
        int chunkRows = Math.max(1, TILE_FLOATS / (d + 1));
        float[] chunk = new float[Math.min(n, chunkRows) * (d + 1)];
        for (int from = 0; from < n; from += chunkRows) {
            int rows = Math.min(chunkRows, n - from);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, (from + r) * d, chunk, r * (d + 1), d);
                chunk[r * (d + 1) + d] = 1f;
            }
            xAugmented.position((long) from * (d + 1)).put(chunk, 0, rows * (d + 1));
        }
        xAugmented.position(0);
        for (int i = 0; i < n; i++) xNorm[i] = sqNorm(x, i * d, d);
    }

    @Override
    protected double assignImpl(float[] centroids, int k, int[] nearest, float[] distances, double[] sums,
                                long[] counts) {
        // The row minima pass through this array on their way to the inertia, wanted or not (an
        // array kept for the calls that do not want them: a Lloyd iteration at 1M points would
        // otherwise allocate and clear 4 MB each time).
        if (distances == null && minima == null) minima = new float[n];
        float[] sqDistance = distances != null ? distances : minima;
        boolean summing = sums != null;
        double[] inertia = new double[tileCount(k)];
        if (summing) {
            Arrays.fill(sums, 0, k * d, 0.0);
            Arrays.fill(counts, 0, k, 0L);
        }
        int span = k * d;
        // A worker keeps the sums of each tile of its run (slot = tile's place in the run); after each
        // wave they join the totals in tile order.
        WaveEnd foldSums = !summing ? null : (firstTile, endTile, group) -> {
            for (int w = 0; w * group < endTile - firstTile; w++) {
                Scratch s = scratch[w];
                int tiles = Math.min(group, endTile - firstTile - w * group);
                if (useNative) {
                    NativeCpu.foldTileSums(sums, s.tileSums, tiles, span);
                } else {
                    for (int slot = 0; slot < tiles; slot++) {
                        for (int j = 0, at = slot * span; j < span; j++) sums[j] += s.tileSums[at + j];
                    }
                }
                for (int slot = 0; slot < tiles; slot++) {
                    for (int j = 0, at = slot * k; j < k; j++) counts[j] += s.tileCounts[at + j];
                }
            }
        };
        int group = summing ? runLength(k, Math.max(1, PENDING_SUM_FLOATS / span)) : runLength(k, Integer.MAX_VALUE);
        try (FloatPointer c = augmentedCentres(centroids, k)) {
            forEachTile(k, group, foldSums, (worker, slot, tile, from, rows) -> {
                Scratch s = scratch[worker];
                if (summing) s.ensureSums(group * k, d);
                float[] tileSums = summing ? s.tileSums : null;
                long[] tileCounts = summing ? s.tileCounts : null;
                // Row minima of ‖c‖² − 2x·c land in sqDistance, then become distances below.
                if (useNative) {
                    NativeCpu.kmeansAssignTile(xAugmented, from, rows, d, c, k, nearest, sqDistance, tileSums,
                            slot * span, tileCounts, slot * k);
                } else {
                    FloatPointer buffer = s.products((long) tileRows(k) * k);
                    float[] heap = s.heap(tileRows(k) * k);
                    gemm(from, rows, c, k, buffer);
                    buffer.get(heap, 0, rows * k);
                    for (int r = 0; r < rows; r++) {
                        int best = argmin(heap, r * k, k);
                        nearest[from + r] = best;
                        sqDistance[from + r] = heap[r * k + best];
                    }
                    if (summing) sumTile(from, rows, nearest, k, s, slot);
                }
                double total = 0;
                for (int i = from; i < from + rows; i++) {
                    // Rounding can make ‖x‖² + ‖c‖² − 2x·c slightly negative for a point on its centre.
                    float dist = Math.max(0f, xNorm[i] + sqDistance[i]);
                    sqDistance[i] = dist;
                    total += dist;
                }
                inertia[tile] = total;
            });
        }
        double total = 0;
        for (double p : inertia) total += p;
        return total;
    }

    /**
     * Sums a tile's points per cluster into the worker's tile sums and counts. The points are read
     * from the augmented copy the tile's GEMM has just brought into cache (not from the heap array:
     * a second pass over memory would cost as much as the GEMM at small k). The tile is summed in
     * float (a few hundred rows: small error, and the loop vectorises); the wave's end adds it to
     * the double totals.
     */
    private void sumTile(int from, int rows, int[] nearest, int k, Scratch s, int slot) {
        int stride = d + 1;
        if (s.rows.length < rows * stride) s.rows = new float[rows * stride];
        new FloatPointer(xAugmented).position((long) from * stride).get(s.rows, 0, rows * stride);
        float[] p = s.rows;
        float[] acc = s.tileSums;
        int sumsAt = slot * k * d;
        int countsAt = slot * k;
        Arrays.fill(acc, sumsAt, sumsAt + k * d, 0f);
        Arrays.fill(s.tileCounts, countsAt, countsAt + k, 0L);
        for (int r = 0; r < rows; r++) {
            int c = nearest[from + r];
            int base = sumsAt + c * d;
            int row = r * stride;
            s.tileCounts[countsAt + c]++;
            for (int j = 0; j < d; j++) acc[base + j] += p[row + j];
        }
    }

    @Override
    protected void sqDistancesImpl(float[] centres, int m, float[] out) {
        try (FloatPointer c = augmentedCentres(centres, m)) {
            forEachTile(m, runLength(m, Integer.MAX_VALUE), null, (worker, slot, tile, from, rows) -> {
                Scratch s = scratch[worker];
                FloatPointer buffer = s.products((long) tileRows(m) * m);
                float[] heap = s.heap(tileRows(m) * m);
                gemm(from, rows, c, m, buffer);
                buffer.get(heap, 0, rows * m);
                for (int r = 0; r < rows; r++) {
                    int i = from + r;
                    for (int j = 0; j < m; j++) out[i * m + j] = Math.max(0f, xNorm[i] + heap[r * m + j]);
                }
            });
        }
    }

    @Override
    public void close() {
        AutoCloseable[] resources = new AutoCloseable[scratch.length + 1];
        resources[0] = xAugmented;
        for (int t = 0; t < scratch.length; t++) resources[t + 1] = scratch[t].products;
        Resources.closeAll(resources);
    }

    /** Index of the smallest of h[base..base+k), the lowest index among equals. */
    static int argmin(float[] h, int base, int k) {
        int best = 0;
        float bestValue = h[base];
        for (int j = 1; j < k; j++) {
            float v = h[base + j];
            if (v < bestValue) {
                bestValue = v;
                best = j;
            }
        }
        return best;
    }

    /** buffer[r*k + j] = ‖c_j‖² − 2 x_{from+r}·c_j for the tile's rows. */
    private void gemm(int from, int rows, FloatPointer c, int k, FloatPointer buffer) {
        FloatPointer a = new FloatPointer(xAugmented).position((long) from * (d + 1));
        sgemm.sgemm(false, true, rows, k, d + 1, 1f, a, d + 1, c, d + 1, 0f, buffer, k);
    }

    /** k × (d+1), row j = [−2c_j, ‖c_j‖²]. */
    private FloatPointer augmentedCentres(float[] c, int k) {
        float[] aug = new float[k * (d + 1)];
        for (int j = 0; j < k; j++) {
            for (int t = 0; t < d; t++) aug[j * (d + 1) + t] = -2f * c[j * d + t];
            aug[j * (d + 1) + d] = sqNorm(c, j * d, d);
        }
        FloatPointer p = new FloatPointer(aug.length);
        p.put(aug);
        return p;
    }

    @FunctionalInterface
    private interface TileWork {
        /** Tile {@code tile} (rows [from, from + rows)) as the {@code slot}-th of worker {@code worker}'s run. */
        void run(int worker, int slot, int tile, int from, int rows);
    }

    /** Runs on the calling thread after a wave: tiles [firstTile, endTile), in runs of {@code group} per worker. */
    @FunctionalInterface
    private interface WaveEnd {
        void after(int firstTile, int endTile, int group);
    }

    /** A worker's buffers, kept across calls so that an iteration allocates nothing once warm. */
    private static final class Scratch {
        FloatPointer products;
        float[] heap = new float[0];
        float[] rows = new float[0];
        float[] tileSums = new float[0];
        long[] tileCounts = new long[0];

        /** Room for {@code tilesTimesK} clusters' sums (d floats each) and counts: a run of tiles × k. */
        void ensureSums(int tilesTimesK, int d) {
            if (tileSums.length < tilesTimesK * d) tileSums = new float[tilesTimesK * d];
            if (tileCounts.length < tilesTimesK) tileCounts = new long[tilesTimesK];
        }

        float[] heap(int size) {
            if (heap.length < size) heap = new float[size];
            return heap;
        }

        FloatPointer products(long size) {
            if (products == null || products.capacity() < size) {
                if (products != null) products.close();
                products = new FloatPointer(size);
            }
            return products;
        }
    }

    private final Scratch[] scratch;

    /** Row minima of the calls that want no distances; made at the first such call. */
    private float[] minima;

    /**
     * Floats of pending tile sums a worker may hold between two folds (1 MiB): they are read back by
     * the fold at the wave's end, from the L2 cache if they fit in it.
     */
    static final int PENDING_SUM_FLOATS = 1 << 18;

    /** Waves per call at least, so that the workers' runs stay short enough to balance. */
    private static final int MIN_WAVES = 4;

    /** Rows per tile: a function of n and k only, so that the tiles are the same for any thread count. */
    private int tileRows(int k) {
        return Math.max(1, Math.min(n, TILE_FLOATS / k));
    }

    private int tileCount(int k) {
        int rows = tileRows(k);
        return (n + rows - 1) / rows;
    }

    /**
     * Tiles per worker per wave: enough that a call has a few waves rather than one per tile (each
     * wave is a hand-off to the pool and a wait, tens of microseconds, as long as a small tile's
     * work), at most {@code cap}.
     */
    private int runLength(int k, int cap) {
        int perWorker = (tileCount(k) + threads * MIN_WAVES - 1) / (threads * MIN_WAVES);
        return Math.max(1, Math.min(cap, perWorker));
    }

    /**
     * Runs {@code work} on every tile of {@link #tileRows} rows, in waves: worker w takes the run of
     * {@code group} consecutive tiles starting at wave + w·group, in order; then {@code afterWave} (if
     * any) runs on the calling thread. Which worker takes a tile changes no result: the tiles and the
     * order of the folds are fixed by n and k.
     */
    private void forEachTile(int k, int group, WaveEnd afterWave, TileWork work) {
        int tileRows = tileRows(k);
        int tiles = tileCount(k);
        List<Future<?>> parts = new ArrayList<>(threads);
        for (int wave = 0; wave < tiles; wave += threads * group) {
            int waveStart = wave;
            int stop = Math.min(tiles, wave + threads * group);
            parts.clear();
            for (int w = 0; w * group < stop - waveStart; w++) {
                int worker = w;
                int first = waveStart + w * group;
                int end = Math.min(stop, first + group);
                parts.add(pool.submit(() -> {
                    for (int tile = first; tile < end; tile++) {
                        int from = tile * tileRows;
                        work.run(worker, tile - first, tile, from, Math.min(tileRows, n - from));
                    }
                }));
            }
            await(parts);
            if (afterWave != null) afterWave.after(waveStart, stop, group);
        }
    }

    private static void await(List<Future<?>> parts) {
        try {
            for (Future<?> f : parts) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        }
    }

    private static float sqNorm(float[] v, int off, int len) {
        double s = 0;
        for (int j = 0; j < len; j++) s += (double) v[off + j] * v[off + j];
        return (float) s;
    }
}
