package org.rnnclust.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.BufferRanges;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.Resources;
import org.rnnclust.backend.TensorOps;

/**
 * {@link TensorOps} on one GPU: cuBLAS for the GEMMs (row-major mapped onto column-major as
 * Cᵀ = op(B)ᵀ·op(A)ᵀ, in the context's math mode: FP32, or TF32 when asked), the kernels of
 * kernels/rnn.cu for everything else, all on the context's compute stream and asynchronous;
 * {@link #sumSquares}, {@link #mseLoss} and {@link #download} wait for the device, as the interface
 * says. Host copies go through {@link PinnedStaging}; {@link #captured} bodies become CUDA graphs
 * in {@link CudaGraphCache}, which every op tells what it issues. cuBLAS gets a fixed workspace so
 * that its GEMMs may be captured.
 */
public final class CudaTensorOps implements TensorOps {
    private static final int BLOCK = 256;
    /** Reductions use at most this many blocks: their partial sums fit a fixed buffer. */
    private static final int MAX_PARTIALS = 1024;
    private static final int MAX_ARGS = 16;
    /** cuBLAS's recommended workspace on Hopper (32 MiB; 4 MiB suffices before it). */
    private static final long BLAS_WORKSPACE = 32L << 20;

    private final CudaContext ctx;
    private final CUstream_st stream;
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
    private boolean closed;

