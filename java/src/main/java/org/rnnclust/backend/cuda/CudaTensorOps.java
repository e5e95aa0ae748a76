package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.BufferMemory;
import org.rnnclust.backend.CheckedTensorOps;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.TensorOps;

/**
 * {@link TensorOps} on one GPU: cuBLAS for the GEMMs (row-major mapped onto column-major as
 * Cᵀ = op(B)ᵀ·op(A)ᵀ, in the context's math mode: FP32, or TF32 when asked), the kernels of
 * kernels/rnn.cu for everything else (and, where {@link PersistentRnn} picks them, an LSTM/GRU
 * layer's whole forward or backward loop as one persistent kernel of kernels/rnn_persist.cu), all
 * on the context's compute stream and asynchronous;
 * {@link #sumSquares}, {@link #mseLoss} and {@link #download} wait for the device, as the interface
 * says. Host copies go through {@link PinnedStaging}; {@link #captured} bodies become CUDA graphs
 * in {@link CudaGraphCache}, which every op tells what it issues. cuBLAS gets a fixed workspace so
 * that its GEMMs may be captured. The arguments of every op arrive checked ({@link CheckedTensorOps});
 * what is checked here is this device's own: no allocation or wait inside a captured body, and its
 * kernels' limits.
 *
 * <p>{@link #concurrently} runs its tasks on two streams where {@code -Drnnclust.cuda.bidirectional=concurrent}
 * asks for it (a bidirectional layer's two directions, whose time loops are each too small to fill
 * the GPU): the even tasks on the compute stream, the odd ones on a lane, a second CudaTensorOps on
 * the same buffers with its own stream, cuBLAS handle and workspace, reduction buffers, graphs and
 * persistent kernels; events fork the lane from the compute stream and join it back. The default,
 * {@code serial}, runs the tasks in order on the compute stream, as before, until a GPU has timed
 * both.
 */
public final class CudaTensorOps extends CheckedTensorOps<CudaBuffer> {
    private static final int BLOCK = 256;
    /** Reductions use at most this many blocks: their partial sums fit a fixed buffer. */
    private static final int MAX_PARTIALS = 1024;
    private static final int MAX_ARGS = 16;
    /** cuBLAS's recommended workspace on Hopper (32 MiB; 4 MiB suffices before it). */
    private static final long BLAS_WORKSPACE = 32L << 20;

    /** The system property that picks how {@link #concurrently} runs: serial (the default) or concurrent. */
    static final String BIDIRECTIONAL_PROPERTY = "rnnclust.cuda.bidirectional";

    private final CudaContext ctx;
    private final CUstream_st stream;
    /** The ops whose buffers and compute stream a lane works beside; null for those ops themselves. */
    private final CudaTensorOps origin;
    /** A lane's own stream and cuBLAS handle; null for the compute stream's ops. */
    private final CudaContext.Lane ownLane;
    /** The cuBLAS handle on {@link #stream}. */
    private final cublasContext blasHandle;
    private KernelModule module;
    private final CUfunc_st[] functions = new CUfunc_st[RnnKernels.values().length];
    private final LongPointer[] argSlots = new LongPointer[MAX_ARGS];
    private final PointerPointer<LongPointer> args = new PointerPointer<>(MAX_ARGS);
    private final FloatPointer alpha = new FloatPointer(1);
    private final FloatPointer beta = new FloatPointer(1);
    private DeviceMemory blasWorkspace;
    /** Reduction partials (2·MAX_PARTIALS doubles), then 4 result doubles. */
    private DeviceMemory reduce;
    /** Partials of a many-buffer {@link #sumSquares(java.util.List, long[])}, grown on demand. */
    private DeviceMemory manyPartials;
    /** Per-chunk column sums of {@link #addColumnSums}, grown on demand. */
    private DeviceMemory columnPartials;
    private PinnedMemory result;
    private PinnedStaging staging;
    private final CudaGraphCache graphs;
    /** Which path an LSTM/GRU layer's forward and backward loops take (PersistentRnn's rule). */
    private PersistentRnn.Mode rnnMode = PersistentRnn.Mode.fromProperty();
    /** The persistent kernels, loaded at their first use. */
    private PersistentRnn persistent;
    /** Whether {@link #concurrently} runs its odd tasks on {@link #lane} (never in a lane itself). */
    private boolean concurrentTasks;
    /** The second stream's ops, made at the first concurrent {@link #concurrently}. */
    private CudaTensorOps lane;
    /** Fork and join of the lane; in a lane, the order of a persistent launch after the compute stream's. */
    private CUevent_st forked;
    private CUevent_st joined;
    /** Whether a lane's tasks are being issued: an allocation then waits for its zeroing (see allocateImpl). */
    private boolean forking;
    private boolean verifyKeys = Boolean.getBoolean("rnnclust.cuda.graphs.verify");
    private boolean closed;

    public CudaTensorOps(CudaContext ctx) {
        this(ctx, null);
    }

