package org.rnnclust.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.rnnclust.backend.BufferMemory;
import org.rnnclust.backend.CheckedTensorOps;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.TensorOps;

/**
 * {@link TensorOps} on the CPU: the reference implementation. One pool of {@code threads} Java
 * threads does all the parallel work: GEMMs are split into row (or column) blocks, each a
 * single-threaded OpenBLAS call, and the pointwise ops into row ranges. OpenBLAS itself runs with
 * one thread (as for {@link CpuBackend}'s k-means): its own pool spins between calls and fights
 * the Java threads for the cores during the pointwise op of every time step (measured on 2 cores:
 * 0.7 s per LSTM training step at B,T,I,H = 256,28,28,128 with both pools, 31 ms with this one).
 * Pointwise loops stage rows into per-thread heap arrays and run plain float loops that the JIT
 * vectorises; the cell steps run in the native library, or in {@link CpuCells} without it. Safe
 * to share between threads: calls from several threads at once share the pool and give the
 * results each would get alone (buffers, and the networks that own them, are not shared).
 *
 * <p>GEMM blocks and the row ranges are fixed by the op's size, never by the thread count
 * ({@link CpuParallel#chunks}): a GEMM block of other height can round differently, so this keeps
 * every result bit the same for any number of threads. The pointwise loops compute each element
 * the same way under any split, so they take one range per thread.
 *
 * <p>The time loop of a recurrent layer is the exception to op-by-op splitting: its ops are small
 * (a B×4H×H GEMM and a B×H cell update per step) and a hand-off per op costs about as much as it
 * saves. {@link #forEachRowRange} instead gives each thread its own batch rows for the whole loop,
 * on a single-threaded lane of this object, so the threads meet once per layer.
 *
 * <p>The arguments of every op arrive checked ({@link CheckedTensorOps}): the methods here only compute.
 *
 * <p>GEMM speed depends on the OpenBLAS kernel: on an AVX-512 AMD Zen 5, OpenBLAS 0.3.31 picks its
 * Cooper Lake (AVX-512) kernel by itself, and {@code OPENBLAS_CORETYPE=SKYLAKEX} measured the same
 * training step there (bench/RESULTS.md).
 */
public final class CpuOps extends CheckedTensorOps<CpuBuffer> {
    /** GEMM flops below which a call stays on one thread (~20 µs of work). */
    static final long MIN_GEMM_FLOPS = 2L << 20;
    /** Pointwise element updates below which a loop stays on one thread. */
    static final long MIN_POINTWISE = 1L << 15;
    /** Work (≈ flops) per part below which {@link #forEachRowRange} stays on one thread. */
    static final long MIN_ROW_RANGE_WORK = 4L << 20;
    /**
     * Row ranges are multiples of this long, and GEMM blocks multiples of {@link #GEMM_BLOCK_ALIGN}
     * rows (or columns) of C. The chunks are the same on one thread, which runs them one after the
     * other, and each repacks an operand: W_hhᵀ at every time step of a range, the K-long operand
     * of a block (the weight gradients' K is T·B). Small chunks cost one thread dearly: an LSTM
     * training step at B,T,I,H = 256,28,28,128 took 52 ms in one piece, 66 ms with ranges and
     * blocks of 32, 60 ms with these sizes (2 cores, one thread).
     */
    private static final int ROW_RANGE_ALIGN = 64;
    private static final int GEMM_BLOCK_ALIGN = 128;

    private final int threads;
    private final long minGemmFlops;
    private final long minPointwise;
    private final long minRowRangeWork;
    /**
     * Cell steps (native/cpu/cells.c) and column sums (sums.c) in native code when the native
     * library loaded, else in {@link CpuCells} and Java.
     */
    private final boolean nativeCells;
    /**
     * Per-step GEMMs on operands laid out in panels (native/cpu/gemm.c): with the native library
     * at its AVX-512 level when this object was made. The level is fixed then so that a layout
     * prepared and the GEMM reading it always agree.
     */
    private final boolean stepPanels;
    /** OpenBLAS, or the fixed-order GEMM of the deterministic mode. */
    private final Sgemm sgemm;
    private final CpuParallel parallel;
    /**
     * Staging arrays of the thread running a loop part. Per thread rather than per part, so that
     * several callers may use one CpuOps at once: their parts run on the same pool and the callers'
     * own threads, and two parts numbered alike must not share arrays. Lanes share it too.
     */
    private final ThreadLocal<StagingArrays> scratch;
    /** The instance that allocated the buffers: this one, or the parent of a lane. */
    private final CpuOps root;
    /**
     * Single-threaded views of this object for {@link #forEachRowRange}, one per thread (null
     * with one thread, and in a lane): a lane runs every op inline on the thread that calls it.
     */
    private final CpuOps[] lanes;

    public CpuOps(int threads) {
        this(threads, false);
    }

    /** @param deterministic GEMMs in {@link FixedOrderGemm} instead of OpenBLAS (see {@link CpuBackend}) */
    public CpuOps(int threads, boolean deterministic) {
        this(threads, MIN_GEMM_FLOPS, MIN_POINTWISE, MIN_ROW_RANGE_WORK, NativeCpu.available(), Sgemm.of(deterministic));
    }