    public CudaTensorOps(CudaContext ctx) {
        this.ctx = ctx;
        this.stream = ctx.computeStream();
        this.graphs = new CudaGraphCache(ctx, stream);
        ctx.bind();
        for (int i = 0; i < MAX_ARGS; i++) {
            argSlots[i] = new LongPointer(1);
            args.put(i, argSlots[i]);
        }
        try {
            module = KernelModule.load(RnnKernels.MODULE, ctx.major(), ctx.minor());
            for (RnnKernels k : RnnKernels.values()) functions[k.ordinal()] = module.function(k.name());
            blasWorkspace = new DeviceMemory(BLAS_WORKSPACE, "cuBLAS workspace");
            Cuda.checkBlas("cublasSetWorkspace", cublas.cublasSetWorkspace_v2(ctx.blas(),
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
    public DeviceBuffer allocate(long size) {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        graphs.requireRunning("allocate");
        ctx.bind();
        CudaBuffer b = new CudaBuffer(this, size);
        try {
            memset(b.address(0), Math.max(1, size) * Float.BYTES);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    @Override
    public void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int n) {
        graphs.requireRunning("upload");
        CudaBuffer d = check(dst, dstOff, n);
        if (srcOff < 0 || n < 0 || srcOff + n > src.length) throw new IndexOutOfBoundsException("source range");
        ctx.bind();
        staging.upload(src, srcOff, d.address(dstOff), n);
    }

    @Override
    public void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        graphs.requireRunning("download");
        CudaBuffer s = check(src, srcOff, n);
        if (dstOff < 0 || n < 0 || dstOff + n > dst.length) throw new IndexOutOfBoundsException("destination range");
        ctx.bind();
        staging.download(s.address(srcOff), dst, dstOff, n);
    }

    @Override
    public void zero(DeviceBuffer buf, long off, long n) {
        CudaBuffer b = check(buf, off, n);
        if (n > 0) memset(b.address(off), n * Float.BYTES);
    }

    @Override
    public void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long n) {
        CudaBuffer s = check(src, srcOff, n);
        CudaBuffer d = check(dst, dstOff, n);
        if (n == 0) return;
        long bytes = n * Float.BYTES;
        if (graphs.record(3, d.address(dstOff), s.address(srcOff), bytes)) return;
        Cuda.check("cudaMemcpyAsync(device to device)", cudart.cudaMemcpyAsync(DeviceMemory.pointerAt(d.address(dstOff)),
                DeviceMemory.pointerAt(s.address(srcOff)), bytes, cudart.cudaMemcpyDeviceToDevice, stream));
    }

    private void memset(long address, long bytes) {
        if (graphs.record(2, address, bytes)) return;
        Cuda.check("cudaMemsetAsync", cudart.cudaMemsetAsync(DeviceMemory.pointerAt(address), 0, bytes, stream));
    }

    @Override
    public void transpose01(int d0, int d1, int inner, DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff) {
        long n = (long) d0 * d1 * inner;
        CudaBuffer s = check(src, srcOff, n);
        CudaBuffer d = check(dst, dstOff, n);
        if (n == 0) return;
        launch(RnnKernels.transpose01, grid(n), d0, d1, inner, s.address(srcOff), d.address(dstOff));
    }

    // ---- graphs ----

    @Override
    public void captured(Object key, Runnable body) {
        graphs.run(key, body);
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
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alphaValue,
                     DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
                     float betaValue, DeviceBuffer c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        CudaBuffer ca = checkMatrix(a, offA, transA ? k : m, transA ? m : k, lda, "A");
        CudaBuffer cb = checkMatrix(b, offB, transB ? n : k, transB ? k : n, ldb, "B");
        CudaBuffer cc = checkMatrix(c, offC, m, n, ldc, "C");
        if (m == 0 || n == 0) return;
        int la = Math.max(1, lda);
        int lb = Math.max(1, ldb);
        int lc = Math.max(1, ldc);
        long pa = ca.address(offA), pb = cb.address(offB), pc = cc.address(offC);
        if (graphs.record(4, (transA ? 1 : 0) | (transB ? 2 : 0), m, n, k, la, lb, lc, pa, pb, pc,
                Float.floatToRawIntBits(alphaValue), Float.floatToRawIntBits(betaValue))) {
            return;
        }
        alpha.put(0, alphaValue);
        beta.put(0, betaValue);
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands, keep the ops.
        Cuda.checkBlas("cublasSgemm(" + m + "x" + n + "x" + k + ")", cublas.cublasSgemm_v2(ctx.blas(),
                transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                n, m, k, alpha, DeviceMemory.floatsAt(pb), lb, DeviceMemory.floatsAt(pa), la, beta,
                DeviceMemory.floatsAt(pc), lc));
    }

    // ---- elementwise and reductions ----

    @Override
    public void addRowVector(int rows, int cols, DeviceBuffer bias, DeviceBuffer dst, long dstOff, int ld) {
        CudaBuffer bv = check(bias, 0, cols);
        CudaBuffer d = checkMatrix(dst, dstOff, rows, cols, ld, "dst");
        if ((long) rows * cols == 0) return;
        launch(RnnKernels.addRowVector, grid((long) rows * cols), rows, cols, bv.address(0), d.address(dstOff), ld);
    }

    @Override
    public void addColumnSums(int rows, int cols, DeviceBuffer src, long srcOff, int ld, DeviceBuffer dst, long dstOff) {
        CudaBuffer s = checkMatrix(src, srcOff, rows, cols, ld, "src");
        CudaBuffer d = check(dst, dstOff, cols);
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
                s.address(srcOff), Math.max(1, ld), rowsPerChunk, columnPartials.address());
        launch(RnnKernels.addColumnPartials, grid(cols), chunks, cols, columnPartials.address(), d.address(dstOff));
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
    public double sumSquares(DeviceBuffer x, long off, long n) {
        graphs.requireRunning("sumSquares");
        CudaBuffer b = check(x, off, n);
        if (n == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        launch(RnnKernels.sumSquaresPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), b.address(off), n, reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 1, resultSlot(0));
        return fetchResults(1)[0];
    }

    @Override
    public double sumSquares(java.util.List<? extends DeviceBuffer> buffers, long[] counts) {
        graphs.requireRunning("sumSquares");
        if (buffers.size() != counts.length) throw new IllegalArgumentException("one count per buffer");
        // Each buffer's blocks write their partials side by side; one block then adds them all.
        int[] blocks = new int[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            check(buffers.get(i), 0, counts[i]);
            blocks[i] = counts[i] == 0 ? 0 : Math.min(MAX_PARTIALS / 4, ctx.gridFor(counts[i], BLOCK));
            total += blocks[i];
        }
        if (total == 0) return 0;
        if (manyPartials == null || manyPartials.bytes() < total * 8) {
            if (manyPartials != null) manyPartials.close();
            manyPartials = null;
            manyPartials = new DeviceMemory(Math.max(total, 4096) * 8, "norm partials");
        }
        long at = 0;
        for (int i = 0; i < counts.length; i++) {
            if (blocks[i] == 0) continue;
            CudaBuffer b = (CudaBuffer) buffers.get(i);
            launch(RnnKernels.sumSquaresPartials, new Launch(blocks[i], BLOCK, 1, BLOCK * 8), b.address(0), counts[i],
                    manyPartials.at(at * 8));
            at += blocks[i];
        }
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), manyPartials.address(), (int) total, 1,
                resultSlot(0));
        return fetchResults(1)[0];
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
    public void scale(DeviceBuffer x, long off, long n, float alphaValue) {
        CudaBuffer b = check(x, off, n);
        if (n == 0) return;
        launch(RnnKernels.scaleKernel, grid(n), b.address(off), n, alphaValue);
    }

    @Override
    public void axpy(long n, float alphaValue, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
        CudaBuffer xb = check(x, xOff, n);
        CudaBuffer yb = check(y, yOff, n);
        if (n == 0) return;
        launch(RnnKernels.axpyKernel, grid(n), n, alphaValue, xb.address(xOff), yb.address(yOff));
    }

    // ---- loss ----

    @Override
    public double mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                          DeviceBuffer rowWeight, long weightOff) {
        graphs.requireRunning("mseLoss");
        long n = (long) rows * cols;
        CudaBuffer p = check(pred, predOff, n);
        CudaBuffer t = check(target, targetOff, n);
        CudaBuffer w = check(rowWeight, weightOff, rows);
        if (n == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(n, BLOCK));
        launch(RnnKernels.mseLossPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), rows, cols, p.address(predOff),
                t.address(targetOff), w.address(weightOff), reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 2, resultSlot(0));
        double[] r = fetchResults(2);
        return r[1] == 0 ? 0.0 : r[0] / (r[1] * cols);
    }