    /** The compute stream's ops (origin null), or a lane of {@code origin} on a stream of its own. */
    private CudaTensorOps(CudaContext ctx, CudaTensorOps origin) {
        super(CudaBuffer.class, origin);
        this.ctx = ctx;
        this.origin = origin;
        ctx.bind();
        this.ownLane = origin == null ? null : ctx.openLane();
        this.stream = origin == null ? ctx.computeStream() : ownLane.stream();
        this.blasHandle = origin == null ? ctx.blas() : ownLane.blas();
        this.graphs = new CudaGraphCache(ctx, stream);
        this.concurrentTasks = origin == null && concurrentFromProperty();
        for (int i = 0; i < MAX_ARGS; i++) {
            argSlots[i] = new LongPointer(1);
            args.put(i, argSlots[i]);
        }
        try {
            if (origin == null) {
                module = KernelModule.load(RnnKernels.MODULE, ctx.major(), ctx.minor());
                for (RnnKernels k : RnnKernels.values()) functions[k.ordinal()] = module.function(k.name());
            } else {
                // The origin's module, which the origin closes: a lane only launches its functions.
                System.arraycopy(origin.functions, 0, functions, 0, functions.length);
                rnnMode = origin.rnnMode;
                ltStepGemm = origin.ltStepGemm;
                graphs.verifyKeys(origin.verifyKeys);
            }
            blasWorkspace = new DeviceMemory(BLAS_WORKSPACE, "cuBLAS workspace");
            Cuda.checkBlas("cublasSetWorkspace", cublas.cublasSetWorkspace_v2(blasHandle,
                    DeviceMemory.pointerAt(blasWorkspace.address()), BLAS_WORKSPACE));
            reduce = new DeviceMemory(2L * MAX_PARTIALS * 8 + 4 * 8, "reduction partials");
            result = new PinnedMemory(4 * 8, "pinned results");
            staging = new PinnedStaging(ctx, stream);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "cuda:" + ctx.device();
    }

    // ---- memory ----

    @Override
    public BufferMemory memory() {
        return new BufferMemory("GPU memory of " + name(), ctx.memoryInfo()[0], "");
    }

    @Override
    protected CudaBuffer allocateImpl(long size) {
        if (origin != null) return origin.allocateImpl(size);
        graphs.requireRunning("allocate");
        ctx.bind();
        CudaBuffer b = new CudaBuffer(this, size);
        try {
            memset(b.address(0), Math.max(1, size) * Float.BYTES);
            // A buffer grown inside a lane's task is zeroed on this stream, which the lane does not
            // wait for: the host waits for the zeroing instead (a growth happens at a new shape only).
            if (forking) ctx.synchronize(stream, "zeroing a buffer for a concurrent task");
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    @Override
    protected void uploadImpl(float[] src, int srcOff, CudaBuffer dst, long dstOff, int n) {
        graphs.requireRunning("upload");
        ctx.bind();
        staging.upload(src, srcOff, dst.address(dstOff), n);
    }

    @Override
    protected void downloadImpl(CudaBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        graphs.requireRunning("download");
        ctx.bind();
        staging.download(src.address(srcOff), dst, dstOff, n);
    }

    @Override
    protected void zeroImpl(CudaBuffer buf, long off, long n) {
        if (n > 0) memset(buf.address(off), n * Float.BYTES);
    }

    @Override
    protected void copyImpl(CudaBuffer src, long srcOff, CudaBuffer dst, long dstOff, long n) {
        if (n == 0) return;
        long bytes = n * Float.BYTES;
        if (graphs.record(3, dst.address(dstOff), src.address(srcOff), bytes)) return;
        Cuda.check("cudaMemcpyAsync(device to device)", cudart.cudaMemcpyAsync(
                DeviceMemory.pointerAt(dst.address(dstOff)), DeviceMemory.pointerAt(src.address(srcOff)), bytes,
                cudart.cudaMemcpyDeviceToDevice, stream));
    }

    private void memset(long address, long bytes) {
        if (graphs.record(2, address, bytes)) return;
        Cuda.check("cudaMemsetAsync", cudart.cudaMemsetAsync(DeviceMemory.pointerAt(address), 0, bytes, stream));
    }

    @Override
    protected void repeatImpl(int times, long n, CudaBuffer src, long srcOff, CudaBuffer dst, long dstOff) {
        long total = times * n;
        if (total == 0) return;
        launch(RnnKernels.repeatKernel, grid(total), n, times, src.address(srcOff), dst.address(dstOff));
    }

    @Override
    protected void transpose01Impl(int d0, int d1, int inner, CudaBuffer src, long srcOff, CudaBuffer dst,
                                   long dstOff) {
        long n = (long) d0 * d1 * inner;
        if (n == 0) return;
        launch(RnnKernels.transpose01, grid(n), d0, d1, inner, src.address(srcOff), dst.address(dstOff));
    }

    @Override
    protected void gatherSequencesImpl(CudaBuffer src, int maxSteps, int channels, int[] index, int from, int count,
                                       int steps, CudaBuffer dst, long dstOff) {
        long n = (long) steps * count * channels;
        if (n == 0) return;
        // The indices go up through the staging ring as the bits of floats (each below 2^31, never a
        // NaN pattern, copied as bytes), into a buffer that the stream's order keeps from being
        // overwritten before the gather that reads it has run.
        graphs.requireRunning("gatherSequences");
        float[] bits = new float[count];
        for (int b = 0; b < count; b++) bits[b] = Float.intBitsToFloat(index[from + b]);
        if (gatherIndex == null || gatherIndex.bytes() < 4L * count) {
            ctx.synchronize(stream, "gather indices");
            if (gatherIndex != null) gatherIndex.close();
            gatherIndex = null;
            gatherIndex = new DeviceMemory(Math.max(4L * count, 4096), "batch indices");
        }
        ctx.bind();
        staging.upload(bits, 0, gatherIndex.address(), count);
        launch(RnnKernels.gatherSequences, grid(n), count, steps, maxSteps, channels, src.address(0),
                gatherIndex.address(), dst.address(dstOff));
    }

    /** The indices of the last {@link #gatherSequences}, grown on demand. */
    private DeviceMemory gatherIndex;

    /**
     * {@code -Drnnclust.cuda.residentData=true}: a training set that fits in this fraction of the
     * free device memory stays there for the run, and each batch is gathered by index on the device
     * (the rest of a training step needs far less than the remaining three quarters). Off by default
     * until a GPU has run it.
     */
    static final double RESIDENT_DATA_FRACTION = 0.25;
    private final boolean residentData = Boolean.getBoolean("rnnclust.cuda.residentData");

    @Override
    public long residentDataBytes() {
        return residentData ? (long) (RESIDENT_DATA_FRACTION * ctx.memoryInfo()[0]) : 0;
    }

    /**
     * {@code -Drnnclust.cuda.decoderInput=stride0}: a recurrent layer fed one [B, I] block at every
     * step (the decoder) projects it once and its steps read that projection, its backward summing
     * the gate gradients over the steps before one GEMM each for the weight and input gradients
     * ({@link org.rnnclust.backend.TensorOps#projectsRepeatedInputOnce}); {@code repeat}, the
     * default until a GPU has measured both, works on T copies as the CPU does.
     */
    private final boolean stride0Input = "stride0".equals(System.getProperty("rnnclust.cuda.decoderInput", "repeat"));

    @Override
    public boolean projectsRepeatedInputOnce() {
        return stride0Input;
    }

    // ---- pooling ----

    @Override
    protected void maxPoolLeakyReluImpl(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                        CudaBuffer in, long inOff, CudaBuffer out, long outOff) {
        long n = (long) outSteps * rows;
        if (n == 0) return;
        launch(RnnKernels.maxPoolLeakyRelu, grid(n), outSteps, rows, pool, stride, slope, in.address(inOff),
                out.address(outOff));
    }

    @Override
    protected void maxPoolLeakyReluBackwardImpl(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                                CudaBuffer in, long inOff, CudaBuffer dOut, long dOutOff, CudaBuffer dIn,
                                                long dInOff) {
        long n = (long) inSteps * rows;
        if (n == 0) return;
        launch(RnnKernels.maxPoolLeakyReluBackward, grid(n), inSteps, outSteps, rows, pool, stride, slope,
                in.address(inOff), dOut.address(dOutOff), dIn.address(dInOff));
    }

    // ---- graphs ----

    @Override
    public void captured(Object key, Runnable body) {
        graphs.run(key, body);
    }

    @Override
    public void capturedByKey(Object key, Runnable body) {
        graphs.runKeyed(key, body);
    }

    /** Makes every keyed replay check its key against a fresh trace (tests; see CudaGraphCache#runKeyed). */
    void verifyGraphKeys(boolean on) {
        verifyKeys = on;
        graphs.verifyKeys(on);
        if (lane != null) lane.verifyGraphKeys(on);
    }

    // ---- concurrent tasks: a second stream ----

    /** serial (also unset) or concurrent; anything else is warned about and taken as serial. */
    private static boolean concurrentFromProperty() {
        String v = System.getProperty(BIDIRECTIONAL_PROPERTY);
        if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("serial")) return false;
        if (v.trim().equalsIgnoreCase("concurrent")) return true;
        org.slf4j.LoggerFactory.getLogger(CudaTensorOps.class).warn("{}={} is not serial or concurrent; using serial",
                BIDIRECTIONAL_PROPERTY, v);
        return false;
    }

    /** Whether {@link #concurrently} uses the second stream from now on (tests; the default is the property's). */
    void concurrentTasks(boolean on) {
        if (origin != null) throw new IllegalStateException("a lane runs its tasks in order");
        concurrentTasks = on;
    }

    @Override
    public int concurrentLanes() {
        return concurrentTasks ? 2 : 1;
    }

    @Override
    protected void concurrentlyImpl(int count, LaneTask task) {
        // Inside a captured body (or with one task) everything stays on this stream, in order.
        if (!concurrentTasks || count < 2 || !graphs.running() || forking) {
            super.concurrentlyImpl(count, task);
            return;
        }
        ctx.bind();
        CudaTensorOps second = lane();
        // Fork: the lane starts after everything issued here so far (the tasks' inputs).
        Cuda.check("cudaEventRecord(fork)", cudart.cudaEventRecord(forked, stream));
        Cuda.check("cudaStreamWaitEvent(fork)", cudart.cudaStreamWaitEvent(second.stream, forked, 0));
        forking = true;
        forks++;
        try {
            for (int i = 0; i < count; i++) task.run(i % 2 == 0 ? this : second, i);
        } finally {
            forking = false;
            // Join: what is issued here next runs after all the lane's tasks.
            Cuda.check("cudaEventRecord(join)", cudart.cudaEventRecord(joined, second.stream));
            Cuda.check("cudaStreamWaitEvent(join)", cudart.cudaStreamWaitEvent(stream, joined, 0));
        }
    }

    /** Runs of {@link #concurrently} that used the lane (tests: that the path ran). */
    long concurrentForks() {
        return forks;
    }

    private long forks;

    /** The lane, made at its first use with this object's current settings (they follow it from then on). */
    private CudaTensorOps lane() {
        if (lane == null) {
            forked = ctx.createEvent(false);
            joined = ctx.createEvent(false);
            lane = new CudaTensorOps(ctx, this);
        }
        lane.rnnMode = rnnMode;
        lane.ltStepGemm = ltStepGemm;
        return lane;
    }

    /**
     * In a lane, before a persistent launch: the launch waits for everything issued on the compute
     * stream so far, the other direction's persistent kernel included (the even task is issued
     * first). Each persistent kernel plans one block per SM and spins at grid barriers, so two of
     * them never overlap usefully; ordered, neither waits for blocks the other holds.
     */
    private void afterOriginsWork() {
        if (origin == null) return;
        if (forked == null) forked = ctx.createEvent(false);
        Cuda.check("cudaEventRecord(persistent order)", cudart.cudaEventRecord(forked, origin.stream));
        Cuda.check("cudaStreamWaitEvent(persistent order)", cudart.cudaStreamWaitEvent(stream, forked, 0));
    }

    /** Number of graphs held (tests). */
    int graphCount() {
        return graphs.size();
    }

    // ---- launches ----

    private record Launch(int gridX, int gridY, int blockX, int blockY, int sharedBytes) {
        Launch(int gridX, int blockX, int blockY, int sharedBytes) {
            this(gridX, 1, blockX, blockY, sharedBytes);
        }
    }

    private Launch grid(long work) {
        return new Launch(ctx.gridFor(work, BLOCK), BLOCK, 1, 0);
    }

    private void launch(RnnKernels k, Launch l, Object... values) {
        long[] slots = KernelArgs.encode(k.name(), k.signature, values);
        long[] op = new long[5 + slots.length];
        op[0] = 1;
        op[1] = k.ordinal();
        op[2] = ((long) l.gridX() << 32) | l.gridY();
        op[3] = ((long) l.blockX() << 32) | l.blockY();
        op[4] = l.sharedBytes();
        System.arraycopy(slots, 0, op, 5, slots.length);
        if (graphs.record(op)) return;
        for (int i = 0; i < slots.length; i++) argSlots[i].put(0, slots[i]);
        Cuda.checkDriver("cuLaunchKernel(" + k.name() + ")", cudart.cuLaunchKernel(functions[k.ordinal()],
                l.gridX(), l.gridY(), 1, l.blockX(), l.blockY(), 1, l.sharedBytes(), stream, args, (PointerPointer<?>) null));
        if (DEBUG_SYNC && graphs.running()) ctx.synchronize(stream, "after " + k.name());
    }

    /** -Drnnclust.cuda.sync=true: synchronise after every launch, so that an error names its kernel. */
    private static final boolean DEBUG_SYNC = Boolean.getBoolean("rnnclust.cuda.sync");

    // ---- BLAS ----

    @Override
    protected void gemmImpl(boolean transA, boolean transB, int m, int n, int k, float alphaValue, CudaBuffer a,
                            long offA, int lda, CudaBuffer b, long offB, int ldb, float betaValue, CudaBuffer c,
                            long offC, int ldc) {
        if (m == 0 || n == 0) return;
        int la = Math.max(1, lda);
        int lb = Math.max(1, ldb);
        int lc = Math.max(1, ldc);
        long pa = a.address(offA), pb = b.address(offB), pc = c.address(offC);
        if (graphs.record(4, (transA ? 1 : 0) | (transB ? 2 : 0), m, n, k, la, lb, lc, pa, pb, pc,
                Float.floatToRawIntBits(alphaValue), Float.floatToRawIntBits(betaValue))) {
            return;
        }
        alpha.put(0, alphaValue);
        beta.put(0, betaValue);
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep the ops.
        Cuda.checkBlas("cublasSgemm(" + m + "x" + n + "x" + k + ")", cublas.cublasSgemm_v2(blasHandle,
                transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                n, m, k, alpha, DeviceMemory.floatsAt(pb), lb, DeviceMemory.floatsAt(pa), la, beta,
                DeviceMemory.floatsAt(pc), lc));
    }

    /**
     * {@code -Drnnclust.cuda.stepGemm=lt}: the per-step GEMMs through cuBLASLt without split-K
     * ({@link LtStepGemm}); {@code blas} (the default) through cublasSgemm like every other GEMM.
     */
    private boolean ltStepGemm = "lt".equals(System.getProperty("rnnclust.cuda.stepGemm", "blas"));

    /** Chooses the per-step GEMM's path: cuBLASLt without split-K, or cublasSgemm (tests compare both). */
    void useLtStepGemm(boolean on) {
        ltStepGemm = on;
        if (lane != null) lane.ltStepGemm = on;
    }

    /** {shapes planned, shapes with an Lt algorithm without split-K} (tests). */
    int[] ltPlans() {
        return lt == null ? new int[2] : lt.planned();
    }

    @Override
    protected void stepGemmImpl(boolean transA, boolean transB, int m, int n, int k, float alphaValue, CudaBuffer a,
                                long offA, int lda, CudaBuffer b, long offB, int ldb, float betaValue, CudaBuffer c,
                                long offC, int ldc) {
        if (!ltStepGemm || ctx.tf32() || ltBroken || m == 0 || n == 0 || k == 0) {
            gemmImpl(transA, transB, m, n, k, alphaValue, a, offA, lda, b, offB, ldb, betaValue, c, offC, ldc);
            return;
        }
        int la = Math.max(1, lda);
        int lb = Math.max(1, ldb);
        int lc = Math.max(1, ldc);
        long pa = a.address(offA), pb = b.address(offB), pc = c.address(offC);
        // Op 5: an Lt GEMM, or the cublasSgemm it falls back to for a shape without an algorithm;
        // the same shape always takes the same one, so the trace names it by its arguments.
        if (graphs.record(5, (transA ? 1 : 0) | (transB ? 2 : 0), m, n, k, la, lb, lc, pa, pb, pc,
                Float.floatToRawIntBits(alphaValue), Float.floatToRawIntBits(betaValue))) {
            return;
        }
        alpha.put(0, alphaValue);
        beta.put(0, betaValue);
        boolean issued;
        try {
            if (lt == null) lt = new LtStepGemm(stream);
            issued = lt.gemm(transA, transB, m, n, k, alpha, pa, la, beta, pb, lb, pc, lc);
        } catch (CudaException e) {
            if (!graphs.running()) throw e;  // inside a capture: let it fail and fall back there
            ltBroken = true;
            org.slf4j.LoggerFactory.getLogger(CudaTensorOps.class).warn(
                    "cuBLASLt per-step GEMM failed ({}); using cublasSgemm from now on", e.getMessage());
            issued = false;
        }
        if (!issued) {
            Cuda.checkBlas("cublasSgemm(" + m + "x" + n + "x" + k + ")", cublas.cublasSgemm_v2(blasHandle,
                    transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                    n, m, k, alpha, DeviceMemory.floatsAt(pb), lb, DeviceMemory.floatsAt(pa), la, beta,
                    DeviceMemory.floatsAt(pc), lc));
        }
    }

    private LtStepGemm lt;
    private boolean ltBroken;

    // ---- elementwise and reductions ----

    @Override
    protected void addRowVectorImpl(int rows, int cols, CudaBuffer bias, CudaBuffer dst, long dstOff, int ld) {
        if ((long) rows * cols == 0) return;
        launch(RnnKernels.addRowVector, grid((long) rows * cols), rows, cols, bias.address(0), dst.address(dstOff), ld);
    }

    @Override
    protected void addColumnSumsImpl(int rows, int cols, CudaBuffer src, long srcOff, int ld, CudaBuffer dst,
                                     long dstOff) {
        if (cols == 0 || rows == 0) return;
        // Blocks of 32 columns × 16 row lanes (COLUMN_SUM_LANES in rnn.cu); the rows split into
        // chunks until there are about 8 blocks per SM, each chunk at least 256 rows.
        int columnBlocks = (cols + 31) / 32;
        long wanted = Math.max(1, (long) ctx.multiprocessors() * 8 / columnBlocks);
        int chunks = (int) Math.max(1, Math.min(wanted, (rows + 255L) / 256));
        if ((long) chunks * cols > columnPartialCapacity()) {
            if (graphs.running()) {
                growColumnPartials((long) chunks * cols);
            } else {
                // Inside a captured body nothing may be allocated: fewer chunks in what there is.
                chunks = (int) Math.max(1, columnPartialCapacity() / cols);
            }
        }
        int rowsPerChunk = (int) ((rows + (long) chunks - 1) / chunks);
        chunks = (int) ((rows + (long) rowsPerChunk - 1) / rowsPerChunk);
        if ((long) chunks * cols > columnPartialCapacity()) growColumnPartials((long) chunks * cols);
        launch(RnnKernels.columnSumPartials, new Launch(columnBlocks, chunks, 32, 16, 0), rows, cols,
                src.address(srcOff), Math.max(1, ld), rowsPerChunk, columnPartials.address());
        launch(RnnKernels.addColumnPartials, grid(cols), chunks, cols, columnPartials.address(), dst.address(dstOff));
    }

    private long columnPartialCapacity() {
        return columnPartials == null ? 0 : columnPartials.bytes() / 8;
    }

    private void growColumnPartials(long doubles) {
        graphs.requireRunning("growing the column-sum buffer");
        // Work still queued may read the old buffer.
        ctx.synchronize(stream, "column partials");
        if (columnPartials != null) columnPartials.close();
        columnPartials = null;
        columnPartials = new DeviceMemory(Math.max(doubles, 1 << 16) * 8, "column-sum partials");
    }

    @Override
    protected double sumSquaresImpl(CudaBuffer x, long off, long n) {
        graphs.requireRunning("sumSquares");
        if (n == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        launch(RnnKernels.sumSquaresPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), x.address(off), n,
                reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 1, resultSlot(0));
        return fetchResults(1)[0];
    }

    @Override
    protected double sumSquaresImpl(java.util.List<CudaBuffer> buffers, long[] counts) {
        graphs.requireRunning("sumSquares");
        if (!sumSquaresInto(buffers, counts, resultSlot(0))) return 0;
        return fetchResults(1)[0];
    }

    /**
     * Launches Σ x² over the first counts[i] floats of every buffer into the double at {@code out};
     * false (and nothing launched) when there is nothing to add.
     */
    private boolean sumSquaresInto(java.util.List<CudaBuffer> buffers, long[] counts, long out) {
        // Each buffer's blocks write their partials side by side; one block then adds them all.
        int[] blocks = new int[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            blocks[i] = counts[i] == 0 ? 0 : Math.min(MAX_PARTIALS / 4, ctx.gridFor(counts[i], BLOCK));
            total += blocks[i];
        }
        if (total == 0) return false;
        if (manyPartials == null || manyPartials.bytes() < total * 8) {
            graphs.requireRunning("growing the norm partials");
            // Work still queued may read the old buffer.
            ctx.synchronize(stream, "norm partials");
            if (manyPartials != null) manyPartials.close();
            manyPartials = null;
            manyPartials = new DeviceMemory(Math.max(total, 4096) * 8, "norm partials");
        }
        long at = 0;
        for (int i = 0; i < counts.length; i++) {
            if (blocks[i] == 0) continue;
            CudaBuffer b = buffers.get(i);
            launch(RnnKernels.sumSquaresPartials, new Launch(blocks[i], BLOCK, 1, BLOCK * 8), b.address(0), counts[i],
                    manyPartials.at(at * 8));
            at += blocks[i];
        }
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), manyPartials.address(), (int) total, 1, out);
        return true;
    }