    /** With the cell steps in Java ({@link CpuCells}) even where the native library loaded: parity tests. */
    static CpuOps javaCells(int threads) {
        return new CpuOps(threads, MIN_GEMM_FLOPS, MIN_POINTWISE, MIN_ROW_RANGE_WORK, false, Sgemm.of(false));
    }

    /**
     * For parity tests in other packages: splits every op and every {@link #forEachRowRange} that
     * can be split, so that the multi-threaded paths run at test sizes.
     */
    public static CpuOps splittingEverything(int threads) {
        return new CpuOps(threads, 1, 1, 1, NativeCpu.available(), Sgemm.of(false));
    }

    /**
     * For tests of code above the backend: {@link #concurrently} runs its tasks at the same time,
     * each on a thread of its own (started in reverse index order), and {@link #concurrentLanes} says
     * so, as a GPU with a stream per task would. Tasks that share scratch buffers, or that rely on
     * running in index order, then give other bits than the default's in-order run.
     */
    public static CpuOps runningTasksConcurrently(int threads) {
        CpuOps ops = new CpuOps(threads);
        ops.tasksOnThreads = true;
        return ops;
    }

    /**
     * For tests of code above the backend: offers room for any training set to stay "on the
     * device" ({@link #residentDataBytes}), so that the gathered batches of a GPU's resident path
     * run here against the uploaded ones. The default offers none: on the CPU a second copy of the
     * set gains nothing.
     */
    public static CpuOps keepingDataResident(int threads) {
        CpuOps ops = new CpuOps(threads);
        ops.residentData = true;
        return ops;
    }

    private boolean residentData;

    @Override
    public long residentDataBytes() {
        return residentData ? Long.MAX_VALUE : 0;
    }

    /**
     * For tests of code above the backend: a recurrent layer fed one block at every step projects
     * it once ({@link #projectsRepeatedInputOnce}), as a GPU may choose to, so that path runs here
     * against the reference's T copies; every op and row range split as in
     * {@link #splittingEverything}, so that the steps' reads of the projection are tried at row
     * offsets. The default keeps the copies: their sums are the reference.
     */
    public static CpuOps projectingRepeatedInputOnce(int threads) {
        CpuOps ops = splittingEverything(threads);
        ops.repeatedOnce = true;
        return ops;
    }

    private boolean repeatedOnce;

    @Override
    public boolean projectsRepeatedInputOnce() {
        return repeatedOnce;
    }

    /** With other split thresholds: tests use 1s to split every op across all threads. */
    CpuOps(int threads, long minGemmFlops, long minPointwise, long minRowRangeWork, boolean nativeCells, Sgemm sgemm) {
        super(CpuBuffer.class, null);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.minGemmFlops = minGemmFlops;
        this.minPointwise = minPointwise;
        this.minRowRangeWork = minRowRangeWork;
        this.nativeCells = nativeCells;
        this.stepPanels = nativeCells && NativeCpu.STEP_PANELS_ISA.equals(NativeCpu.isaInUse());
        this.sgemm = sgemm;
        OpenBlas.load();
        OpenBlas.setThreads(1);
        this.threads = threads;
        this.parallel = new CpuParallel(threads);
        this.scratch = ThreadLocal.withInitial(StagingArrays::new);
        this.root = this;
        if (threads > 1) {
            this.lanes = new CpuOps[threads];
            for (int i = 0; i < threads; i++) lanes[i] = new CpuOps(this);
        } else {
            this.lanes = null;
        }
    }

