package org.rnnclust.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.Peaks;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.TensorOps;

/**
 * The reference backend: OpenBLAS SGEMM plus plain Java loops, parallel over row tiles with Java
 * threads. OpenBLAS runs single-threaded inside each tile, so the two thread pools never compete
 * for the cores.
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final ExecutorService pool;
    private CpuOps ops;

    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        OpenBlas.load();
        OpenBlas.setThreads(1);
        this.threads = threads;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "rnnclust-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        return "CPU, " + threads + " threads, OpenBLAS " + OpenBlas.VERSION + " (kernel "
                + (coretype != null ? coretype + " from OPENBLAS_CORETYPE" : "picked at run time")
                + "), native kernels " + NativeCpu.status();
    }

    @Override
    public CentroidIndex centroidIndex(float[] x, int n, int d) {
        return new CpuCentroidIndex(x, n, d, pool, threads, NativeCpu.available());
    }

    @Override
    public synchronized TensorOps tensorOps() {
        if (ops == null) ops = new CpuOps(threads);
        return ops;
    }

    @Override
    public Peaks measurePeaks() {
        return CpuPeaks.measure(pool, threads);
    }

    @Override
    public void close() {
        Resources.closeAll(ops, pool::shutdownNow);
    }
}