    // ---- soft clustering (DEC / IDEC): kernels in rnn.cu, sums in double as on the CPU ----

    private static void requirePositiveAlpha(float alpha) {
        if (!(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("Student-t degrees of freedom must be > 0, got " + alpha);
        }
    }

    @Override
    public void studentTAssign(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                               DeviceBuffer q, long qOff) {
        requirePositiveAlpha(alpha);
        CudaBuffer zb = check(z, zOff, (long) n * d);
        CudaBuffer mu = check(centroids, 0, (long) k * d);
        CudaBuffer qb = check(q, qOff, (long) n * k);
        if (n == 0 || k == 0) return;
        launch(RnnKernels.studentTAssign, grid(n), n, k, d, alpha, zb.address(zOff), mu.address(0), qb.address(qOff));
    }

    @Override
    public void decTarget(int n, int k, DeviceBuffer q, long qOff, DeviceBuffer p, long pOff) {
        CudaBuffer qb = check(q, qOff, (long) n * k);
        CudaBuffer pb = check(p, pOff, (long) n * k);
        if (n == 0 || k == 0) return;
        // The cluster frequencies go to the reduction buffer (2·MAX_PARTIALS doubles), read by the next kernel.
        if (k > 2 * MAX_PARTIALS) throw new IllegalArgumentException("DEC target: at most " + 2 * MAX_PARTIALS + " clusters, got " + k);
        launch(RnnKernels.decFrequencies, new Launch(k, BLOCK, 1, BLOCK * 8), n, k, qb.address(qOff), reduce.address());
        launch(RnnKernels.decTarget, grid(n), n, k, qb.address(qOff), reduce.address(), pb.address(pOff));
    }

    @Override
    public double klDivergence(int n, int k, DeviceBuffer p, long pOff, DeviceBuffer q, long qOff) {
        graphs.requireRunning("klDivergence");
        long count = (long) n * k;
        CudaBuffer pb = check(p, pOff, count);
        CudaBuffer qb = check(q, qOff, count);
        if (count == 0) return 0;
        int blocks = Math.min(MAX_PARTIALS, ctx.gridFor(count, BLOCK));
        launch(RnnKernels.klPartials, new Launch(blocks, BLOCK, 1, BLOCK * 8), count, pb.address(pOff),
                qb.address(qOff), reduce.address());
        launch(RnnKernels.sumPartials, new Launch(1, BLOCK, 1, BLOCK * 8), reduce.address(), blocks, 1, resultSlot(0));
        return fetchResults(1)[0] / n;
    }

    @Override
    public void studentTKlBackward(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                                   DeviceBuffer q, long qOff, DeviceBuffer p, long pOff, float scale,
                                   DeviceBuffer dz, long dzOff, DeviceBuffer dCentroids) {
        requirePositiveAlpha(alpha);
        CudaBuffer zb = check(z, zOff, (long) n * d);
        CudaBuffer mu = check(centroids, 0, (long) k * d);
        CudaBuffer qb = check(q, qOff, (long) n * k);
        CudaBuffer pb = check(p, pOff, (long) n * k);
        CudaBuffer dzb = check(dz, dzOff, (long) n * d);
        CudaBuffer dmu = check(dCentroids, 0, (long) k * d);
        if (n == 0 || k == 0 || d == 0) return;
        launch(RnnKernels.decBackwardZ, grid((long) n * d), n, k, d, alpha, scale, zb.address(zOff), mu.address(0),
                qb.address(qOff), pb.address(pOff), dzb.address(dzOff));
        launch(RnnKernels.decBackwardMu, new Launch(k * d, BLOCK, 1, BLOCK * 8), n, k, d, alpha, scale,
                zb.address(zOff), mu.address(0), qb.address(qOff), pb.address(pOff), dmu.address(0));
    }

    @Override
    public void mseLossBackward(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target,
                                long targetOff, DeviceBuffer rowWeight, long weightOff, float scaleValue,
                                DeviceBuffer grad, long gradOff) {
        long n = (long) rows * cols;
        CudaBuffer p = check(pred, predOff, n);
        CudaBuffer t = check(target, targetOff, n);
        CudaBuffer w = check(rowWeight, weightOff, rows);
        CudaBuffer g = check(grad, gradOff, n);
        if (n == 0) return;
        // Σ w into its own result slot (3), which no reduction that returns a value uses.
        launch(RnnKernels.weightSum, new Launch(1, BLOCK, 1, BLOCK * 8), rows, w.address(weightOff), resultSlot(3));
        launch(RnnKernels.mseLossBackward, grid(n), rows, cols, p.address(predOff), t.address(targetOff),
                w.address(weightOff), scaleValue, resultSlot(3), g.address(gradOff));
    }

    // ---- optimizer ----

    @Override
    public void adam(long n, DeviceBuffer param, long paramOff, DeviceBuffer grad, long gradOff,
                     DeviceBuffer m, long mOff, DeviceBuffer v, long vOff,
                     double lr, double beta1, double beta2, double eps, double weightDecay, int step) {
        if (step < 1) throw new IllegalArgumentException("Adam step counts from 1, got " + step);
        CudaBuffer p = check(param, paramOff, n);
        CudaBuffer g = check(grad, gradOff, n);
        CudaBuffer mb = check(m, mOff, n);
        CudaBuffer vb = check(v, vOff, n);
        if (n == 0) return;
        // The float32 scalars torch.optim.Adam applies, derived in double as it does (as CpuOps.adam).
        float stepSize = (float) (lr / (1.0 - Math.pow(beta1, step)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
        launch(RnnKernels.adamKernel, grid(n), n, p.address(paramOff), g.address(gradOff), mb.address(mOff),
                vb.address(vOff), (float) weightDecay, (float) beta1, (float) beta2, (float) (1.0 - beta1),
                (float) (1.0 - beta2), stepSize, bc2Sqrt, (float) eps);
    }

    // ---- recurrent cells ----

    private Launch cellGrid(int batch, int hidden) {
        return grid((long) batch * hidden);
    }

    @Override
    public void lstmForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                            long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                            DeviceBuffer hPrev, long hPrevOff, DeviceBuffer cPrev, long cPrevOff,
                            DeviceBuffer h, long hOff, DeviceBuffer c, long cOff,
                            DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        long gates = (long) batch * 4 * hidden;
        long state = (long) batch * hidden;
        long xp = check(xProj, xProjOff, gates).address(xProjOff);
        long hp = check(hProj, hProjOff, gates).address(hProjOff);
        long bi = check(biasIh, 0, 4L * hidden).address(0);
        long bh = check(biasHh, 0, 4L * hidden).address(0);
        long mk = check(mask, maskOff, batch).address(maskOff);
        long h0 = check(hPrev, hPrevOff, state).address(hPrevOff);
        long c0 = check(cPrev, cPrevOff, state).address(cPrevOff);
        long h1 = check(h, hOff, state).address(hOff);
        long c1 = check(c, cOff, state).address(cOff);
        long o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").address(outOff);
        long w = check(ws, wsOff, gates).address(wsOff);
        if (state == 0) return;
        launch(RnnKernels.lstmForward, cellGrid(batch, hidden), batch, hidden, xp, hp, bi, bh, mk, h0, c0, h1, c1, o,
                ldOut, w);
    }

    @Override
    public void lstmBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                             DeviceBuffer cPrev, long cPrevOff, DeviceBuffer c, long cOff,
                             DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                             DeviceBuffer dc, long dcOff, DeviceBuffer dGates, long dGatesOff) {
        long gates = (long) batch * 4 * hidden;
        long state = (long) batch * hidden;
        long w = check(ws, wsOff, gates).address(wsOff);
        long mk = check(mask, maskOff, batch).address(maskOff);
        long c0 = check(cPrev, cPrevOff, state).address(cPrevOff);
        long c1 = check(c, cOff, state).address(cOff);
        long dO = dOut == null ? 0L : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").address(dOutOff);
        long dH = check(dh, dhOff, state).address(dhOff);
        long dC = check(dc, dcOff, state).address(dcOff);
        long dG = check(dGates, dGatesOff, gates).address(dGatesOff);
        if (state == 0) return;
        launch(RnnKernels.lstmBackward, cellGrid(batch, hidden), batch, hidden, w, mk, c0, c1, dO, ldDOut, dH, dC, dG);
    }

    @Override
    public void gruForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                           long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                           DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                           DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        long gates = (long) batch * 3 * hidden;
        long state = (long) batch * hidden;
        long xp = check(xProj, xProjOff, gates).address(xProjOff);
        long hp = check(hProj, hProjOff, gates).address(hProjOff);
        long bi = check(biasIh, 0, 3L * hidden).address(0);
        long bh = check(biasHh, 0, 3L * hidden).address(0);
        long mk = check(mask, maskOff, batch).address(maskOff);
        long h0 = check(hPrev, hPrevOff, state).address(hPrevOff);
        long h1 = check(h, hOff, state).address(hOff);
        long o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").address(outOff);
        long w = check(ws, wsOff, 4 * state).address(wsOff);
        if (state == 0) return;
        launch(RnnKernels.gruForward, cellGrid(batch, hidden), batch, hidden, xp, hp, bi, bh, mk, h0, h1, o, ldOut, w);
    }

