package org.rnnclust.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place where the arguments of every {@link TensorOps} op are checked, for all backends
 * (FAISS's split: the public entry point validates, the implementation does the work). Each public
 * op here checks that its buffers were allocated by this backend and are open, that every range it
 * reads or writes lies inside its buffer, and that sizes and scalars are valid; then it calls the
 * backend's {@code *Impl} method with its buffers as the backend's own type. A wrong offset or size
 * thus fails here, in Java, and never corrupts native or device memory; an implementation may
 * assume that its arguments passed these checks, and checks only what is its own (a device state,
 * a limit of its kernels).
 *
 * <p>The contracts of the ops are {@link TensorOps}' and {@link RecurrentCellOps}'; the
 * {@code *Impl} methods follow them with checked arguments.
 *
 * @param <B> the backend's buffer type
 */
public abstract class CheckedTensorOps<B extends OwnedBuffer> implements TensorOps {
    private final Class<B> bufferType;
    /** The ops object whose buffers this one accepts: itself, or the one it is a view of. */
    private final Object allocator;

    /**
     * @param bufferType the backend's buffer type
     * @param allocator  null for an ops object that allocates its own buffers; else the ops object
     *                   whose buffers this one works on (a per-thread view of it, say)
     */
    protected CheckedTensorOps(Class<B> bufferType, CheckedTensorOps<B> allocator) {
        this.bufferType = bufferType;
        this.allocator = allocator == null ? this : allocator;
    }

    // ---- memory ----

    @Override
    public final DeviceBuffer allocate(long size) {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        return allocateImpl(size);
    }

    /** A new buffer of {@code size} ≥ 0 floats, all zero, owned by the allocator of this object. */
    protected abstract B allocateImpl(long size);

    @Override
    public final void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int n) {
        B d = inside(dst, dstOff, n);
        requireInside(src.length, srcOff, n, "source");
        uploadImpl(src, srcOff, d, dstOff, n);
    }

    protected abstract void uploadImpl(float[] src, int srcOff, B dst, long dstOff, int n);

    @Override
    public final void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int n) {
        B s = inside(src, srcOff, n);
        requireInside(dst.length, dstOff, n, "destination");
        downloadImpl(s, srcOff, dst, dstOff, n);
    }

    protected abstract void downloadImpl(B src, long srcOff, float[] dst, int dstOff, int n);

    @Override
    public final void zero(DeviceBuffer buf, long off, long n) {
        zeroImpl(inside(buf, off, n), off, n);
    }

    protected abstract void zeroImpl(B buf, long off, long n);

    @Override
    public final void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long n) {
        B s = inside(src, srcOff, n);
        copyImpl(s, srcOff, inside(dst, dstOff, n), dstOff, n);
    }

    protected abstract void copyImpl(B src, long srcOff, B dst, long dstOff, long n);

    @Override
    public final void repeat(int times, long n, DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff) {
        if (times < 0 || n < 0) throw new IllegalArgumentException("repeat: negative size " + times + " x " + n);
        B s = inside(src, srcOff, n);
        long total = Math.multiplyExact((long) times, n);
        B d = inside(dst, dstOff, total);
        if (s == d && srcOff < dstOff + total && dstOff < srcOff + n && n > 0 && times > 0) {
            throw new IllegalArgumentException("repeat: source and destination overlap");
        }
        repeatImpl(times, n, s, srcOff, d, dstOff);
    }

    /** By default one {@link #copyImpl} per copy. */
    protected void repeatImpl(int times, long n, B src, long srcOff, B dst, long dstOff) {
        for (int t = 0; t < times; t++) copyImpl(src, srcOff, dst, dstOff + t * n, n);
    }

    @Override
    public final void gatherSequences(DeviceBuffer src, int maxSteps, int channels, int[] index, int from, int count,
                                      int steps, DeviceBuffer dst, long dstOff) {
        requireSizes("gatherSequences", maxSteps, channels, count, steps);
        if (steps > maxSteps) throw new IllegalArgumentException("gatherSequences: " + steps + " steps > " + maxSteps);
        requireInside(index.length, from, count, "index");
        B s = owned(src);
        long row = (long) maxSteps * channels;
        long sequences = row == 0 ? 0 : s.size() / row;
        for (int b = from; b < from + count; b++) {
            if (index[b] < 0 || index[b] >= sequences) {
                throw new IndexOutOfBoundsException("gatherSequences: index " + index[b] + " outside the " + sequences
                        + " sequences of " + s);
            }
        }
        long n = Math.multiplyExact(Math.multiplyExact((long) steps, count), channels);
        B d = inside(dst, dstOff, n);
        if (s == d) throw new IllegalArgumentException("gatherSequences: source and destination are one buffer");
        gatherSequencesImpl(s, maxSteps, channels, index, from, count, steps, d, dstOff);
    }

    /** {@link TensorOps#gatherSequences} with checked arguments: every index names a sequence of src. */
    protected abstract void gatherSequencesImpl(B src, int maxSteps, int channels, int[] index, int from, int count,
                                                int steps, B dst, long dstOff);

    @Override
    public final void transpose01(int d0, int d1, int inner, DeviceBuffer src, long srcOff, DeviceBuffer dst,
                                  long dstOff) {
        requireSizes("transpose01", d0, d1, inner);
        long n = (long) d0 * d1 * inner;
        B s = inside(src, srcOff, n);
        transpose01Impl(d0, d1, inner, s, srcOff, inside(dst, dstOff, n), dstOff);
    }

    protected abstract void transpose01Impl(int d0, int d1, int inner, B src, long srcOff, B dst, long dstOff);

    // ---- independent tasks ----

    @Override
    public final void concurrently(int count, LaneTask task) {
        if (count < 0) throw new IllegalArgumentException("concurrently: negative task count " + count);
        java.util.Objects.requireNonNull(task, "task");
        if (count > 0) concurrentlyImpl(count, task);
    }

    /** {@link TensorOps#concurrently} with count &gt; 0; by default the tasks in index order on this object. */
    protected void concurrentlyImpl(int count, LaneTask task) {
        for (int i = 0; i < count; i++) task.run(this, i);
    }

    // ---- BLAS ----

    @Override
    public final void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                           DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
                           float beta, DeviceBuffer c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        B ca = matrix(a, offA, transA ? k : m, transA ? m : k, lda, "A");
        B cb = matrix(b, offB, transB ? n : k, transB ? k : n, ldb, "B");
        B cc = matrix(c, offC, m, n, ldc, "C");
        gemmImpl(transA, transB, m, n, k, alpha, ca, offA, lda, cb, offB, ldb, beta, cc, offC, ldc);
    }

    protected abstract void gemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                     B a, long offA, int lda, B b, long offB, int ldb,
                                     float beta, B c, long offC, int ldc);

    @Override
    public final void stepGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
                               float beta, DeviceBuffer c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        B ca = matrix(a, offA, transA ? k : m, transA ? m : k, lda, "A");
        B cb = matrix(b, offB, transB ? n : k, transB ? k : n, ldb, "B");
        B cc = matrix(c, offC, m, n, ldc, "C");
        stepGemmImpl(transA, transB, m, n, k, alpha, ca, offA, lda, cb, offB, ldb, beta, cc, offC, ldc);
    }

    /** By default {@link #gemmImpl}. */
    protected void stepGemmImpl(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                B a, long offA, int lda, B b, long offB, int ldb,
                                float beta, B c, long offC, int ldc) {
        gemmImpl(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
    }

    @Override
    public final void prepareStepOperand(boolean transB, int k, int n, DeviceBuffer b, long offB, int ldb,
                                         DeviceBuffer prepared) {
        requireSizes("prepareStepOperand", k, n, 1);
        int contiguous = transB ? k : n;
        if (ldb != contiguous) {
            throw new IllegalArgumentException("prepareStepOperand: B must be contiguous (ldb " + contiguous + "), got "
                    + ldb);
        }
        B cb = inside(b, offB, (long) k * n);
        prepareStepOperandImpl(transB, k, n, cb, offB, inside(prepared, 0, TensorOps.preparedStepOperandSize(k, n)));
    }

    /** By default the plain row-major op(B): a transpose or a copy. */
    protected void prepareStepOperandImpl(boolean transB, int k, int n, B b, long offB, B prepared) {
        if (transB) {
            transpose01Impl(n, k, 1, b, offB, prepared, 0);
        } else {
            copyImpl(b, offB, prepared, 0, (long) k * n);
        }
    }

    @Override
    public final void stepGemmPrepared(int m, int n, int k, float alpha, DeviceBuffer a, long offA, int lda,
                                       DeviceBuffer prepared, float beta, DeviceBuffer c, long offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative GEMM size " + m + "x" + n + "x" + k);
        B ca = matrix(a, offA, m, k, lda, "A");
        B cp = inside(prepared, 0, TensorOps.preparedStepOperandSize(k, n));
        B cc = matrix(c, offC, m, n, ldc, "C");
        stepGemmPreparedImpl(m, n, k, alpha, ca, offA, lda, cp, beta, cc, offC, ldc);
    }

    /** By default {@link #stepGemmImpl} on the plain matrix. */
    protected void stepGemmPreparedImpl(int m, int n, int k, float alpha, B a, long offA, int lda, B prepared,
                                        float beta, B c, long offC, int ldc) {
        stepGemmImpl(false, false, m, n, k, alpha, a, offA, lda, prepared, 0, Math.max(1, n), beta, c, offC, ldc);
    }

    // ---- elementwise and reductions ----

    @Override
    public final void addRowVector(int rows, int cols, DeviceBuffer bias, DeviceBuffer dst, long dstOff, int ld) {
        B bv = inside(bias, 0, cols);
        addRowVectorImpl(rows, cols, bv, matrix(dst, dstOff, rows, cols, ld, "dst"), dstOff, ld);
    }

    protected abstract void addRowVectorImpl(int rows, int cols, B bias, B dst, long dstOff, int ld);

    @Override
    public final void addColumnSums(int rows, int cols, DeviceBuffer src, long srcOff, int ld, DeviceBuffer dst,
                                    long dstOff) {
        B s = matrix(src, srcOff, rows, cols, ld, "src");
        addColumnSumsImpl(rows, cols, s, srcOff, ld, inside(dst, dstOff, cols), dstOff);
    }

    protected abstract void addColumnSumsImpl(int rows, int cols, B src, long srcOff, int ld, B dst, long dstOff);

    @Override
    public final double sumSquares(DeviceBuffer x, long off, long n) {
        return sumSquaresImpl(inside(x, off, n), off, n);
    }

    protected abstract double sumSquaresImpl(B x, long off, long n);

    @Override
    public final double sumSquares(List<? extends DeviceBuffer> buffers, long[] counts) {
        if (buffers.size() != counts.length) throw new IllegalArgumentException("one count per buffer");
        List<B> checked = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) checked.add(inside(buffers.get(i), 0, counts[i]));
        return sumSquaresImpl(checked, counts);
    }

    /** Σ x² over the first {@code counts[i]} floats of every buffer; by default one {@link #sumSquaresImpl} each. */
    protected double sumSquaresImpl(List<B> buffers, long[] counts) {
        double s = 0;
        for (int i = 0; i < counts.length; i++) s += sumSquaresImpl(buffers.get(i), 0, counts[i]);
        return s;
    }

    @Override
    public final void scale(DeviceBuffer x, long off, long n, float alpha) {
        scaleImpl(inside(x, off, n), off, n, alpha);
    }

    protected abstract void scaleImpl(B x, long off, long n, float alpha);

    @Override
    public final void axpy(long n, float alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
        B xb = inside(x, xOff, n);
        axpyImpl(n, alpha, xb, xOff, inside(y, yOff, n), yOff);
    }

    protected abstract void axpyImpl(long n, float alpha, B x, long xOff, B y, long yOff);

    // ---- pooling ----

    @Override
    public final void maxPoolLeakyRelu(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                       DeviceBuffer in, long inOff, DeviceBuffer out, long outOff) {
        requirePooling("maxPoolLeakyRelu", inSteps, outSteps, rows, pool, stride, slope);
        B src = inside(in, inOff, (long) inSteps * rows);
        maxPoolLeakyReluImpl(inSteps, outSteps, rows, pool, stride, slope, src, inOff,
                inside(out, outOff, (long) outSteps * rows), outOff);
    }

    protected abstract void maxPoolLeakyReluImpl(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                                 B in, long inOff, B out, long outOff);

    @Override
    public final void maxPoolLeakyReluBackward(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                               DeviceBuffer in, long inOff, DeviceBuffer dOut, long dOutOff,
                                               DeviceBuffer dIn, long dInOff) {
        requirePooling("maxPoolLeakyReluBackward", inSteps, outSteps, rows, pool, stride, slope);
        B src = inside(in, inOff, (long) inSteps * rows);
        B dy = inside(dOut, dOutOff, (long) outSteps * rows);
        maxPoolLeakyReluBackwardImpl(inSteps, outSteps, rows, pool, stride, slope, src, inOff, dy, dOutOff,
                inside(dIn, dInOff, (long) inSteps * rows), dInOff);
    }

    protected abstract void maxPoolLeakyReluBackwardImpl(int inSteps, int outSteps, int rows, int pool, int stride,
                                                         float slope, B in, long inOff, B dOut, long dOutOff,
                                                         B dIn, long dInOff);

    private static void requirePooling(String op, int inSteps, int outSteps, int rows, int pool, int stride,
                                       float slope) {
        requireSizes(op, inSteps, outSteps, rows);
        if (pool < 1 || stride < 1) {
            throw new IllegalArgumentException(op + ": pool and stride must be >= 1, got " + pool + ", " + stride);
        }
        if (outSteps > 0 && (long) (outSteps - 1) * stride + pool > inSteps) {
            throw new IllegalArgumentException(op + ": " + outSteps + " windows of " + pool + " steps, stride " + stride
                    + ", need more than " + inSteps + " steps");
        }
        if (!(slope > 0) || !Float.isFinite(slope)) {
            throw new IllegalArgumentException(op + ": the leaky ReLU's slope must be > 0, got " + slope);
        }
    }

    // ---- loss ----

    @Override
    public final double mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target,
                                long targetOff, DeviceBuffer rowWeight, long weightOff) {
        requireSizes("mseLoss", rows, cols);
        long n = (long) rows * cols;
        B p = inside(pred, predOff, n);
        B t = inside(target, targetOff, n);
        return mseLossImpl(rows, cols, p, predOff, t, targetOff, inside(rowWeight, weightOff, rows), weightOff);
    }

    protected abstract double mseLossImpl(int rows, int cols, B pred, long predOff, B target, long targetOff,
                                          B rowWeight, long weightOff);

    @Override
    public final void mseLossBackward(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target,
                                      long targetOff, DeviceBuffer rowWeight, long weightOff, float scale,
                                      DeviceBuffer grad, long gradOff) {
        requireSizes("mseLossBackward", rows, cols);
        long n = (long) rows * cols;
        B p = inside(pred, predOff, n);
        B t = inside(target, targetOff, n);
        B w = inside(rowWeight, weightOff, rows);
        mseLossBackwardImpl(rows, cols, p, predOff, t, targetOff, w, weightOff, scale, inside(grad, gradOff, n), gradOff);
    }

    protected abstract void mseLossBackwardImpl(int rows, int cols, B pred, long predOff, B target, long targetOff,
                                                B rowWeight, long weightOff, float scale, B grad, long gradOff);

    // ---- device scalars ----

    @Override
    public final DeviceScalars allocateScalars(int size) {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        return allocateScalarsImpl(size);
    }

    /** New scalars of {@code size} ≥ 0 doubles, all zero, owned by the allocator of this object. */
    protected abstract DeviceScalars allocateScalarsImpl(int size);

    @Override
    public final void setScalars(double[] values, DeviceScalars dst, int dstOff) {
        setScalarsImpl(values, scalars(dst, dstOff, values.length), dstOff);
    }

    protected abstract void setScalarsImpl(double[] values, DeviceScalars dst, int dstOff);

    @Override
    public final double[] readScalars(DeviceScalars src) {
        return readScalarsImpl(scalars(src, 0, 0));
    }

    protected abstract double[] readScalarsImpl(DeviceScalars src);

    @Override
    public final void mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                              DeviceBuffer rowWeight, long weightOff, DeviceScalars out, int slot) {
        requireSizes("mseLoss", rows, cols);
        long n = (long) rows * cols;
        B p = inside(pred, predOff, n);
        B t = inside(target, targetOff, n);
        B w = inside(rowWeight, weightOff, rows);
        mseLossImpl(rows, cols, p, predOff, t, targetOff, w, weightOff, scalars(out, slot, 1), slot);
    }

    /** By default the host's {@link #mseLossImpl(int, int, OwnedBuffer, long, OwnedBuffer, long, OwnedBuffer, long)}, stored. */
    protected void mseLossImpl(int rows, int cols, B pred, long predOff, B target, long targetOff, B rowWeight,
                               long weightOff, DeviceScalars out, int slot) {
        double loss = mseLossImpl(rows, cols, pred, predOff, target, targetOff, rowWeight, weightOff);
        setScalarsImpl(new double[] {loss}, out, slot);
    }

    @Override
    public final void sumSquares(List<? extends DeviceBuffer> buffers, long[] counts, DeviceScalars out, int slot) {
        List<B> checked = buffers(buffers, counts);
        sumSquaresImpl(checked, counts, scalars(out, slot, 1), slot);
    }

    /** By default the host's {@link #sumSquaresImpl(List, long[])}, stored. */
    protected void sumSquaresImpl(List<B> buffers, long[] counts, DeviceScalars out, int slot) {
        setScalarsImpl(new double[] {sumSquaresImpl(buffers, counts)}, out, slot);
    }

    @Override
    public final void clipByNorm(List<? extends DeviceBuffer> buffers, long[] counts, double maxNorm,
                                 DeviceScalars sumSquares, int slot) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clipping norm must be > 0, got " + maxNorm);
        List<B> checked = buffers(buffers, counts);
        clipByNormImpl(checked, counts, maxNorm, scalars(sumSquares, slot, 1), slot);
    }

    /** By default on the host: reads the sum, scales with {@link #scaleImpl}. */
    protected void clipByNormImpl(List<B> buffers, long[] counts, double maxNorm, DeviceScalars sumSquares, int slot) {
        double norm = Math.sqrt(readScalarsImpl(sumSquares)[slot]);
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (int i = 0; i < counts.length; i++) scaleImpl(buffers.get(i), 0, counts[i], (float) factor);
        }
    }

    @Override
    public final void recordBatch(DeviceScalars s, int lossSlot, double hostLoss, double weight, double zerosLoss,
                                  double lossLimit, int normSquaresSlot, int batch, int record) {
        if (lossSlot >= 0) scalars(s, lossSlot, 1);
        scalars(s, normSquaresSlot, 1);
        scalars(s, record, BATCH_RECORD);
        if (batch < 0) throw new IllegalArgumentException("negative batch " + batch);
        recordBatchImpl(s, lossSlot, hostLoss, weight, zerosLoss, lossLimit, normSquaresSlot, batch, record);
    }

    /** By default on the host: reads the scalars, updates the record, writes it back. */
    protected void recordBatchImpl(DeviceScalars s, int lossSlot, double hostLoss, double weight, double zerosLoss,
                                   double lossLimit, int normSquaresSlot, int batch, int record) {
        double[] v = readScalarsImpl(s);
        double loss = lossSlot < 0 ? hostLoss : v[lossSlot];
        double norm = Math.sqrt(v[normSquaresSlot]);
        double[] r = java.util.Arrays.copyOfRange(v, record, record + BATCH_RECORD);
        if (weight > 0) r[0] += loss * weight;
        r[1] = norm;
        if (r[2] < 0 && (!Double.isFinite(loss) || loss > lossLimit || !Double.isFinite(norm))) {
            r[2] = batch;
            r[3] = loss;
            r[4] = zerosLoss;
            r[5] = norm;
        }
        setScalarsImpl(r, s, record);
    }

    // ---- soft clustering (DEC / IDEC) ----

    @Override
    public final void studentTAssign(int n, int k, int d, float alpha, DeviceBuffer z, long zOff,
                                     DeviceBuffer centroids, DeviceBuffer q, long qOff) {
        requireSizes("studentTAssign", n, k, d);
        requireDegreesOfFreedom(alpha);
        B zb = inside(z, zOff, (long) n * d);
        B mu = inside(centroids, 0, (long) k * d);
        studentTAssignImpl(n, k, d, alpha, zb, zOff, mu, inside(q, qOff, (long) n * k), qOff);
    }

    protected abstract void studentTAssignImpl(int n, int k, int d, float alpha, B z, long zOff, B centroids,
                                               B q, long qOff);

    @Override
    public final void decTarget(int n, int k, DeviceBuffer q, long qOff, DeviceBuffer p, long pOff) {
        requireSizes("decTarget", n, k);
        B qb = inside(q, qOff, (long) n * k);
        decTargetImpl(n, k, qb, qOff, inside(p, pOff, (long) n * k), pOff);
    }

    protected abstract void decTargetImpl(int n, int k, B q, long qOff, B p, long pOff);

    @Override
    public final double klDivergence(int n, int k, DeviceBuffer p, long pOff, DeviceBuffer q, long qOff) {
        requireSizes("klDivergence", n, k);
        B pb = inside(p, pOff, (long) n * k);
        return klDivergenceImpl(n, k, pb, pOff, inside(q, qOff, (long) n * k), qOff);
    }

    protected abstract double klDivergenceImpl(int n, int k, B p, long pOff, B q, long qOff);

    @Override
    public final void studentTKlBackward(int n, int k, int d, float alpha, DeviceBuffer z, long zOff,
                                         DeviceBuffer centroids, DeviceBuffer q, long qOff, DeviceBuffer p, long pOff,
                                         float scale, DeviceBuffer dz, long dzOff, DeviceBuffer dCentroids) {
        requireSizes("studentTKlBackward", n, k, d);
        requireDegreesOfFreedom(alpha);
        B zb = inside(z, zOff, (long) n * d);
        B mu = inside(centroids, 0, (long) k * d);
        B qb = inside(q, qOff, (long) n * k);
        B pb = inside(p, pOff, (long) n * k);
        B dzb = inside(dz, dzOff, (long) n * d);
        studentTKlBackwardImpl(n, k, d, alpha, zb, zOff, mu, qb, qOff, pb, pOff, scale, dzb, dzOff,
                inside(dCentroids, 0, (long) k * d));
    }

    protected abstract void studentTKlBackwardImpl(int n, int k, int d, float alpha, B z, long zOff, B centroids,
                                                   B q, long qOff, B p, long pOff, float scale,
                                                   B dz, long dzOff, B dCentroids);

    // ---- optimizer ----

    @Override
    public final void adam(long n, DeviceBuffer param, long paramOff, DeviceBuffer grad, long gradOff,
                           DeviceBuffer m, long mOff, DeviceBuffer v, long vOff,
                           double lr, double beta1, double beta2, double eps, double weightDecay, int step) {
        if (step < 1) throw new IllegalArgumentException("Adam step counts from 1, got " + step);
        B p = inside(param, paramOff, n);
        B g = inside(grad, gradOff, n);
        B mb = inside(m, mOff, n);
        adamImpl(n, p, paramOff, g, gradOff, mb, mOff, inside(v, vOff, n), vOff, lr, beta1, beta2, eps, weightDecay, step);
    }

    protected abstract void adamImpl(long n, B param, long paramOff, B grad, long gradOff, B m, long mOff, B v, long vOff,
                                     double lr, double beta1, double beta2, double eps, double weightDecay, int step);

    // ---- recurrent cells: shapes as RecurrentCellOps states them; dOut may be null ----

    @Override
    public final void lstmForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                                  long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask,
                                  long maskOff, DeviceBuffer hPrev, long hPrevOff, DeviceBuffer cPrev, long cPrevOff,
                                  DeviceBuffer h, long hOff, DeviceBuffer c, long cOff,
                                  DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        Cell s = new Cell(batch, hidden, 4);
        lstmForwardImpl(batch, hidden, inside(xProj, xProjOff, s.gates), xProjOff, inside(hProj, hProjOff, s.gates),
                hProjOff, inside(biasIh, 0, s.bias), inside(biasHh, 0, s.bias), inside(mask, maskOff, batch), maskOff,
                inside(hPrev, hPrevOff, s.state), hPrevOff, inside(cPrev, cPrevOff, s.state), cPrevOff,
                inside(h, hOff, s.state), hOff, inside(c, cOff, s.state), cOff,
                matrix(out, outOff, batch, hidden, ldOut, "out"), outOff, ldOut, inside(ws, wsOff, s.gates), wsOff);
    }

    protected abstract void lstmForwardImpl(int batch, int hidden, B xProj, long xProjOff, B hProj, long hProjOff,
                                            B biasIh, B biasHh, B mask, long maskOff, B hPrev, long hPrevOff,
                                            B cPrev, long cPrevOff, B h, long hOff, B c, long cOff,
                                            B out, long outOff, int ldOut, B ws, long wsOff);

    @Override
    public final void lstmBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                                   DeviceBuffer cPrev, long cPrevOff, DeviceBuffer c, long cOff,
                                   DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                                   DeviceBuffer dc, long dcOff, DeviceBuffer dGates, long dGatesOff) {
        Cell s = new Cell(batch, hidden, 4);
        lstmBackwardImpl(batch, hidden, inside(ws, wsOff, s.gates), wsOff, inside(mask, maskOff, batch), maskOff,
                inside(cPrev, cPrevOff, s.state), cPrevOff, inside(c, cOff, s.state), cOff,
                optionalMatrix(dOut, dOutOff, batch, hidden, ldDOut), dOutOff, ldDOut, inside(dh, dhOff, s.state), dhOff,
                inside(dc, dcOff, s.state), dcOff, inside(dGates, dGatesOff, s.gates), dGatesOff);
    }

    protected abstract void lstmBackwardImpl(int batch, int hidden, B ws, long wsOff, B mask, long maskOff,
                                             B cPrev, long cPrevOff, B c, long cOff, B dOut, long dOutOff, int ldDOut,
                                             B dh, long dhOff, B dc, long dcOff, B dGates, long dGatesOff);

    @Override
    public final void gruForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                                 long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask,
                                 long maskOff, DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                                 DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws, long wsOff) {
        Cell s = new Cell(batch, hidden, 3);
        gruForwardImpl(batch, hidden, inside(xProj, xProjOff, s.gates), xProjOff, inside(hProj, hProjOff, s.gates),
                hProjOff, inside(biasIh, 0, s.bias), inside(biasHh, 0, s.bias), inside(mask, maskOff, batch), maskOff,
                inside(hPrev, hPrevOff, s.state), hPrevOff, inside(h, hOff, s.state), hOff,
                matrix(out, outOff, batch, hidden, ldOut, "out"), outOff, ldOut, inside(ws, wsOff, 4 * s.state), wsOff);
    }

    protected abstract void gruForwardImpl(int batch, int hidden, B xProj, long xProjOff, B hProj, long hProjOff,
                                           B biasIh, B biasHh, B mask, long maskOff, B hPrev, long hPrevOff,
                                           B h, long hOff, B out, long outOff, int ldOut, B ws, long wsOff);

    @Override
    public final void gruBackward(int batch, int hidden, DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                                  DeviceBuffer hPrev, long hPrevOff, DeviceBuffer dOut, long dOutOff, int ldDOut,
                                  DeviceBuffer dh, long dhOff, DeviceBuffer dGatesIh, long dGatesIhOff,
                                  DeviceBuffer dGatesHh, long dGatesHhOff) {
        Cell s = new Cell(batch, hidden, 3);
        gruBackwardImpl(batch, hidden, inside(ws, wsOff, 4 * s.state), wsOff, inside(mask, maskOff, batch), maskOff,
                inside(hPrev, hPrevOff, s.state), hPrevOff, optionalMatrix(dOut, dOutOff, batch, hidden, ldDOut), dOutOff,
                ldDOut, inside(dh, dhOff, s.state), dhOff, inside(dGatesIh, dGatesIhOff, s.gates), dGatesIhOff,
                inside(dGatesHh, dGatesHhOff, s.gates), dGatesHhOff);
    }

    protected abstract void gruBackwardImpl(int batch, int hidden, B ws, long wsOff, B mask, long maskOff,
                                            B hPrev, long hPrevOff, B dOut, long dOutOff, int ldDOut, B dh, long dhOff,
                                            B dGatesIh, long dGatesIhOff, B dGatesHh, long dGatesHhOff);

    @Override
    public final void rnnTanhForward(int batch, int hidden, DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj,
                                     long hProjOff, DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask,
                                     long maskOff, DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                                     DeviceBuffer out, long outOff, int ldOut) {
        Cell s = new Cell(batch, hidden, 1);
        rnnTanhForwardImpl(batch, hidden, inside(xProj, xProjOff, s.gates), xProjOff, inside(hProj, hProjOff, s.gates),
                hProjOff, inside(biasIh, 0, s.bias), inside(biasHh, 0, s.bias), inside(mask, maskOff, batch), maskOff,
                inside(hPrev, hPrevOff, s.state), hPrevOff, inside(h, hOff, s.state), hOff,
                matrix(out, outOff, batch, hidden, ldOut, "out"), outOff, ldOut);
    }

    protected abstract void rnnTanhForwardImpl(int batch, int hidden, B xProj, long xProjOff, B hProj, long hProjOff,
                                               B biasIh, B biasHh, B mask, long maskOff, B hPrev, long hPrevOff,
                                               B h, long hOff, B out, long outOff, int ldOut);

    @Override
    public final void rnnTanhBackward(int batch, int hidden, DeviceBuffer mask, long maskOff, DeviceBuffer h, long hOff,
                                      DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer dh, long dhOff,
                                      DeviceBuffer dGates, long dGatesOff) {
        Cell s = new Cell(batch, hidden, 1);
        rnnTanhBackwardImpl(batch, hidden, inside(mask, maskOff, batch), maskOff, inside(h, hOff, s.state), hOff,
                optionalMatrix(dOut, dOutOff, batch, hidden, ldDOut), dOutOff, ldDOut, inside(dh, dhOff, s.state), dhOff,
                inside(dGates, dGatesOff, s.state), dGatesOff);
    }

    protected abstract void rnnTanhBackwardImpl(int batch, int hidden, B mask, long maskOff, B h, long hOff,
                                                B dOut, long dOutOff, int ldDOut, B dh, long dhOff,
                                                B dGates, long dGatesOff);

    @Override
    public final boolean forwardSequence(int gates, int steps, int batch, int hidden, boolean reverse, boolean zeroH0,
                                         DeviceBuffer xProj, DeviceBuffer wHh, DeviceBuffer biasIh, DeviceBuffer biasHh,
                                         DeviceBuffer mask, DeviceBuffer states, DeviceBuffer cells,
                                         DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws) {
        if (gates != 4 && gates != 3) throw new IllegalArgumentException("forwardSequence: gates 4 (LSTM) or 3 (GRU), got " + gates);
        requireSizes("forwardSequence", steps, batch, hidden);
        long rows = (long) steps * batch;
        long gh = (long) gates * hidden;
        long slots = (steps + 1L) * batch * hidden;
        B x = inside(xProj, 0, rows * gh);
        B w = inside(wHh, 0, gh * hidden);
        B bi = inside(biasIh, 0, gh);
        B bh = inside(biasHh, 0, gh);
        B m = inside(mask, 0, rows);
        B h = inside(states, 0, slots);
        B c = gates == 4 ? inside(cells, 0, slots) : null;
        if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException("forwardSequence: " + rows + " rows");
        B o = matrix(out, outOff, (int) rows, hidden, ldOut, "out");
        B wsb = inside(ws, 0, rows * 4 * hidden);
        if (rows == 0 || hidden == 0) return false;
        return forwardSequenceImpl(gates, steps, batch, hidden, reverse, zeroH0, x, w, bi, bh, m, h, c, o, outOff, ldOut, wsb);
    }

    /**
     * {@link RecurrentCellOps#forwardSequence} with checked buffers (cells null for GRU) and
     * T·B·H > 0. The default has no such kernel: it returns false and does nothing.
     */
    protected boolean forwardSequenceImpl(int gates, int steps, int batch, int hidden, boolean reverse, boolean zeroH0,
                                          B xProj, B wHh, B biasIh, B biasHh, B mask, B states, B cells,
                                          B out, long outOff, int ldOut, B ws) {
        return false;
    }

    @Override
    public final boolean backwardSequence(int gates, int steps, int batch, int hidden, boolean reverse, boolean needDh0,
                                          DeviceBuffer ws, DeviceBuffer mask, DeviceBuffer states, DeviceBuffer cells,
                                          DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer wHh,
                                          DeviceBuffer dh, DeviceBuffer dc, DeviceBuffer dGatesIh, DeviceBuffer dGatesHh) {
        if (gates != 4 && gates != 3) throw new IllegalArgumentException("backwardSequence: gates 4 (LSTM) or 3 (GRU), got " + gates);
        requireSizes("backwardSequence", steps, batch, hidden);
        long rows = (long) steps * batch;
        long gh = (long) gates * hidden;
        long slots = (steps + 1L) * batch * hidden;
        long state = (long) batch * hidden;
        if (rows > Integer.MAX_VALUE) throw new IllegalArgumentException("backwardSequence: " + rows + " rows");
        B wsb = inside(ws, 0, rows * 4 * hidden);
        B m = inside(mask, 0, rows);
        B h = inside(states, 0, slots);
        B c = gates == 4 ? inside(cells, 0, slots) : null;
        B dy = optionalMatrix(dOut, dOutOff, (int) rows, hidden, ldDOut);
        B w = inside(wHh, 0, gh * hidden);
        B dhb = inside(dh, 0, state);
        B dcb = gates == 4 ? inside(dc, 0, state) : null;
        B gi = inside(dGatesIh, 0, rows * gh);
        B gg = inside(dGatesHh, 0, rows * gh);
        if (rows == 0 || hidden == 0) return false;
        return backwardSequenceImpl(gates, steps, batch, hidden, reverse, needDh0, wsb, m, h, c, dy, dOutOff, ldDOut, w,
                dhb, dcb, gi, gg);
    }

    /**
     * {@link RecurrentCellOps#backwardSequence} with checked buffers (cells and dc null for GRU,
     * dOut null for none) and T·B·H > 0. The default has no such kernel: it returns false and does
     * nothing.
     */
    protected boolean backwardSequenceImpl(int gates, int steps, int batch, int hidden, boolean reverse, boolean needDh0,
                                           B ws, B mask, B states, B cells, B dOut, long dOutOff, int ldDOut, B wHh,
                                           B dh, B dc, B dGatesIh, B dGatesHh) {
        return false;
    }

    // ---- the checks ----

    /** The float counts of one cell step: states [B, H], gate blocks [B, G·H], biases [G·H]. */
    private record Cell(long state, long gates, long bias) {
        Cell(int batch, int hidden, int gateCount) {
            this((long) batch * hidden, (long) batch * gateCount * hidden, (long) gateCount * hidden);
        }
    }

    /** {@code buf} as this backend's buffer, once it is known to be one of ours and open. */
    private B owned(DeviceBuffer buf) {
        if (!bufferType.isInstance(buf) || ((OwnedBuffer) buf).owner() != allocator) {
            throw new IllegalArgumentException("buffer " + buf + " was not allocated by this " + getClass().getSimpleName());
        }
        B b = bufferType.cast(buf);
        if (b.isClosed()) throw new IllegalStateException("buffer used after close");
        return b;
    }

    /** Elements [off, off + n) of {@code buf}, which must be ours, open, and hold them. */
    private B inside(DeviceBuffer buf, long off, long n) {
        B b = owned(buf);
        if (off < 0 || n < 0 || off + n > b.size()) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + (off + n) + ") outside " + b);
        }
        return b;
    }

    /** Doubles [off, off + n) of {@code s}, which must be ours, open, and hold them. */
    private DeviceScalars scalars(DeviceScalars s, int off, int n) {
        if (s.owner() != allocator) {
            throw new IllegalArgumentException(s + " were not allocated by this " + getClass().getSimpleName());
        }
        if (s.isClosed()) throw new IllegalStateException("scalars used after close");
        if (off < 0 || n < 0 || (long) off + n > s.size()) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + ((long) off + n) + ") outside " + s);
        }
        return s;
    }

    /** The first {@code counts[i]} floats of every buffer, each ours and open. */
    private List<B> buffers(List<? extends DeviceBuffer> buffers, long[] counts) {
        if (buffers.size() != counts.length) throw new IllegalArgumentException("one count per buffer");
        List<B> checked = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) checked.add(inside(buffers.get(i), 0, counts[i]));
        return checked;
    }

    /** A rows×cols row-major matrix with leading dimension {@code ld} from element {@code off}; {@code what} names it. */
    private B matrix(DeviceBuffer buf, long off, int rows, int cols, int ld, String what) {
        if (ld < cols) throw new IllegalArgumentException(what + ": leading dimension " + ld + " < " + cols + " columns");
        return inside(buf, off, rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols);
    }

    /** {@link #matrix} of an optional gradient: null stays null. */
    private B optionalMatrix(DeviceBuffer buf, long off, int rows, int cols, int ld) {
        return buf == null ? null : matrix(buf, off, rows, cols, ld, "dOut");
    }

    private static void requireInside(int length, int off, int n, String what) {
        if (off < 0 || n < 0 || (long) off + n > length) {
            throw new IndexOutOfBoundsException(what + " range [" + off + ", " + ((long) off + n) + ") outside an array of "
                    + length);
        }
    }

    private static void requireSizes(String op, int... sizes) {
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative size " + s);
        }
    }

    private static void requireDegreesOfFreedom(float alpha) {
        if (!(alpha > 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("Student-t degrees of freedom must be finite and > 0, got " + alpha);
        }
    }
}
