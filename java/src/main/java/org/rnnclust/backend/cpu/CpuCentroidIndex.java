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
 * Points held off-heap for OpenBLAS. Distances are computed tile by tile: one SGEMM gives
 * ‖c‖² − 2x·c for a tile of rows and all centroids, then a plain scan takes each row's minimum.
 * The SGEMM computes that expression directly because the points carry an extra column of ones and
 * the centroids are passed as [−2c, ‖c‖²]: the scan is then a pure argmin, and ‖x‖² is added to
 * the winner only. A tile's product buffer holds at most {@link #TILE_FLOATS} floats per thread
 * (small enough to stay in L2 while it is scanned), so memory stays bounded for any n and k.
 * The tiles are a function of n and k alone, and their inertia and cluster sums are added up in
 * tile order: the result has the same bits for any thread count. The threads take the tiles in
 * waves of one tile each; the GEMM (OpenBLAS, or the fixed-order GEMM of the deterministic mode)
 * runs single-threaded inside a tile.
 * The row minima come from {@link NativeCpu} (SIMD) when it is loaded, else from a Java loop.
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
     * @param useNative take row minima with {@link NativeCpu} (else the Java loop, its reference)
     * @param sgemm     the products x·c: OpenBLAS, or the deterministic mode's fixed-order GEMM
     */
    CpuCentroidIndex(float[] x, int n, int d, ExecutorService pool, int threads, boolean useNative, Sgemm sgemm) {
        super(x, n, d);
        this.sgemm = sgemm;
        this.threads = Math.max(1, Math.min(threads, n));
        this.pool = pool;
        this.useNative = useNative;
        this.xAugmented = new FloatPointer((long) n * (d + 1));
        int chunkRows = Math.max(1, TILE_FLOATS / (d + 1));
        float[] chunk = new float[chunkRows * (d + 1)];
        for (int from = 0; from < n; from += chunkRows) {
            int rows = Math.min(chunkRows, n - from);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, (from + r) * d, chunk, r * (d + 1), d);
                chunk[r * (d + 1) + d] = 1f;
            }
            xAugmented.position((long) from * (d + 1)).put(chunk, 0, rows * (d + 1));
        }
        xAugmented.position(0);
        this.scratch = new Scratch[this.threads];
        for (int t = 0; t < this.threads; t++) scratch[t] = new Scratch();
        this.xNorm = new float[n];
        for (int i = 0; i < n; i++) xNorm[i] = sqNorm(x, i * d, d);
    }

    @Override
    protected double assignImpl(float[] centroids, int k, int[] nearest, float[] distances, double[] sums,
                                long[] counts) {
        // The row minima pass through this array on their way to the inertia, wanted or not.
        float[] sqDistance = distances != null ? distances : new float[n];
        boolean summing = sums != null;
        double[] inertia = new double[tileCount(k)];
        if (summing) {
            Arrays.fill(sums, 0, k * d, 0.0);
            Arrays.fill(counts, 0, k, 0L);
        }
        // After each wave, its tiles' sums join the totals in tile order (worker w had tile wave + w).
        WaveEnd foldSums = !summing ? null : workers -> {
            for (int w = 0; w < workers; w++) {
                Scratch s = scratch[w];
                for (int j = 0; j < k * d; j++) sums[j] += s.tileSums[j];
                for (int j = 0; j < k; j++) counts[j] += s.tileCounts[j];
            }
        };
        try (FloatPointer c = augmentedCentres(centroids, k)) {
            forEachTile(k, foldSums, (worker, tile, from, rows, buffer, heap) -> {
                gemm(from, rows, c, k, buffer);
                // Row minima of ‖c‖² − 2x·c land in sqDistance, then become distances below.
                if (useNative) {
                    NativeCpu.argminRows(buffer, rows, k, nearest, sqDistance, from);
                } else {
                    buffer.get(heap, 0, rows * k);
                    for (int r = 0; r < rows; r++) {
                        int best = argmin(heap, r * k, k);
                        nearest[from + r] = best;
                        sqDistance[from + r] = heap[r * k + best];
                    }
                }
                double total = 0;
                for (int i = from; i < from + rows; i++) {
                    // Rounding can make ‖x‖² + ‖c‖² − 2x·c slightly negative for a point on its centre.
                    float dist = Math.max(0f, xNorm[i] + sqDistance[i]);
                    sqDistance[i] = dist;
                    total += dist;
                }
                inertia[tile] = total;
                if (summing) sumTile(from, rows, nearest, k, scratch[worker]);
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
    private void sumTile(int from, int rows, int[] nearest, int k, Scratch s) {
        int stride = d + 1;
        if (s.rows.length < rows * stride) s.rows = new float[rows * stride];
        new FloatPointer(xAugmented).position((long) from * stride).get(s.rows, 0, rows * stride);
        float[] p = s.rows;
        int span = k * d;
        if (s.tileSums.length < span) s.tileSums = new float[span];
        float[] acc = s.tileSums;
        Arrays.fill(acc, 0, span, 0f);
        if (s.tileCounts.length < k) s.tileCounts = new long[k];
        Arrays.fill(s.tileCounts, 0, k, 0L);
        for (int r = 0; r < rows; r++) {
            int c = nearest[from + r];
            int base = c * d;
            int row = r * stride;
            s.tileCounts[c]++;
            for (int j = 0; j < d; j++) acc[base + j] += p[row + j];
        }
    }

    @Override
    protected void sqDistancesImpl(float[] centres, int m, float[] out) {
        try (FloatPointer c = augmentedCentres(centres, m)) {
            forEachTile(m, null, (worker, tile, from, rows, buffer, heap) -> {
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
        void run(int worker, int tile, int from, int rows, FloatPointer buffer, float[] heap);
    }

    /** Runs on the calling thread after a wave of tiles, given how many workers had a tile. */
    @FunctionalInterface
    private interface WaveEnd {
        void after(int workers);
    }

    /** A worker's buffers, kept across calls so that an iteration allocates nothing once warm. */
    private static final class Scratch {
        FloatPointer products;
        float[] heap = new float[0];
        float[] rows = new float[0];
        float[] tileSums = new float[0];
        long[] tileCounts = new long[0];

        FloatPointer products(long size) {
            if (products == null || products.capacity() < size) {
                if (products != null) products.close();
                products = new FloatPointer(size);
            }
            return products;
        }
    }

    private final Scratch[] scratch;

    /** Rows per tile: a function of n and k only, so that the tiles are the same for any thread count. */
    private int tileRows(int k) {
        return Math.max(1, Math.min(n, TILE_FLOATS / k));
    }

    private int tileCount(int k) {
        int rows = tileRows(k);
        return (n + rows - 1) / rows;
    }

    /**
     * Runs {@code work} on every tile of {@link #tileRows} rows, in waves of up to {@code threads}
     * tiles (worker w takes tile wave + w), then {@code waveEnd} (if any) on the calling thread.
     */
    private void forEachTile(int k, WaveEnd waveEnd, TileWork work) {
        int tileRows = tileRows(k);
        int tiles = tileCount(k);
        for (Scratch s : scratch) {
            if (s.heap.length < tileRows * k) s.heap = new float[tileRows * k];
        }
        List<Future<?>> parts = new ArrayList<>(threads);
        for (int wave = 0; wave < tiles; wave += threads) {
            int workers = Math.min(threads, tiles - wave);
            parts.clear();
            for (int w = 0; w < workers; w++) {
                int worker = w;
                int tile = wave + w;
                parts.add(pool.submit(() -> {
                    Scratch s = scratch[worker];
                    int from = tile * tileRows;
                    work.run(worker, tile, from, Math.min(tileRows, n - from), s.products((long) tileRows * k), s.heap);
                }));
            }
            await(parts);
            if (waveEnd != null) waveEnd.after(workers);
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
