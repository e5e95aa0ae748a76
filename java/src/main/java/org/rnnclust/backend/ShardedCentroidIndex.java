package org.rnnclust.backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A centroid index over several devices (the FAISS IndexShards pattern): the n points are cut into
 * G contiguous slices of ⌊n/G⌋ or ⌈n/G⌉ rows, in order, each held by its own sub-index made by its
 * own backend, one per device.
 * Every call on a shard runs on that shard's own worker thread, its construction and close included:
 * a GPU's context is bound per thread, and one thread per shard also lets the G devices work at the
 * same time. The caller's thread waits for all of them.
 *
 * <p>assign runs the shards concurrently; each writes its labels and distances into its slice of the
 * caller's arrays; the shards' inertias, cluster sums and counts are then added up on the calling
 * thread in shard order, shard 0 first, whichever device finishes first. That fixed order makes the
 * result a function of the data and G alone (on devices that are deterministic themselves, as the
 * CPU is), not of which shard happens to be fastest. sqDistances writes each shard's rows of the
 * n×m matrix; load refills every shard with its slice of the new points; point is read from the
 * points array, which is what every backend answers with.
 *
 * <p>Against one index over all the points (G = 1), only the order of summation differs: each point's
 * label and distance is computed from that point and the centres alone, so labels, counts, distances,
 * sqDistances and point are the same; the cluster sums and the inertia are the same sums taken in
 * another grouping (a backend sums per tile of rows, and the tiles start afresh in every shard), so
 * they agree up to rounding. A one-shard index gives the plain index's bits. (Per point holds where
 * each point's products are computed alone: the native CPU assignment, the deterministic mode's
 * fixed-order GEMM, the fused GPU assignment. A BLAS GEMM (OpenBLAS, cuBLAS: sqDistances outside the
 * deterministic mode, assign without those kernels) called on fewer rows may pick another kernel
 * and round a product otherwise: the distances then agree within FP32 rounding, which can move a
 * near tie.)
 *
 * <p>The first shard reads the caller's array in place; the others hold copies of their slices
 * (backends take points from offset 0), which costs (G − 1)/G of the points in host memory.
 * An error in a shard is rethrown as it was thrown there (a device's out-of-memory exception stays
 * one), after every shard has finished the call; the later shards' errors are attached as suppressed.
 */
public final class ShardedCentroidIndex extends CheckedCentroidIndex {
    /** Makes one shard's index over {@code n} rows of {@code x}: {@code Backend::centroidIndex}. */
    @FunctionalInterface
    public interface Maker {
        CentroidIndex make(float[] x, int n, int d);
    }

    private final Shard[] shards;
    private boolean closed;

    /**
     * One shard per backend, shard s on {@code backends.get(s)}.
     *
     * @throws IllegalArgumentException when there are fewer points than backends
     */
    public static ShardedCentroidIndex over(List<? extends Backend> backends, float[] x, int n, int d) {
        List<Maker> makers = new ArrayList<>(backends.size());
        for (Backend b : backends) makers.add(b::centroidIndex);
        return new ShardedCentroidIndex(x, n, d, makers);
    }

    /**
     * Makes shard s with {@code makers.get(s)} on the shard's thread, in shard order (so that shards
     * that share a device see each other's memory when they size themselves). When one fails, those
     * already made are closed and its error is thrown.
     *
     * @throws IllegalArgumentException when there are no makers or fewer points than makers
     */
    public ShardedCentroidIndex(float[] x, int n, int d, List<? extends Maker> makers) {
        super(x, n, d);
        int g = makers.size();
        if (g < 1) throw new IllegalArgumentException("a sharded index needs at least one shard");
        if (g > n) {
            throw new IllegalArgumentException(n + " point" + (n == 1 ? "" : "s") + " cannot be split into " + g
                    + " shards: each shard needs at least one point");
        }
        shards = new Shard[g];
        for (int s = 0; s < g; s++) shards[s] = new Shard(s, shardStart(s, g, n), shardStart(s + 1, g, n));
        for (Shard shard : shards) {
            Maker maker = makers.get(shard.number);
            try {
                await(List.of(shard.thread.submit(() -> {
                    shard.points = slice(shard, null);
                    shard.index = maker.make(shard.points, shard.rows, d);
                    if (shard.index == null) throw new IllegalStateException("shard " + shard.number + ": no index");
                    shard.nearest = new int[shard.rows];
                    return null;
                })));
            } catch (RuntimeException | Error e) {
                try {
                    closeShards();
                } catch (RuntimeException | Error more) {
                    e.addSuppressed(more);
                }
                throw e;
            }
        }
    }

    /** First row of shard s of g over n points: the slices differ in size by one row at most. */
    static int shardStart(int s, int g, int n) {
        return (int) ((long) s * n / g);
    }

    /** How many shards (G). */
    public int shards() {
        return shards.length;
    }