    @Override
    public void gruBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                            DeviceBuffer hPrev, long hPrevOff, DeviceBuffer dOut, long dOutOff, int ldDOut,
                            DeviceBuffer dh, long dhOff, DeviceBuffer dGatesIh, long dGatesIhOff,
                            DeviceBuffer dGatesHh, long dGatesHhOff) {
        long state = (long) batch * hidden;
        long w = check(ws, wsOff, 4 * state).address(wsOff);
        long mk = check(mask, maskOff, batch).address(maskOff);
        long h0 = check(hPrev, hPrevOff, state).address(hPrevOff);
        long dO = dOut == null ? 0L : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").address(dOutOff);
        long dH = check(dh, dhOff, state).address(dhOff);
        long dI = check(dGatesIh, dGatesIhOff, 3 * state).address(dGatesIhOff);
        long dR = check(dGatesHh, dGatesHhOff, 3 * state).address(dGatesHhOff);
        if (state == 0) return;
        launch(RnnKernels.gruBackward, cellGrid(batch, hidden), batch, hidden, w, mk, h0, dO, ldDOut, dH, dI, dR);
    }

    @Override
    public void rnnTanhForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                               long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask,
                               long maskOff, DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                               DeviceBuffer out, long outOff, int ldOut) {
        long state = (long) batch * hidden;
        long xp = check(xProj, xProjOff, state).address(xProjOff);
        long hp = check(hProj, hProjOff, state).address(hProjOff);
        long bi = check(biasIh, 0, hidden).address(0);
        long bh = check(biasHh, 0, hidden).address(0);
        long mk = check(mask, maskOff, batch).address(maskOff);
        long h0 = check(hPrev, hPrevOff, state).address(hPrevOff);
        long h1 = check(h, hOff, state).address(hOff);
        long o = checkMatrix(out, outOff, batch, hidden, ldOut, "out").address(outOff);
        if (state == 0) return;
        launch(RnnKernels.rnnTanhForward, cellGrid(batch, hidden), batch, hidden, xp, hp, bi, bh, mk, h0, h1, o, ldOut);
    }

    @Override
    public void rnnTanhBackward(int batch, int hidden, DeviceBuffer mask, long maskOff, DeviceBuffer h, long hOff,
                                DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                                DeviceBuffer dGates, long dGatesOff) {
        long state = (long) batch * hidden;
        long mk = check(mask, maskOff, batch).address(maskOff);
        long h1 = check(h, hOff, state).address(hOff);
        long dO = dOut == null ? 0L : checkMatrix(dOut, dOutOff, batch, hidden, ldDOut, "dOut").address(dOutOff);
        long dH = check(dh, dhOff, state).address(dhOff);
        long dG = check(dGates, dGatesOff, state).address(dGatesOff);
        if (state == 0) return;
        launch(RnnKernels.rnnTanhBackward, cellGrid(batch, hidden), batch, hidden, mk, h1, dO, ldDOut, dH, dG);
    }

    // ---- lifetime ----

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ctx.bind();
        cudart.cudaStreamSynchronize(stream);
        Resources.closeAll(graphs, this::releaseBlasWorkspace, blasWorkspace, reduce, manyPartials, columnPartials,
                result, staging, module, () -> Resources.closeAll(argSlots), args, alpha, beta);
    }

    /** cuBLAS goes back to its own workspace before ours is freed (the k-means index shares the handle). */
    private void releaseBlasWorkspace() {
        if (blasWorkspace == null) return;
        int s = cublas.cublasSetWorkspace_v2(ctx.blas(), null, 0);
        if (s != 0) throw new CudaException("cublasSetWorkspace(none): status " + s, s);
    }

    // ---- argument checks: a wrong offset must fail here, not corrupt device memory ----

    private CudaBuffer check(DeviceBuffer buf, long off, long n) {
        if (!(buf instanceof CudaBuffer b) || b.owner != this) {
            throw new IllegalArgumentException("buffer " + buf + " was not allocated by this CudaTensorOps");
        }
        if (b.isClosed()) throw new IllegalStateException("buffer used after close");
        BufferRanges.requireInside(b, off, n);
        return b;
    }

    private CudaBuffer checkMatrix(DeviceBuffer buf, long off, int rows, int cols, int ld, String what) {
        return check(buf, off, BufferRanges.matrixExtent(rows, cols, ld, what));
    }
}
