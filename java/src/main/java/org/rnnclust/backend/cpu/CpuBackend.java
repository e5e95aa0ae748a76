package org.rnnclust.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.backend.Neighbours;
import org.rnnclust.backend.Peaks;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.ScaledSparseMatrix;
import org.rnnclust.backend.TensorOps;

/**
 * The reference backend: OpenBLAS SGEMM plus plain Java loops, parallel over row tiles with Java
 * threads. OpenBLAS runs single-threaded inside each tile, so the two thread pools never compete
 * for the cores.
 *
 * <p>Deterministic mode: every product goes to {@link FixedOrderGemm} instead of OpenBLAS, and the
 * native library runs one instruction-set level (x86-64-v3). The rest was already machine-independent:
 * the chunks and reduction orders are fixed by the problem size (never by the thread count), the
 * cells and the argmin compute per element (no sum across vector lanes), neither the native build
 * nor the JIT contracts multiply-adds, and Java's float arithmetic is strict IEEE. So the same
 * seed gives the same bits on any x86-64 machine, for the price of slower GEMMs.
 */
public final class CpuBackend implements Backend {
    private final int threads;
    private final boolean deterministic;
    private final ExecutorService pool;
    private CpuOps ops;

    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        this(threads, false);
    }

    /** @param deterministic the deterministic mode (see above) */
    public CpuBackend(int threads, boolean deterministic) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1");
        OpenBlas.load();
        OpenBlas.setThreads(1);
        this.threads = threads;
        this.deterministic = deterministic;
        if (deterministic) NativeCpu.pinForDeterministicMode();
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
    public int concurrentFits() {
        return threads;
    }

    @Override
    public boolean deterministic() {
        return deterministic;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        if (deterministic) {
            return "CPU, " + threads + " threads, deterministic: fixed-order GEMM, native kernels " + NativeCpu.status();
        }
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        return "CPU, " + threads + " threads, OpenBLAS " + OpenBlas.VERSION + " (kernel "
                + (coretype != null ? coretype + " from OPENBLAS_CORETYPE" : "picked at run time")
                + "), native kernels " + NativeCpu.status();
    }

    @Override
    public CentroidIndex centroidIndex(float[] x, int n, int d) {
        return new CpuCentroidIndex(x, n, d, pool, threads, NativeCpu.available(), Sgemm.of(deterministic));
    }

    @Override
    public Neighbours nearestNeighbours(float[] x, int n, int d, int m) {
        return CpuNearestNeighbours.of(x, n, d, m);
    }

    /** The basis lives on the heap and grows as needed: {@code maxBasis} reserves nothing here. */
    @Override
    public KrylovSpace krylovSpace(ScaledSparseMatrix a, int maxBasis) {
        return new CpuKrylovSpace(a);
    }

    @Override
    public synchronized TensorOps tensorOps() {
        if (ops == null) ops = new CpuOps(threads, deterministic);
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