    /** The rows of {@link #x} shard s holds, in {@code out}; the first shard's is x itself. */
    private float[] slice(Shard shard, float[] out) {
        if (shard.from == 0) return x;
        int length = shard.rows * d;
        float[] slice = out != null ? out : new float[length];
        System.arraycopy(x, shard.from * d, slice, 0, length);
        return slice;
    }

    @Override
    protected double assignImpl(float[] centroids, int k, int[] nearest, float[] sqDistance, double[] sums,
                                long[] counts) {
        boolean summing = sums != null;
        double[] inertia = onEveryShard(shard -> {
            float[] dist = null;
            if (sqDistance != null) {
                if (shard.dist == null) shard.dist = new float[shard.rows];
                dist = shard.dist;
            }
            if (summing) shard.ensureSums(k, d);
            double part = shard.index.assign(centroids, k, shard.nearest, dist, summing ? shard.sums : null,
                    summing ? shard.counts : null);
            System.arraycopy(shard.nearest, 0, nearest, shard.from, shard.rows);
            if (dist != null) System.arraycopy(dist, 0, sqDistance, shard.from, shard.rows);
            return part;
        });
        // Shard order, starting from shard 0's values (not from zero: one shard then gives its own bits).
        if (summing) {
            System.arraycopy(shards[0].sums, 0, sums, 0, k * d);
            System.arraycopy(shards[0].counts, 0, counts, 0, k);
            for (int s = 1; s < shards.length; s++) {
                double[] part = shards[s].sums;
                long[] partCounts = shards[s].counts;
                for (int j = 0; j < k * d; j++) sums[j] += part[j];
                for (int j = 0; j < k; j++) counts[j] += partCounts[j];
            }
        }
        double total = inertia[0];
        for (int s = 1; s < inertia.length; s++) total += inertia[s];
        return total;
    }

    @Override
    protected void sqDistancesImpl(float[] centres, int m, float[] out) {
        onEveryShard(shard -> {
            int length = shard.rows * m;
            if (shard.out.length < length) shard.out = new float[length];
            shard.index.sqDistances(centres, m, shard.out);
            System.arraycopy(shard.out, 0, out, shard.from * m, length);
            return 0;
        });
    }

    @Override
    protected void loadImpl() {
        onEveryShard(shard -> {
            // The copy kept for a later shard is refilled in place: nothing reads it between calls.
            shard.points = slice(shard, shard.from == 0 ? null : shard.points);
            shard.index.load(shard.points);
            return 0;
        });
    }

    /** Closes every shard, each on its own thread, even when one fails; then ends the threads. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeShards();
    }

    private void closeShards() {
        List<Future<Object>> parts = new ArrayList<>(shards.length);
        for (Shard shard : shards) {
            parts.add(shard.thread.submit(() -> {
                CentroidIndex index = shard.index;
                shard.index = null;
                if (index != null) index.close();
                return null;
            }));
        }
        try {
            await(parts);
        } finally {
            for (Shard shard : shards) shard.thread.shutdown();
        }
    }

    @FunctionalInterface
    private interface ShardCall {
        double run(Shard shard);
    }

    /** Runs {@code call} on every shard at once, each on its thread; returns their answers in shard order. */
    private double[] onEveryShard(ShardCall call) {
        if (closed) throw new IllegalStateException("the sharded index is closed");
        List<Future<Double>> parts = new ArrayList<>(shards.length);
        for (Shard shard : shards) parts.add(shard.thread.submit((Callable<Double>) () -> call.run(shard)));
        List<Double> answers = await(parts);
        double[] out = new double[answers.size()];
        for (int s = 0; s < out.length; s++) out[s] = answers.get(s);
        return out;
    }

    /**
     * Waits for every part, uninterruptibly: a shard still writing into the caller's arrays must not
     * be left behind (an interrupt is kept for the caller to see). Then throws the first part's error,
     * in shard order, as it was thrown, with the others suppressed.
     */
    private static <T> List<T> await(List<Future<T>> parts) {
        List<T> answers = new ArrayList<>(parts.size());
        Throwable first = null;
        boolean interrupted = false;
        for (Future<T> part : parts) {
            while (true) {
                try {
                    answers.add(part.get());
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (first == null) first = cause;
                    else if (first != cause) first.addSuppressed(cause);
                    answers.add(null);
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (first instanceof RuntimeException e) throw e;
        if (first instanceof Error e) throw e;
        if (first != null) throw new IllegalStateException(first);
        return answers;
    }

    /** One slice of the rows, its device's index, its thread, and the buffers its answers come back in. */
    private static final class Shard {
        final int number;
        final int from;
        final int rows;
        final ExecutorService thread;
        float[] points;
        CentroidIndex index;
        int[] nearest;
        float[] dist;
        double[] sums = new double[0];
        long[] counts = new long[0];
        float[] out = new float[0];

        Shard(int number, int from, int to) {
            this.number = number;
            this.from = from;
            this.rows = to - from;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "rnnclust-shard-" + number);
                t.setDaemon(true);
                return t;
            });
        }

        void ensureSums(int k, int d) {
            if (sums.length < k * d) sums = new double[k * d];
            if (counts.length < k) counts = new long[k];
        }
    }
}
