package org.rnnclust.backend.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop into chunks and runs them on a fixed pool: the calling thread is worker 0, pool
 * threads the others. A loop whose result depends on how it is split takes chunks that are a
 * function of its size alone ({@link #chunks}), never of the thread count: a GEMM's result
 * depends on the shape of the call (OpenBLAS takes other kernels for small or narrow blocks), so
 * the same chunks on 1 or 16 threads give the same bits. Loops that compute every element the
 * same way under any split take one chunk per thread ({@link #parts}). Handing work to another
 * thread costs some microseconds, so small loops make one chunk.
 */
final class CpuParallel implements AutoCloseable {
    /**
     * Most chunks a loop is split into: enough to keep 16 threads busy, few enough that the
     * per-call overhead of a chunk (packing a GEMM operand, a hand-off) stays small on one thread.
     */
    static final int MAX_CHUNKS = 16;

    @FunctionalInterface
    interface Range {
        /**
         * Handles items [from, to) on worker {@code worker} (0 = the calling thread). A worker runs
         * its chunks one after the other, so per-worker state needs no locking.
         */
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    CpuParallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "rnnclust-ops");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int threads() {
        return threads;
    }

    /**
     * Chunks for a loop whose every output element is computed the same way however the loop is
     * split (pointwise ops, column sums): one per thread, each with at least {@code minPerPart}
     * units of work. Any loop whose result depends on its split (a GEMM block's height) takes
     * {@link #chunks} instead.
     */
    int parts(long work, long minPerPart) {
        return (int) Math.max(1, Math.min(threads, work / Math.max(1, minPerPart)));
    }

    /** Chunks for {@code work} units when each chunk should get at least {@code minPerChunk}: no thread count in it. */
    static int chunks(long work, long minPerChunk) {
        return (int) Math.max(1, Math.min(MAX_CHUNKS, work / Math.max(1, minPerChunk)));
    }

    /**
     * The chunk length: [0, n) splits into at most {@code chunks} contiguous ranges of this many
     * items (the last may be shorter), a multiple of {@code align}. A function of its arguments only.
     */
    static int chunkLength(int n, int chunks, int align) {
        int a = Math.max(1, align);
        chunks = Math.max(1, Math.min(chunks, n / a));
        int per = (n + chunks - 1) / chunks;
        return Math.max(1, (per + a - 1) / a * a);
    }

    /**
     * Runs body over [0, n) in the ranges {@link #chunkLength} gives. Worker w takes chunks w,
     * w + W, w + 2W, ... of W = min(threads, chunk count) workers.
     */
    void run(int n, int chunks, int align, Range body) {
        if (n <= 0) return;
        int per = chunkLength(n, chunks, align);
        int count = (n + per - 1) / per;
        int workers = Math.min(threads, count);
        if (workers <= 1) {
            for (int c = 0; c < count; c++) body.run(0, c * per, Math.min(n, (c + 1) * per));
            return;
        }
        // per call, not a field: several threads may run loops on this pool at once
        Future<?>[] pending = new Future<?>[workers - 1];
        for (int w = 1; w < workers; w++) {
            int worker = w;
            pending[w - 1] = pool.submit(() -> runChunks(worker, workers, count, per, n, body));
        }
        Throwable failure = null;
        try {
            runChunks(0, workers, count, per, n, body);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = 0; i < pending.length; i++) {
            try {
                pending[i].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            }
            pending[i] = null;
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error err) throw err;
        if (failure != null) throw new IllegalStateException(failure);
    }

    private static void runChunks(int worker, int workers, int count, int per, int n, Range body) {
        for (int c = worker; c < count; c += workers) body.run(worker, c * per, Math.min(n, (c + 1) * per));
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