    private long resultSlot(int i) {
        return reduce.at(2L * MAX_PARTIALS * 8 + 8L * i);
    }

    /** Copies the first {@code count} result doubles to the host; waits for the device. */
    private double[] fetchResults(int count) {
        Cuda.check("cudaMemcpyAsync(result)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(result.address()),
                DeviceMemory.pointerAt(resultSlot(0)), 8L * count, cudart.cudaMemcpyDeviceToHost, stream));
        ctx.synchronize(stream, "reduction result");
        double[] out = new double[count];
        result.doubles().get(out, 0, count);
        return out;
    }

    @Override
    protected void scaleImpl(CudaBuffer x, long off, long n, float alphaValue) {
        if (n == 0) return;
        launch(RnnKernels.scaleKernel, grid(n), x.address(off), n, alphaValue);
    }

    @Override
    protected void axpyImpl(long n, float alphaValue, CudaBuffer x, long xOff, CudaBuffer y, long yOff) {
        if (n == 0) return;
        launch(RnnKernels.axpyKernel, grid(n), n, alphaValue, x.address(xOff), y.address(yOff));
    }

    // ---- loss ----

    @Override
    protected double mseLossImpl(int rows, int cols, CudaBuffer pred, long predOff, CudaBuffer target, long targetOff,
                                 CudaBuffer rowWeight, long weightOff) {
        graphs.requireRunning("mseLoss");
        long n = (long) rows * cols;
        if (n == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        launch(RnnKernels.mseLossPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), rows, cols, pred.address(predOff),
                target.address(targetOff), rowWeight.address(weightOff), reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 2, resultSlot(0));
        double[] r = fetchResults(2);
        return r[1] == 0 ? 0.0 : r[0] / (r[1] * cols);
    }

    // ---- device scalars: the reductions end in a scalar slot instead of the host ----

    @Override
    protected DeviceScalars allocateScalarsImpl(int size) {
        if (origin != null) return origin.allocateScalarsImpl(size);
        graphs.requireRunning("allocateScalars");
        ctx.bind();
        CudaScalars s = new CudaScalars(this, size);
        try {
            memset(s.address(0), Math.max(1, size) * (long) Double.BYTES);
            if (forking) ctx.synchronize(stream, "zeroing scalars for a concurrent task");
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    @Override
    protected void setScalarsImpl(double[] values, DeviceScalars dst, int dstOff) {
        graphs.requireRunning("setScalars");
        if (values.length == 0) return;
        ctx.bind();
        // From pageable memory: the copy has taken the values when the call returns, so the
        // pointer may go at once, and nothing waits for the device.
        try (DoublePointer host = new DoublePointer(values)) {
            Cuda.check("cudaMemcpyAsync(scalars to device)", cudart.cudaMemcpyAsync(
                    DeviceMemory.pointerAt(((CudaScalars) dst).address(dstOff)), host, 8L * values.length,
                    cudart.cudaMemcpyHostToDevice, stream));
        }
    }

    @Override
    protected double[] readScalarsImpl(DeviceScalars src) {
        graphs.requireRunning("readScalars");
        double[] out = new double[src.size()];
        if (out.length == 0) return out;
        ctx.bind();
        try (DoublePointer host = new DoublePointer(out.length)) {
            Cuda.check("cudaMemcpyAsync(scalars to host)", cudart.cudaMemcpyAsync(host,
                    DeviceMemory.pointerAt(((CudaScalars) src).address(0)), 8L * out.length,
                    cudart.cudaMemcpyDeviceToHost, stream));
            ctx.synchronize(stream, "device scalars");
            host.get(out);
        }
        return out;
    }

    @Override
    protected void mseLossImpl(int rows, int cols, CudaBuffer pred, long predOff, CudaBuffer target, long targetOff,
                               CudaBuffer rowWeight, long weightOff, DeviceScalars out, int slot) {
        long n = (long) rows * cols;
        long at = ((CudaScalars) out).address(slot);
        if (n == 0) {
            memset(at, Double.BYTES);
            return;
        }
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        launch(RnnKernels.mseLossPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), rows, cols, pred.address(predOff),
                target.address(targetOff), rowWeight.address(weightOff), reduce.address());
        launch(RnnKernels.mseLossFinish, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, cols, at);
    }

    @Override
    protected void sumSquaresImpl(java.util.List<CudaBuffer> buffers, long[] counts, DeviceScalars out, int slot) {
        long at = ((CudaScalars) out).address(slot);
        if (!sumSquaresInto(buffers, counts, at)) memset(at, Double.BYTES);
    }

    @Override
    protected void clipByNormImpl(java.util.List<CudaBuffer> buffers, long[] counts, double maxNorm,
                                  DeviceScalars sumSquares, int slot) {
        long at = ((CudaScalars) sumSquares).address(slot);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            launch(RnnKernels.clipByNormKernel, grid(counts[i]), buffers.get(i).address(0), counts[i], at, maxNorm);
        }
    }

    @Override
    protected void recordBatchImpl(DeviceScalars s, int lossSlot, double hostLoss, double weight, double zerosLoss,
                                   double lossLimit, int normSquaresSlot, int batch, int record) {
        launch(RnnKernels.recordBatch, new Launch(1, 1, 1, 0), ((CudaScalars) s).address(0), lossSlot, hostLoss,
                weight, zerosLoss, lossLimit, normSquaresSlot, batch, record);
    }

    // ---- soft clustering (DEC / IDEC): kernels in rnn.cu, sums in double as on the CPU ----

    @Override
    protected void studentTAssignImpl(int n, int k, int d, float alpha, CudaBuffer z, long zOff, CudaBuffer centroids,
                                      CudaBuffer q, long qOff) {
        if (n == 0 || k == 0) return;
        launch(RnnKernels.studentTAssign, grid(n), n, k, d, alpha, z.address(zOff), centroids.address(0),
                q.address(qOff));
    }

    @Override
    protected void decTargetImpl(int n, int k, CudaBuffer q, long qOff, CudaBuffer p, long pOff) {
        if (n == 0 || k == 0) return;
        // The cluster frequencies go to the reduction buffer (2·MAX_PARTIALS doubles), read by the next kernel.
        if (k > 2 * MAX_PARTIALS) throw new IllegalArgumentException("DEC target: at most " + 2 * MAX_PARTIALS + " clusters, got " + k);
        launch(RnnKernels.decFrequencies, new Launch(k, BLOCK, 1, BLOCK * 8), n, k, q.address(qOff), reduce.address());
        launch(RnnKernels.decTarget, grid(n), n, k, q.address(qOff), reduce.address(), p.address(pOff));
    }

    @Override
    protected double klDivergenceImpl(int n, int k, CudaBuffer p, long pOff, CudaBuffer q, long qOff) {
        graphs.requireRunning("klDivergence");
        long count = (long) n * k;
        if (count == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(count, BLOCK));
        launch(RnnKernels.klPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), count, p.address(pOff),
                q.address(qOff), reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 1, resultSlot(0));
        return fetchResults(1)[0] / n;
    }

    @Override
    protected void studentTKlBackwardImpl(int n, int k, int d, float alpha, CudaBuffer z, long zOff,
                                          CudaBuffer centroids, CudaBuffer q, long qOff, CudaBuffer p, long pOff,
                                          float scale, CudaBuffer dz, long dzOff, CudaBuffer dCentroids) {
        if (n == 0 || k == 0 || d == 0) return;
        launch(RnnKernels.decBackwardZ, grid((long) n * d), n, k, d, alpha, scale, z.address(zOff),
                centroids.address(0), q.address(qOff), p.address(pOff), dz.address(dzOff));
        launch(RnnKernels.decBackwardMu, new Launch(k * d, BLOCK, 1, BLOCK * 8), n, k, d, alpha, scale,
                z.address(zOff), centroids.address(0), q.address(qOff), p.address(pOff), dCentroids.address(0));
    }

    @Override
    protected void mseLossBackwardImpl(int rows, int cols, CudaBuffer pred, long predOff, CudaBuffer target,
                                       long targetOff, CudaBuffer rowWeight, long weightOff, float scaleValue,
                                       CudaBuffer grad, long gradOff) {
        long n = (long) rows * cols;
        if (n == 0) return;
        // Σ w into its own result slot (3), which no reduction that returns a value uses.
        launch(RnnKernels.weightSum, new Launch(1, BLOCK, 1, BLOCK * 8), rows, rowWeight.address(weightOff),
                resultSlot(3));
        launch(RnnKernels.mseLossBackward, grid(n), rows, cols, pred.address(predOff), target.address(targetOff),
                rowWeight.address(weightOff), scaleValue, resultSlot(3), grad.address(gradOff));
    }

    // ---- optimizer ----

    @Override
    protected void adamImpl(long n, CudaBuffer param, long paramOff, CudaBuffer grad, long gradOff, CudaBuffer m,
                            long mOff, CudaBuffer v, long vOff, double lr, double beta1, double beta2, double eps,
                            double weightDecay, int step) {
        if (n == 0) return;
        // The float32 scalars torch.optim.Adam applies, derived in double as it does (as CpuOps.adam).
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        launch(RnnKernels.adamKernel, grid(n), n, param.address(paramOff), grad.address(gradOff), m.address(mOff),
                v.address(vOff), (float) weightDecay, (float) beta1, (float) beta2, (float) (1.0 - beta1),
                (float) (1.0 - beta2), stepSize, bc2Sqrt, (float) eps);
    }

    // ---- recurrent cells ----

    private Launch cellGrid(int batch, int hidden) {
        return grid((long) batch * hidden);
    }

    @Override
    protected void lstmForwardImpl(int batch, int hidden, CudaBuffer xProj, long xProjOff, CudaBuffer hProj,
                                   long hProjOff, CudaBuffer biasIh, CudaBuffer biasHh, CudaBuffer mask, long maskOff,
                                   CudaBuffer hPrev, long hPrevOff, CudaBuffer cPrev, long cPrevOff, CudaBuffer h,
                                   long hOff, CudaBuffer c, long cOff, CudaBuffer out, long outOff, int ldOut,
                                   CudaBuffer ws, long wsOff) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.lstmForward, cellGrid(batch, hidden), batch, hidden, xProj.address(xProjOff),
                hProj.address(hProjOff), biasIh.address(0), biasHh.address(0), mask.address(maskOff),
                hPrev.address(hPrevOff), cPrev.address(cPrevOff), h.address(hOff), c.address(cOff), out.address(outOff),
                ldOut, ws.address(wsOff));
    }

    @Override
    protected void lstmBackwardImpl(int batch, int hidden, CudaBuffer ws, long wsOff, CudaBuffer mask, long maskOff,
                                    CudaBuffer cPrev, long cPrevOff, CudaBuffer c, long cOff, CudaBuffer dOut,
                                    long dOutOff, int ldDOut, CudaBuffer dh, long dhOff, CudaBuffer dc, long dcOff,
                                    CudaBuffer dGates, long dGatesOff) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.lstmBackward, cellGrid(batch, hidden), batch, hidden, ws.address(wsOff),
                mask.address(maskOff), cPrev.address(cPrevOff), c.address(cOff),
                dOut == null ? 0L : dOut.address(dOutOff), ldDOut, dh.address(dhOff), dc.address(dcOff),
                dGates.address(dGatesOff));
    }

    @Override
    protected void gruForwardImpl(int batch, int hidden, CudaBuffer xProj, long xProjOff, CudaBuffer hProj,
                                  long hProjOff, CudaBuffer biasIh, CudaBuffer biasHh, CudaBuffer mask, long maskOff,
                                  CudaBuffer hPrev, long hPrevOff, CudaBuffer h, long hOff, CudaBuffer out, long outOff,
                                  int ldOut, CudaBuffer ws, long wsOff) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.gruForward, cellGrid(batch, hidden), batch, hidden, xProj.address(xProjOff),
                hProj.address(hProjOff), biasIh.address(0), biasHh.address(0), mask.address(maskOff),
                hPrev.address(hPrevOff), h.address(hOff), out.address(outOff), ldOut, ws.address(wsOff));
    }

    @Override
    protected void gruBackwardImpl(int batch, int hidden, CudaBuffer ws, long wsOff, CudaBuffer mask, long maskOff,
                                   CudaBuffer hPrev, long hPrevOff, CudaBuffer dOut, long dOutOff, int ldDOut,
                                   CudaBuffer dh, long dhOff, CudaBuffer dGatesIh, long dGatesIhOff,
                                   CudaBuffer dGatesHh, long dGatesHhOff) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.gruBackward, cellGrid(batch, hidden), batch, hidden, ws.address(wsOff), mask.address(maskOff),
                hPrev.address(hPrevOff), dOut == null ? 0L : dOut.address(dOutOff), ldDOut, dh.address(dhOff),
                dGatesIh.address(dGatesIhOff), dGatesHh.address(dGatesHhOff));
    }

    @Override
    protected void rnnTanhForwardImpl(int batch, int hidden, CudaBuffer xProj, long xProjOff, CudaBuffer hProj,
                                      long hProjOff, CudaBuffer biasIh, CudaBuffer biasHh, CudaBuffer mask,
                                      long maskOff, CudaBuffer hPrev, long hPrevOff, CudaBuffer h, long hOff,
                                      CudaBuffer out, long outOff, int ldOut) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.rnnTanhForward, cellGrid(batch, hidden), batch, hidden, xProj.address(xProjOff),
                hProj.address(hProjOff), biasIh.address(0), biasHh.address(0), mask.address(maskOff),
                hPrev.address(hPrevOff), h.address(hOff), out.address(outOff), ldOut);
    }

    @Override
    protected void rnnTanhBackwardImpl(int batch, int hidden, CudaBuffer mask, long maskOff, CudaBuffer h, long hOff,
                                       CudaBuffer dOut, long dOutOff, int ldDOut, CudaBuffer dh, long dhOff,
                                       CudaBuffer dGates, long dGatesOff) {
        if ((long) batch * hidden == 0) return;
        launch(RnnKernels.rnnTanhBackward, cellGrid(batch, hidden), batch, hidden, mask.address(maskOff),
                h.address(hOff), dOut == null ? 0L : dOut.address(dOutOff), ldDOut, dh.address(dhOff),
                dGates.address(dGatesOff));
    }

    // ---- a whole time loop in one launch ----

    /** Sets the path of the recurrent loops from now on (tests; the default is the system property's). */
    void rnnMode(PersistentRnn.Mode mode) {
        rnnMode = mode;
        if (lane != null) lane.rnnMode = mode;
    }

    /** Persistent launches so far, forward and backward (tests: that the path ran). */
    long persistentLaunches() {
        return (persistent == null ? 0 : persistent.launches()) + (lane == null ? 0 : lane.persistentLaunches());
    }

    @Override
    protected boolean forwardSequenceImpl(int gates, int steps, int batch, int hidden, boolean reverse, boolean zeroH0,
                                          CudaBuffer xProj, CudaBuffer wHh, CudaBuffer biasIh, CudaBuffer biasHh,
                                          CudaBuffer mask, CudaBuffer states, CudaBuffer cells, CudaBuffer out,
                                          long outOff, int ldOut, CudaBuffer ws) {
        PersistentRnn.Plan plan = persistentPlan(gates, batch, hidden, false);
        if (plan == null) return false;
        // A cooperative launch stays out of CUDA graphs: it is one launch already.
        graphs.requireRunning("forwardSequence");
        afterOriginsWork();
        return persistentKernels().forward(plan, gates, steps, batch, hidden, reverse, zeroH0, xProj.address(0),
                wHh.address(0), biasIh.address(0), biasHh.address(0), mask.address(0), states.address(0),
                cells == null ? states.address(0) : cells.address(0), out.address(outOff), ldOut, ws.address(0));
    }

    @Override
    protected boolean backwardSequenceImpl(int gates, int steps, int batch, int hidden, boolean reverse,
                                           boolean needDh0, CudaBuffer ws, CudaBuffer mask, CudaBuffer states,
                                           CudaBuffer cells, CudaBuffer dOut, long dOutOff, int ldDOut, CudaBuffer wHh,
                                           CudaBuffer dh, CudaBuffer dc, CudaBuffer dGatesIh, CudaBuffer dGatesHh) {
        PersistentRnn.Plan plan = persistentPlan(gates, batch, hidden, true);
        if (plan == null) return false;
        graphs.requireRunning("backwardSequence");
        afterOriginsWork();
        return persistentKernels().backward(plan, gates, steps, batch, hidden, reverse, needDh0, ws.address(0),
                mask.address(0), states.address(0), cells == null ? states.address(0) : cells.address(0),
                dOut == null ? 0L : dOut.address(dOutOff), ldDOut, wHh.address(0), dh.address(0),
                dc == null ? dh.address(0) : dc.address(0), dGatesIh.address(0), dGatesHh.address(0));
    }

    /** The persistent kernel's plan for this shape where the mode and rule pick it, else null. */
    private PersistentRnn.Plan persistentPlan(int gates, int batch, int hidden, boolean backward) {
        if (rnnMode == PersistentRnn.Mode.STEPWISE) return null;
        PersistentRnn.Plan plan = PersistentRnn.plan(gates, batch, hidden, ctx.multiprocessors(), ctx.maxSharedOptin(),
                backward);
        return plan == null || (rnnMode == PersistentRnn.Mode.AUTO && !plan.preferred()) ? null : plan;
    }

    private PersistentRnn persistentKernels() {
        ctx.bind();
        if (persistent == null) persistent = new PersistentRnn(ctx, stream);
        return persistent;
    }

    // ---- lifetime ----

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ctx.bind();
        cudart.cudaStreamSynchronize(stream);
        Resources.closeAll(lane, graphs, persistent, lt, this::releaseBlasWorkspace, blasWorkspace, reduce,
                manyPartials, columnPartials, gatherIndex, result, staging, origin == null ? module : null,
                () -> ctx.destroyEvent(forked), () -> ctx.destroyEvent(joined),
                () -> Resources.closeAll(argSlots), args, alpha, beta);
    }

    /**
     * cuBLAS goes back to its own workspace before ours is freed (the k-means index shares the
     * compute stream's handle); a lane's handle, its own, goes with its stream.
     */
    private void releaseBlasWorkspace() {
        if (ownLane != null) {
            ctx.closeLane(ownLane);
            return;
        }
        if (blasWorkspace == null) return;
        int s = cublas.cublasSetWorkspace_v2(blasHandle, null, 0);
        if (s != 0) throw new CudaException("cublasSetWorkspace(none): status " + s, s);
    }
}
