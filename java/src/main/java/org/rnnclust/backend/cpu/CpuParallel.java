package org.rnnclust.backend.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Splits a loop across a fixed pool: the calling thread takes part 0, pool threads the others.
 * Callers decide the number of parts ({@link #parts}); handing work to another thread costs some
 * microseconds, so small loops stay on the calling thread.
 */
final class CpuParallel implements AutoCloseable {
    @FunctionalInterface
    interface Range {
        /** Handles items [from, to) as part {@code part} (0 = the calling thread). */
        void run(int part, int from, int to);
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

    /** Parts for {@code work} units when each part should get at least {@code minPerPart}. */
    int parts(long work, long minPerPart) {
        return (int) Math.max(1, Math.min(threads, work / minPerPart));
    }

    /** Runs body over [0, n) in at most {@code parts} contiguous ranges, multiples of {@code align} long. */
    void run(int n, int parts, int align, Range body) {
        parts = Math.min(parts, Math.max(1, n / Math.max(1, align)));
        if (parts <= 1) {
            body.run(0, 0, n);
            return;
        }
        int per = (n + parts - 1) / parts;
        per = (per + align - 1) / align * align;
        // per call, not a field: several threads may run loops on this pool at once
        Future<?>[] pending = new Future<?>[parts - 1];
        int submitted = 0;
        for (int p = 1; p < parts; p++) {
            int from = p * per;
            int to = Math.min(n, from + per);
            if (from >= to) break;
            int part = p;
            pending[submitted++] = pool.submit(() -> body.run(part, from, to));
        }
        Throwable failure = null;
        try {
            body.run(0, 0, Math.min(n, per));
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int i = 0; i < submitted; i++) {
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

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