    /** A lane of {@code root}: runs every op inline on its caller, on the root's buffers. */
    private CpuOps(CpuOps root) {
        super(CpuBuffer.class, root);
        this.minGemmFlops = root.minGemmFlops;
        this.minPointwise = root.minPointwise;
        this.minRowRangeWork = root.minRowRangeWork;
        this.nativeCells = root.nativeCells;
        this.stepPanels = root.stepPanels;
        this.sgemm = root.sgemm;
        this.threads = 1;
        this.parallel = new CpuParallel(1);
        this.scratch = root.scratch;
        this.root = root;
        this.lanes = null;
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    // ---- memory ----

    @Override
    public BufferMemory memory() {
        return NativeMemory.now();
    }

    @Override
    protected CpuBuffer allocateImpl(long size) {
        return new CpuBuffer(root, size);
    }

    @Override
    protected void uploadImpl(float[] src, int srcOff, CpuBuffer dst, long dstOff, int n) {
        dst.data.put((int) dstOff, src, srcOff, n);
    }

    @Override
    protected void downloadImpl(CpuBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        src.data.get((int) srcOff, dst, dstOff, n);
    }

    @Override
    protected void zeroImpl(CpuBuffer buf, long off, long n) {
        if (n > 0) Pointer.memset(buf.bytesAt(off), 0, n * Float.BYTES);
    }

    @Override
    protected void copyImpl(CpuBuffer src, long srcOff, CpuBuffer dst, long dstOff, long n) {
        if (n > 0) Pointer.memcpy(dst.bytesAt(dstOff), src.bytesAt(srcOff), n * Float.BYTES);
    }

    @Override
    protected void transpose01Impl(int d0, int d1, int inner, CpuBuffer src, long srcOff, CpuBuffer dst, long dstOff) {
        long n = (long) d0 * d1 * inner;
        FloatBuffer s = src.data;
        FloatBuffer d = dst.data;
        int so = (int) srcOff;
        int dof = (int) dstOff;
        if (nativeCells) {
            long from0 = src.address(srcOff), to0 = dst.address(dstOff);
            parallel.run(d0, parallel.parts(n, minPointwise), 1,
                    (part, from, to) -> NativeCpu.transpose01(d0, d1, inner, from, to, from0, to0));
            return;
        }
        if (inner == 1) {
            // A plain matrix transpose: element by element, a bulk call per float costs more.
            parallel.run(d0, parallel.parts(n, minPointwise), 1, (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int j = 0; j < d1; j++) d.put(dof + j * d0 + i, s.get(so + i * d1 + j));
                }
            });
            return;
        }
        parallel.run(d0, parallel.parts(n, minPointwise), 1, (part, from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < d1; j++) {
                    // Bulk copy of one inner row (a memcpy).
                    d.put(dof + (j * d0 + i) * inner, s, so + (i * d1 + j) * inner, inner);
                }
            }
        });
    }

    @Override
    protected void gatherSequencesImpl(CpuBuffer src, int maxSteps, int channels, int[] index, int from, int count,
                                       int steps, CpuBuffer dst, long dstOff) {
        // The copy a batch loader makes on the host, one step of one sequence at a time.
        int d = Math.toIntExact(dstOff);
        for (int b = 0; b < count; b++) {
            int at = index[from + b] * maxSteps * channels;
            for (int s = 0; s < steps; s++) {
                dst.data.put(d + (s * count + b) * channels, src.data, at + s * channels, channels);
            }
        }
    }

    // ---- independent tasks ----

    /** Set only by {@link #runningTasksConcurrently}: the default runs the tasks in order (the reference). */
    private boolean tasksOnThreads;

    @Override
    public int concurrentLanes() {
        return tasksOnThreads ? Integer.MAX_VALUE : 1;
    }

    @Override
    protected void concurrentlyImpl(int count, LaneTask task) {
        if (!tasksOnThreads) {
            super.concurrentlyImpl(count, task);
            return;
        }
        Thread[] running = new Thread[count];
        Throwable[] failed = new Throwable[count];
        for (int i = count - 1; i >= 0; i--) {
            int index = i;
            running[i] = new Thread(() -> {
                try {
                    task.run(this, index);
                } catch (Throwable t) {
                    failed[index] = t;
                }
            }, "concurrent task " + i);
            running[i].start();
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for concurrent tasks", e);
            }
        }
        for (Throwable t : failed) {
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    // ---- independent row ranges ----

    @Override
    public void forEachRowRange(int rows, long workPerRow, RowRangeTask task) {
        // The same row ranges with any thread count (their GEMMs' shapes fix the bits); one thread
        // runs them one after the other on this object.
        int chunks = CpuParallel.chunks((long) rows * workPerRow, minRowRangeWork);
        parallel.run(rows, chunks, ROW_RANGE_ALIGN,
                (worker, from, to) -> task.run(lanes == null ? this : lanes[worker], from, to));
    }

    // ---- BLAS ----

    @Override
    protected void gemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha, CpuBuffer ca, long offA,
                            int lda, CpuBuffer cb, long offB, int ldb, float beta, CpuBuffer cc, long offC, int ldc) {
        if (m == 0 || n == 0) return;
        int la = Math.max(1, lda);
        int lb = Math.max(1, ldb);
        int lc = Math.max(1, ldc);
        Sgemm blockGemm = blockGemm(transA, transB, m, n, k);
        // Blocks fixed by the shape alone: OpenBLAS may round a block of other height differently.
        // The panel kernels compute every element alike under any split: one block per thread
        // there, in whole tiles (a tile cut by a block's edge is copied, zero-padded, per block).
        boolean panels = blockGemm != sgemm;
        long flops = 2L * m * n * k;
        int chunks = panels ? parallel.parts(flops, minGemmFlops) : CpuParallel.chunks(flops, minGemmFlops);
        int rowAlign = panels ? PANEL_TILE_ROWS : GEMM_BLOCK_ALIGN;
        int columnAlign = panels ? STEP_PANEL : GEMM_BLOCK_ALIGN;
        if (m >= n) {
            // Blocks of C's rows: rows of op(A) (columns of A when transposed).
            parallel.run(m, chunks, rowAlign, (part, from, to) -> blockGemm.sgemm(transA, transB, to - from, n, k, alpha,
                    ca.at(offA + (transA ? from : (long) from * lda)), la, cb.at(offB), lb,
                    beta, cc.at(offC + (long) from * ldc), lc));
        } else {
            // Blocks of C's columns: columns of op(B) (rows of B when transposed).
            parallel.run(n, chunks, columnAlign, (part, from, to) -> blockGemm.sgemm(transA, transB, m, to - from, k, alpha,
                    ca.at(offA), la, cb.at(offB + (transB ? (long) from * ldb : from)), lb,
                    beta, cc.at(offC + from), lc));
        }
    }

    /**
     * Aᵀ·B GEMMs at least this long in k (the weight gradients, k = T·B) run in native/cpu/gemm.c
     * with neither operand packed, where the step panels run (AVX-512): OpenBLAS packs the two
     * k-long operands at every call. One thread, A 7168 × 512 read in column blocks of 132, B
     * 7168 × n, alternating in one process: 182 against OpenBLAS's 161 GFLOP/s at n = 128 (dW_hh),
     * 191 against 122 at n = 32 (dW_ih). The arithmetic follows the mode, as for the per-step GEMMs.
     */
    static final int GRADIENT_MIN_K = 512;

    /**
     * Whether the panel kernels fuse multiply-adds: in the default mode, as OpenBLAS does; the
     * deterministic mode keeps the fixed order's separate products and sums.
     */
    private boolean fusesMultiplyAdds() {
        return sgemm != Sgemm.FIXED_ORDER;
    }

    /** The single-threaded GEMM for the blocks of a GEMM of this shape. */
    private Sgemm blockGemm(boolean transA, boolean transB, int m, int n, int k) {
        if (stepPanels && transA && !transB && k >= GRADIENT_MIN_K) return this::gradientGemm;
        if (stepPanels && !transA && m >= TALL_MIN_ROWS && (long) k * n <= TALL_MAX_OPERAND) return this::tallGemm;
        return sgemm;
    }

    /** The {@link Sgemm} of the weight gradients (transA, not transB): see {@link #GRADIENT_MIN_K}. */
    private void gradientGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
                              FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (!NativeCpu.gradientGemm(fusesMultiplyAdds(), m, n, k, alpha, FixedOrderGemm.address(a), lda,
                FixedOrderGemm.address(b), ldb, beta, FixedOrderGemm.address(c), ldc)) {
            throw new OutOfMemoryError("weight-gradient GEMM: no native memory for " + m + " x " + n + " running sums");
        }
    }

    /**
     * A·op(B) GEMMs with at least this many rows of A and an op(B) of at most {@link
     * #TALL_MAX_OPERAND} floats (a recurrent layer's input projection X·W_ihᵀ and input gradient
     * dG·W_ih over all T·B rows) run in native/cpu/gemm.c at AVX-512: op(B) packed once per block
     * of rows, A read in place, C written once. OpenBLAS packed the T·B-long A as well, and zeroed
     * C in a pass of its own before a product with beta = 0.
     */
    static final int TALL_MIN_ROWS = 1024;
    static final long TALL_MAX_OPERAND = 1L << 18;

    /** The {@link Sgemm} of tall products (not transA): see {@link #TALL_MIN_ROWS}. */
    private void tallGemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
                          FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        if (!NativeCpu.tallGemm(fusesMultiplyAdds(), transB, m, n, k, alpha, FixedOrderGemm.address(a), lda,
                FixedOrderGemm.address(b), ldb, beta, FixedOrderGemm.address(c), ldc)) {
            throw new OutOfMemoryError("GEMM: no native memory for a " + k + " x " + n + " packed operand");
        }
    }

    // ---- per-step GEMMs on a prepared right operand (native/cpu/gemm.c) ----

    /**
     * With the native library at its AVX-512 level, op(B) is laid out in panels of
     * {@link #STEP_PANEL} columns (the last zero-padded), k rows each: read contiguously at every
     * step instead of repacked by OpenBLAS at every call (a third of the per-step GEMMs' time in an
     * LSTM training step). The arithmetic follows the mode's GEMM: the deterministic mode's fixed
     * order, bit for bit ({@code FixedOrderGemm}), or the default mode's multiply-adds fused. At
     * lower levels (the deterministic mode pins AVX2) the plain GEMM was as fast, and runs.
     */
    static final int STEP_PANEL = TensorOps.PREPARED_COLUMN_MULTIPLE;
    /** Rows of C in one register tile of the panel kernels (native/cpu/gemm.c PANEL_ROWS). */
    static final int PANEL_TILE_ROWS = 12;

    @Override
    protected void prepareStepOperandImpl(boolean transB, int k, int n, CpuBuffer b, long offB, CpuBuffer prepared) {
        if (!stepPanels) {
            super.prepareStepOperandImpl(transB, k, n, b, offB, prepared);
            return;
        }
        NativeCpu.stepPack(transB, k, n, b.address(offB), transB ? k : n, prepared.address(0));
    }

    @Override
    protected void stepGemmPreparedImpl(int m, int n, int k, float alpha, CpuBuffer a, long offA, int lda,
                                        CpuBuffer prepared, float beta, CpuBuffer c, long offC, int ldc) {
        if (!stepPanels) {
            super.stepGemmPreparedImpl(m, n, k, alpha, a, offA, lda, prepared, beta, c, offC, ldc);
            return;
        }
        if (m == 0 || n == 0) return;
        boolean fused = fusesMultiplyAdds();
        // Each element is computed alike under any split of the rows: one part per thread.
        int parts = parallel.parts(2L * m * n * k, minGemmFlops);
        parallel.run(m, parts, 1, (part, from, to) -> {
            if (!NativeCpu.stepGemm(fused, to - from, n, k, alpha, a.address(offA + (long) from * lda), lda,
                    prepared.address(0), beta, c.address(offC + (long) from * ldc), ldc)) {
                throw new OutOfMemoryError("per-step GEMM: no native memory for " + k + " floats of A's last rows");
            }
        });
    }

    // ---- elementwise and reductions ----

    @Override
    protected void addRowVectorImpl(int rows, int cols, CpuBuffer bias, CpuBuffer dst, long dstOff, int ld) {
        FloatBuffer bv = bias.data;
        FloatBuffer d = dst.data;
        int o = (int) dstOff;
        parallel.run(rows, parallel.parts((long) rows * cols, minPointwise), 1, (part, from, to) -> {
            float[] bh = scratch.get().get(0, cols);
            float[] row = scratch.get().get(1, cols);
            bv.get(0, bh, 0, cols);
            for (int r = from; r < to; r++) {
                d.get(o + r * ld, row, 0, cols);
                for (int j = 0; j < cols; j++) row[j] += bh[j];
                d.put(o + r * ld, row, 0, cols);
            }
        });
    }

    @Override
    protected void addColumnSumsImpl(int rows, int cols, CpuBuffer src, long srcOff, int ld, CpuBuffer dst,
                                     long dstOff) {
        FloatBuffer s = src.data;
        FloatBuffer d = dst.data;
        int so = (int) srcOff;
        int dof = (int) dstOff;
        // Parallel over column blocks, each thread owning its sums. Rows are summed in float within
        // blocks of 64 (a vectorised loop), and the block sums in double: in native/cpu/sums.c where
        // the library loaded (the same bits), else here.
        parallel.run(cols, parallel.parts((long) rows * cols, minPointwise), 8, (part, from, to) -> {
            int w = to - from;
            if (nativeCells) {
                if (!NativeCpu.columnSums(rows, w, src.address(srcOff + from), ld, dst.address(dstOff + from))) {
                    throw new OutOfMemoryError("column sums: no native memory for " + w + " running sums");
                }
                return;
            }
            float[] block = scratch.get().get(0, w);
            float[] row = scratch.get().get(1, w);
            double[] acc = new double[w];
            for (int r0 = 0; r0 < rows; r0 += 64) {
                java.util.Arrays.fill(block, 0, w, 0f);
                for (int r = r0; r < Math.min(rows, r0 + 64); r++) {
                    s.get(so + r * ld + from, row, 0, w);
                    for (int j = 0; j < w; j++) block[j] += row[j];
                }
                for (int j = 0; j < w; j++) acc[j] += block[j];
            }
            for (int j = 0; j < w; j++) d.put(dof + from + j, (float) (d.get(dof + from + j) + acc[j]));
        });
    }

    @Override
    protected double sumSquaresImpl(CpuBuffer x, long off, long n) {
        FloatBuffer v = x.data;
        int o = (int) off;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = v.get(o + i);
            sum += e * e;
        }
        return sum;
    }

    @Override
    protected void scaleImpl(CpuBuffer x, long off, long n, float alpha) {
        FloatBuffer v = x.data;
        int o = (int) off;
        for (int i = 0; i < n; i++) v.put(o + i, v.get(o + i) * alpha);
    }

    @Override
    protected void axpyImpl(long n, float alpha, CpuBuffer x, long xOff, CpuBuffer y, long yOff) {
        FloatBuffer xv = x.data;
        FloatBuffer yv = y.data;
        int xo = (int) xOff;
        int yo = (int) yOff;
        for (int i = 0; i < n; i++) yv.put(yo + i, yv.get(yo + i) + alpha * xv.get(xo + i));
    }

    // ---- device scalars: an array; the ops that take them run CheckedTensorOps' host defaults ----

    @Override
    protected DeviceScalars allocateScalarsImpl(int size) {
        return new CpuScalars(root, size);
    }

    @Override
    protected void setScalarsImpl(double[] values, DeviceScalars dst, int dstOff) {
        System.arraycopy(values, 0, ((CpuScalars) dst).values, dstOff, values.length);
    }

    @Override
    protected double[] readScalarsImpl(DeviceScalars src) {
        return ((CpuScalars) src).values.clone();
    }

    // ---- loss ----

    @Override
    protected double mseLossImpl(int rows, int cols, CpuBuffer pred, long predOff, CpuBuffer target, long targetOff,
                                 CpuBuffer rowWeight, long weightOff) {
        FloatBuffer p = pred.data;
        FloatBuffer t = target.data;
        FloatBuffer w = rowWeight.data;
        int po = (int) predOff;
        int to = (int) targetOff;
        int wo = (int) weightOff;
        double total = 0;
        double weights = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w.get(wo + r);
            if (wr == 0) continue;
            double row = 0;
            for (int j = 0; j < cols; j++) {
                double e = (double) p.get(po + r * cols + j) - t.get(to + r * cols + j);
                row += e * e;
            }
            total += wr * row;
            weights += wr;
        }
        return weights == 0 ? 0.0 : total / (weights * cols);
    }

    @Override
    protected void mseLossBackwardImpl(int rows, int cols, CpuBuffer pred, long predOff, CpuBuffer target,
                                       long targetOff, CpuBuffer rowWeight, long weightOff, float scale, CpuBuffer grad,
                                       long gradOff) {
        FloatBuffer p = pred.data;
        FloatBuffer t = target.data;
        FloatBuffer w = rowWeight.data;
        FloatBuffer g = grad.data;
        int po = (int) predOff;
        int to = (int) targetOff;
        int wo = (int) weightOff;
        int go = (int) gradOff;
        double weights = 0;
        for (int r = 0; r < rows; r++) weights += w.get(wo + r);
        double factor = weights == 0 ? 0.0 : 2.0 * scale / (weights * cols);
        for (int r = 0; r < rows; r++) {
            double k = factor * w.get(wo + r);
            for (int j = 0; j < cols; j++) {
                int e = r * cols + j;
                g.put(go + e, (float) (k * ((double) p.get(po + e) - t.get(to + e))));
            }
        }
    }

    // ---- pooling ----

    @Override
    protected void maxPoolLeakyReluImpl(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                        CpuBuffer in, long inOff, CpuBuffer out, long outOff) {
        FloatBuffer x = in.data;
        FloatBuffer y = out.data;
        int xo = (int) inOff;
        int yo = (int) outOff;
        for (int p = 0; p < outSteps; p++) {
            for (int r = 0; r < rows; r++) {
                float m = x.get(xo + windowArgmax(x, xo, p * stride, pool, rows, r) * rows + r);
                y.put(yo + p * rows + r, m > 0 ? m : slope * m);
            }
        }
    }

    @Override
    protected void maxPoolLeakyReluBackwardImpl(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                                CpuBuffer in, long inOff, CpuBuffer dOut, long dOutOff, CpuBuffer dIn,
                                                long dInOff) {
        FloatBuffer x = in.data;
        FloatBuffer dy = dOut.data;
        FloatBuffer dx = dIn.data;
        int xo = (int) inOff;
        int dyo = (int) dOutOff;
        int dxo = (int) dInOff;
        for (int e = 0; e < inSteps * rows; e++) dx.put(dxo + e, 0f);
        // Windows in ascending order, each adding to its first maximum: the order kernels/rnn.cu sums in.
        for (int p = 0; p < outSteps; p++) {
            for (int r = 0; r < rows; r++) {
                int best = windowArgmax(x, xo, p * stride, pool, rows, r);
                float m = x.get(xo + best * rows + r);
                float g = dy.get(dyo + p * rows + r);
                int at = dxo + best * rows + r;
                dx.put(at, dx.get(at) + (m > 0 ? g : slope * g));
            }
        }
    }

    /** The step of the first maximum of column r over steps [first, first + pool) of a time-major matrix. */
    private static int windowArgmax(FloatBuffer x, int xo, int first, int pool, int rows, int r) {
        int best = first;
        float m = x.get(xo + first * rows + r);
        for (int i = 1; i < pool; i++) {
            float v = x.get(xo + (first + i) * rows + r);
            if (v > m) {
                m = v;
                best = first + i;
            }
        }
        return best;
    }

    // ---- soft clustering (DEC / IDEC) ----

    @Override
    protected void studentTAssignImpl(int n, int k, int d, float alpha, CpuBuffer z, long zOff, CpuBuffer centroids,
                                      CpuBuffer q, long qOff) {
        CpuSoftAssignment.assign(n, k, d, alpha, z.data, (int) zOff, centroids.data, q.data, (int) qOff);
    }

    @Override
    protected void decTargetImpl(int n, int k, CpuBuffer q, long qOff, CpuBuffer p, long pOff) {
        CpuSoftAssignment.target(n, k, q.data, (int) qOff, p.data, (int) pOff);
    }

    @Override
    protected double klDivergenceImpl(int n, int k, CpuBuffer p, long pOff, CpuBuffer q, long qOff) {
        return CpuSoftAssignment.kl(n, k, p.data, (int) pOff, q.data, (int) qOff);
    }

    @Override
    protected void studentTKlBackwardImpl(int n, int k, int d, float alpha, CpuBuffer z, long zOff, CpuBuffer centroids,
                                          CpuBuffer q, long qOff, CpuBuffer p, long pOff, float scale, CpuBuffer dz,
                                          long dzOff, CpuBuffer dCentroids) {
        CpuSoftAssignment.backward(n, k, d, alpha, z.data, (int) zOff, centroids.data, q.data, (int) qOff,
                p.data, (int) pOff, scale, dz.data, (int) dzOff, dCentroids.data);
    }

    // ---- optimizer ----

    @Override
    protected void adamImpl(long n, CpuBuffer param, long paramOff, CpuBuffer grad, long gradOff, CpuBuffer m,
                            long mOff, CpuBuffer v, long vOff, double lr, double beta1, double beta2, double eps,
                            double weightDecay, int step) {
        FloatBuffer p = param.data;
        FloatBuffer g = grad.data;
        FloatBuffer mv = m.data;
        FloatBuffer vv = v.data;
        int po = (int) paramOff;
        int go = (int) gradOff;
        int mo = (int) mOff;
        int vo = (int) vOff;
        // The float32 scalars torch.optim.Adam applies, derived in double as it does.
        float wd = (float) weightDecay;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float oneMinusB1 = (float) (1.0 - beta1);
        float oneMinusB2 = (float) (1.0 - beta2);
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        float epsF = (float) eps;
        for (int i = 0; i < n; i++) {
            float pi = p.get(po + i);
            float gi = g.get(go + i);
            if (wd != 0f) gi += wd * pi;
            float mi = mv.get(mo + i) * b1 + oneMinusB1 * gi;
            float vi = vv.get(vo + i) * b2 + oneMinusB2 * gi * gi;
            mv.put(mo + i, mi);
            vv.put(vo + i, vi);
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + epsF;
            p.put(po + i, pi - stepSize * (mi / denom));
        }
    }

    // ---- recurrent cells: native kernels (native/cpu/cells.c) or row loops in CpuCells ----

    private int cellParts(int batch, int hidden, int gates) {
        return parallel.parts((long) batch * hidden * gates, minPointwise);
    }

    @Override
    protected void lstmForwardImpl(int batch, int hidden, CpuBuffer xProj, long xProjOff, CpuBuffer hProj,
                                   long hProjOff, CpuBuffer biasIh, CpuBuffer biasHh, CpuBuffer mask, long maskOff,
                                   CpuBuffer hPrev, long hPrevOff, CpuBuffer cPrev, long cPrevOff, CpuBuffer h,
                                   long hOff, CpuBuffer c, long cOff, CpuBuffer out, long outOff, int ldOut,
                                   CpuBuffer ws, long wsOff) {
        if (nativeCells) {
            int g = 4 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> NativeCpu.lstmForward(to - from,
                    hidden, xProj.address(xProjOff + (long) from * g), hProj.address(hProjOff + (long) from * g),
                    biasIh.address(0), biasHh.address(0), mask.address(maskOff + from),
                    hPrev.address(hPrevOff + (long) from * hidden), cPrev.address(cPrevOff + (long) from * hidden),
                    h.address(hOff + (long) from * hidden), c.address(cOff + (long) from * hidden),
                    out.address(outOff + (long) from * ldOut), ldOut, ws.address(wsOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> CpuCells.lstmForward(
                from, to, hidden, xProj.data, (int) xProjOff, hProj.data, (int) hProjOff, biasIh.data, biasHh.data,
                mask.data, (int) maskOff, hPrev.data, (int) hPrevOff, cPrev.data, (int) cPrevOff, h.data, (int) hOff,
                c.data, (int) cOff, out.data, (int) outOff, ldOut, ws.data, (int) wsOff));
    }

    @Override
    protected void lstmBackwardImpl(int batch, int hidden, CpuBuffer ws, long wsOff, CpuBuffer mask, long maskOff,
                                    CpuBuffer cPrev, long cPrevOff, CpuBuffer c, long cOff, CpuBuffer dOut,
                                    long dOutOff, int ldDOut, CpuBuffer dh, long dhOff, CpuBuffer dc, long dcOff,
                                    CpuBuffer dGates, long dGatesOff) {
        if (nativeCells) {
            int g = 4 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> NativeCpu.lstmBackward(to - from,
                    hidden, ws.address(wsOff + (long) from * g), mask.address(maskOff + from),
                    cPrev.address(cPrevOff + (long) from * hidden), c.address(cOff + (long) from * hidden),
                    dOut == null ? 0 : dOut.address(dOutOff + (long) from * ldDOut), ldDOut,
                    dh.address(dhOff + (long) from * hidden), dc.address(dcOff + (long) from * hidden),
                    dGates.address(dGatesOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 4), 1, (part, from, to) -> CpuCells.lstmBackward(
                from, to, hidden, ws.data, (int) wsOff, mask.data, (int) maskOff, cPrev.data, (int) cPrevOff, c.data,
                (int) cOff, data(dOut), (int) dOutOff, ldDOut, dh.data, (int) dhOff, dc.data, (int) dcOff, dGates.data,
                (int) dGatesOff));
    }

    @Override
    protected void gruForwardImpl(int batch, int hidden, CpuBuffer xProj, long xProjOff, CpuBuffer hProj, long hProjOff,
                                  CpuBuffer biasIh, CpuBuffer biasHh, CpuBuffer mask, long maskOff, CpuBuffer hPrev,
                                  long hPrevOff, CpuBuffer h, long hOff, CpuBuffer out, long outOff, int ldOut,
                                  CpuBuffer ws, long wsOff) {
        if (nativeCells) {
            int g = 3 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> NativeCpu.gruForward(to - from,
                    hidden, xProj.address(xProjOff + (long) from * g), hProj.address(hProjOff + (long) from * g),
                    biasIh.address(0), biasHh.address(0), mask.address(maskOff + from),
                    hPrev.address(hPrevOff + (long) from * hidden), h.address(hOff + (long) from * hidden),
                    out.address(outOff + (long) from * ldOut), ldOut, ws.address(wsOff + 4L * from * hidden)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> CpuCells.gruForward(
                from, to, hidden, xProj.data, (int) xProjOff, hProj.data, (int) hProjOff, biasIh.data, biasHh.data,
                mask.data, (int) maskOff, hPrev.data, (int) hPrevOff, h.data, (int) hOff, out.data, (int) outOff, ldOut,
                ws.data, (int) wsOff));
    }

    @Override
    protected void gruBackwardImpl(int batch, int hidden, CpuBuffer ws, long wsOff, CpuBuffer mask, long maskOff,
                                   CpuBuffer hPrev, long hPrevOff, CpuBuffer dOut, long dOutOff, int ldDOut,
                                   CpuBuffer dh, long dhOff, CpuBuffer dGatesIh, long dGatesIhOff, CpuBuffer dGatesHh,
                                   long dGatesHhOff) {
        if (nativeCells) {
            int g = 3 * hidden;
            parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> NativeCpu.gruBackward(to - from,
                    hidden, ws.address(wsOff + 4L * from * hidden), mask.address(maskOff + from),
                    hPrev.address(hPrevOff + (long) from * hidden),
                    dOut == null ? 0 : dOut.address(dOutOff + (long) from * ldDOut), ldDOut,
                    dh.address(dhOff + (long) from * hidden), dGatesIh.address(dGatesIhOff + (long) from * g),
                    dGatesHh.address(dGatesHhOff + (long) from * g)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 3), 1, (part, from, to) -> CpuCells.gruBackward(
                from, to, hidden, ws.data, (int) wsOff, mask.data, (int) maskOff, hPrev.data, (int) hPrevOff,
                data(dOut), (int) dOutOff, ldDOut, dh.data, (int) dhOff, dGatesIh.data, (int) dGatesIhOff,
                dGatesHh.data, (int) dGatesHhOff));
    }

    @Override
    protected void rnnTanhForwardImpl(int batch, int hidden, CpuBuffer xProj, long xProjOff, CpuBuffer hProj,
                                      long hProjOff, CpuBuffer biasIh, CpuBuffer biasHh, CpuBuffer mask, long maskOff,
                                      CpuBuffer hPrev, long hPrevOff, CpuBuffer h, long hOff, CpuBuffer out,
                                      long outOff, int ldOut) {
        if (nativeCells) {
            parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> NativeCpu.rnnTanhForward(to - from,
                    hidden, xProj.address(xProjOff + (long) from * hidden),
                    hProj.address(hProjOff + (long) from * hidden), biasIh.address(0), biasHh.address(0),
                    mask.address(maskOff + from), hPrev.address(hPrevOff + (long) from * hidden),
                    h.address(hOff + (long) from * hidden), out.address(outOff + (long) from * ldOut), ldOut));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> CpuCells.rnnTanhForward(
                from, to, hidden, xProj.data, (int) xProjOff, hProj.data, (int) hProjOff, biasIh.data, biasHh.data,
                mask.data, (int) maskOff, hPrev.data, (int) hPrevOff, h.data, (int) hOff, out.data, (int) outOff,
                ldOut));
    }

    @Override
    protected void rnnTanhBackwardImpl(int batch, int hidden, CpuBuffer mask, long maskOff, CpuBuffer h, long hOff,
                                       CpuBuffer dOut, long dOutOff, int ldDOut, CpuBuffer dh, long dhOff,
                                       CpuBuffer dGates, long dGatesOff) {
        if (nativeCells) {
            parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> NativeCpu.rnnTanhBackward(to - from,
                    hidden, mask.address(maskOff + from), h.address(hOff + (long) from * hidden),
                    dOut == null ? 0 : dOut.address(dOutOff + (long) from * ldDOut), ldDOut,
                    dh.address(dhOff + (long) from * hidden), dGates.address(dGatesOff + (long) from * hidden)));
            return;
        }
        parallel.run(batch, cellParts(batch, hidden, 1), 1, (part, from, to) -> CpuCells.rnnTanhBackward(
                from, to, hidden, mask.data, (int) maskOff, h.data, (int) hOff, data(dOut), (int) dOutOff, ldDOut,
                dh.data, (int) dhOff, dGates.data, (int) dGatesOff));
    }

    private static FloatBuffer data(CpuBuffer b) {
        return b == null ? null : b.data;
    }

    @Override
    public void close() {
        Resources.closeAll(parallel, () -> {
            if (lanes != null) Resources.closeAll(lanes);
        });
    }
}
