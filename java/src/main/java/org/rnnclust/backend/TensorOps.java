package org.rnnclust.backend;

/**
 * The operations a training step needs, on buffers that stay on the device: everything above the
 * backend (layers, losses, the optimizer, the trainer) is written against this interface and never
 * touches host arrays in the hot path. The CPU implementation is the reference that a GPU one
 * implements op by op.
 *
 * <p>Conventions: matrices are row-major; every buffer argument comes with an element offset (a
 * pointer, as a kernel would take it), except biases, which start at offset 0. "Writes" overwrites
 * the destination, "adds" accumulates into it. Calls are issued from one thread, in order; a GPU
 * implementation may run them asynchronously, so only ops that return a value (and
 * {@link #download}) wait for the device.
 *
 * <p>Implementations extend {@link CheckedTensorOps}, which checks the arguments of every op (the
 * buffers' owner and ranges, sizes, scalars) once, for all backends, before the backend's code runs.
 */
public interface TensorOps extends RecurrentCellOps, AutoCloseable {
    /** "cpu", "cuda:0", ... */
    String name();

    // ---- memory ----

    /** A new buffer of {@code size} floats, all zero. */
    DeviceBuffer allocate(long size);

    /**
     * The memory {@link #allocate} takes from and how much of it is free now, so that work whose
     * buffers cannot fit is refused before it starts (the free amount is an estimate: other
     * threads and processes allocate too).
     */
    BufferMemory memory();

    void upload(float[] src, int srcOff, DeviceBuffer dst, long dstOff, int n);

    default void upload(float[] src, DeviceBuffer dst) {
        upload(src, 0, dst, 0, src.length);
    }

    void download(DeviceBuffer src, long srcOff, float[] dst, int dstOff, int n);

    default void download(DeviceBuffer src, float[] dst) {
        download(src, 0, dst, 0, dst.length);
    }

    /** A host copy of the whole buffer (tests, export; not for the hot path). */
    default float[] toHost(DeviceBuffer src) {
        float[] out = new float[Math.toIntExact(src.size())];
        download(src, out);
        return out;
    }

    void zero(DeviceBuffer buf, long off, long n);

    default void zero(DeviceBuffer buf) {
        zero(buf, 0, buf.size());
    }

    /** Copies n floats; the ranges must not overlap. */
    void copy(DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff, long n);

    /**
     * Writes {@code times} copies of src[srcOff, srcOff + n) one after the other from dst[dstOff]
     * (a batch's embedding at every time step): one op instead of {@code times} copies. The ranges
     * must not overlap.
     */
    void repeat(int times, long n, DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff);

    /**
     * Writes the time-major batch dst [steps, count, channels] (from dstOff) of sequences
     * index[from, from + count) of src, a set of sequences padded to maxSteps steps
     * ([n, maxSteps, channels] from element 0): dst[(s·count + b)·channels + j] =
     * src[(index[from + b]·maxSteps + s)·channels + j] for s &lt; steps ≤ maxSteps. With the
     * dataset kept in device memory, a batch then costs the device only its indices (host
     * integers, sent with the op), not its values; every index must name a sequence of src.
     */
    void gatherSequences(DeviceBuffer src, int maxSteps, int channels, int[] index, int from, int count, int steps,
                         DeviceBuffer dst, long dstOff);

    /**
     * Bytes of device memory that a training set may keep for the whole run instead of uploading
     * each batch ({@link #gatherSequences}); 0 where keeping it gains nothing (the CPU, whose
     * "device" memory is the host's) or where it is turned off.
     */
    default long residentDataBytes() {
        return 0;
    }

    /**
     * Whether a recurrent layer whose input is one [B, I] block at every step (a sequence
     * autoencoder's decoder, fed its embedding) should project that block once and let every step
     * read the projection (a step stride of 0), and sum its gate gradients over the steps before
     * its weight and input gradients, instead of working on T copies. The same function, with its
     * sums in another order; so false by default and on the CPU, the reference.
     */
    default boolean projectsRepeatedInputOnce() {
        return false;
    }

    /** Swaps the first two axes: src [d0, d1, inner] to dst [d1, d0, inner] (batch- to time-major). */
    void transpose01(int d0, int d1, int inner, DeviceBuffer src, long srcOff, DeviceBuffer dst, long dstOff);

    // ---- independent row ranges ----

    /** Work on rows [from, to) of a batch, issued on {@code ops}. */
    @FunctionalInterface
    interface RowRangeTask {
        void run(TensorOps ops, int from, int to);
    }

    /**
     * Runs {@code task} over [0, rows) split into contiguous ranges that may run at the same time,
     * each issuing its ops on the TensorOps it is handed (never on this one). For work whose rows
     * never interact, such as the batch rows of a recurrence: splitting the whole time loop by rows
     * costs one hand-off per layer instead of one per op and step. The ranges must read and write
     * disjoint memory. {@code workPerRow} (about the flops of one row) decides whether splitting
     * pays. The default runs the whole range on this object, which is right for a device whose
     * every op is parallel already.
     */
    default void forEachRowRange(int rows, long workPerRow, RowRangeTask task) {
        task.run(this, 0, rows);
    }

    // ---- independent tasks ----

    /** The {@code index}-th task of {@link #concurrently}, issuing its ops on {@code ops}. */
    @FunctionalInterface
    interface LaneTask {
        void run(TensorOps ops, int index);
    }

    /**
     * Runs {@code task} for index 0, 1, ..., count − 1, possibly at the same time, each issuing its
     * ops on the TensorOps it is handed (this one, or a lane of it on a GPU: another stream); ops
     * issued here after the call see everything the tasks wrote. For the two directions of a
     * bidirectional layer, which share nothing but their input. The tasks must not write what
     * another reads or writes, and since they may run at once, each needs its own scratch buffers
     * (see {@link #concurrentLanes}). Buffers are allocated as usual, from this object. The default,
     * and the CPU, run the tasks one after the other on this object, in index order.
     */
    default void concurrently(int count, LaneTask task) {
        for (int i = 0; i < count; i++) task.run(this, i);
    }

    /**
     * How many tasks of {@link #concurrently} may run at the same time: 1 where they run one after
     * the other, so that callers can share one set of scratch buffers among the tasks there.
     */
    default int concurrentLanes() {
        return 1;
    }

    /**
     * Runs {@code body}, whose ops may be recorded once and replayed as one unit: a GPU captures
     * them into a CUDA graph the first time and afterwards launches the graph instead of each op
     * (one launch instead of two per time step). The CPU runs the body directly. {@code key}
     * names the slot of the recording (a layer and direction, say); the implementation re-records
     * whenever the body issues different ops, sizes, scalars or buffer addresses than last time, so
     * the key need not name them. The body must only issue ops on this object: no allocation,
     * upload, download or op that returns a value, and no work outside the ops (it may run more
     * than once, or only in a dry run that records what it would issue).
     */
    default void captured(Object key, Runnable body) {
        body.run();
    }

    /**
     * {@link #captured}, for a body that {@code key} determines: the key's equals covers every
     * buffer the body's ops touch (by identity: a {@link DeviceBuffer} keeps its memory until it is
     * closed), every offset, size and scalar they take, and the ops themselves (the body's code and
     * the objects it reads, a layer say). An implementation may then replay what it recorded for an
     * equal key without running the body at all (no dry run), and falls back to {@link #captured}
     * for a key it has not recorded. The key's buffers must stay open while an equal key may come.
     */
    default void capturedByKey(Object key, Runnable body) {
        captured(key, body);
    }

    // ---- BLAS ----

    /** C = alpha·op(A)·op(B) + beta·C, row-major, op(A) m×k, op(B) k×n. With beta = 0, C is not read. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
              float beta, DeviceBuffer c, long offC, int ldc);

    /**
     * {@link #gemm} for a small GEMM on a recurrence's critical path (one per time step, which the
     * next step waits for): the same contract and result, while a backend may pick its kernel for
     * latency rather than throughput.
     */
    void stepGemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  DeviceBuffer a, long offA, int lda, DeviceBuffer b, long offB, int ldb,
                  float beta, DeviceBuffer c, long offC, int ldc);

    /**
     * Columns of a prepared step operand are allotted in multiples of this: the CPU's panel width
     * (native/cpu/gemm.c). See {@link #preparedStepOperandSize}.
     */
    int PREPARED_COLUMN_MULTIPLE = 32;

    /**
     * Floats a buffer needs to hold a k × n right operand laid out by {@link #prepareStepOperand}:
     * k rows of n rounded up to {@link #PREPARED_COLUMN_MULTIPLE}, on every backend, so that memory
     * plans need no backend (one with the plain row-major layout leaves the rest unused).
     *
     * <p>Why prepare at all: a recurrence multiplies by the same weight matrix at every time step,
     * and a backend whose GEMM repacks its operands at every call (OpenBLAS does) lays that matrix
     * out once per sequence instead.
     */
    static long preparedStepOperandSize(int k, int n) {
        long columns = ((long) n + PREPARED_COLUMN_MULTIPLE - 1) / PREPARED_COLUMN_MULTIPLE * PREPARED_COLUMN_MULTIPLE;
        return (long) k * columns;
    }

    /**
     * Writes op(B), k × n, into {@code prepared} (from its element 0) in the layout that
     * {@link #stepGemmPrepared} reads. B must be contiguous: ldb = n, or ldb = k when transposed.
     * Prepare again after B changes.
     */
    void prepareStepOperand(boolean transB, int k, int n, DeviceBuffer b, long offB, int ldb, DeviceBuffer prepared);

    /**
     * {@link #stepGemm}(false, false, m, n, k, alpha, A, ..., op(B), beta, C, ...) with op(B) as
     * {@link #prepareStepOperand} laid it out: the same contract. Its result may differ in the last
     * bits from {@link #stepGemm} on the plain matrix (another kernel), but not between calls.
     */
    void stepGemmPrepared(int m, int n, int k, float alpha, DeviceBuffer a, long offA, int lda, DeviceBuffer prepared,
                          float beta, DeviceBuffer c, long offC, int ldc);

    // ---- elementwise and reductions ----

    /** Adds bias[0..cols) to every row of the rows×cols matrix at dst (row stride ld). */
    void addRowVector(int rows, int cols, DeviceBuffer bias, DeviceBuffer dst, long dstOff, int ld);

    /** dst[j] += Σ_r src[r·ld + j] for j < cols: a bias gradient. */
    void addColumnSums(int rows, int cols, DeviceBuffer src, long srcOff, int ld, DeviceBuffer dst, long dstOff);

    /** Σ x², accumulated in double on the CPU (a gradient norm); waits for the device. */
    double sumSquares(DeviceBuffer x, long off, long n);

    /**
     * Σ x² over the first {@code counts[i]} floats of every buffer, in double: a global gradient
     * norm with one wait for the device instead of one per buffer.
     */
    default double sumSquares(java.util.List<? extends DeviceBuffer> buffers, long[] counts) {
        if (buffers.size() != counts.length) throw new IllegalArgumentException("one count per buffer");
        double s = 0;
        for (int i = 0; i < counts.length; i++) s += sumSquares(buffers.get(i), 0, counts[i]);
        return s;
    }

    /** x *= alpha. */
    void scale(DeviceBuffer x, long off, long n, float alpha);

    /** y += alpha·x. */
    void axpy(long n, float alpha, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff);

    // ---- pooling ----

    /**
     * Max pooling over time, then a leaky ReLU (DTC's encoder: convolution, leaky ReLU, max pooling),
     * on a time-major [inSteps, rows] matrix (rows: batch × channels): for p < outSteps,
     * out[p, r] = leaky(max_{i < pool} in[p·stride + i, r]), leaky(v) = v for v > 0, slope·v
     * otherwise. A leaky ReLU with slope > 0 is increasing, so this is the pooling of the activated
     * values. Needs (outSteps − 1)·stride + pool ≤ inSteps.
     */
    void maxPoolLeakyRelu(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                          DeviceBuffer in, long inOff, DeviceBuffer out, long outOff);

    /**
     * Writes dIn [inSteps, rows], the gradient of {@link #maxPoolLeakyRelu} given dOut
     * [outSteps, rows]: each window's gradient, times 1 where its maximum is positive and slope
     * otherwise, goes to the window's first maximum (PyTorch's choice among equal values); a step
     * that is the maximum of several (overlapping) windows sums theirs, in window order; the rest
     * get 0.
     */
    void maxPoolLeakyReluBackward(int inSteps, int outSteps, int rows, int pool, int stride, float slope,
                                  DeviceBuffer in, long inOff, DeviceBuffer dOut, long dOutOff,
                                  DeviceBuffer dIn, long dInOff);

    // ---- loss ----

    /**
     * Masked mean squared error over a rows×cols matrix (rows are (sequence, step) pairs, in either
     * layout, with the matching mask): Σ_r w_r Σ_c (p−t)² / (cols·Σ_r w_r), 0 when Σ w = 0.
     * Waits for the device.
     */
    double mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                   DeviceBuffer rowWeight, long weightOff);

    /** Writes grad = scale · ∂mseLoss/∂pred = scale · 2·w_r·(p−t) / (cols·Σ w). */
    void mseLossBackward(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                         DeviceBuffer rowWeight, long weightOff, float scale, DeviceBuffer grad, long gradOff);

    // ---- device scalars: a training step's loss and norm without waiting for the device ----

    /** New scalars of {@code size} doubles, all zero. */
    DeviceScalars allocateScalars(int size);

    /** Writes {@code values} to dst[dstOff, dstOff + values.length); does not wait for the device. */
    void setScalars(double[] values, DeviceScalars dst, int dstOff);

    /** A host copy of all the scalars; waits for the device. */
    double[] readScalars(DeviceScalars src);

    /**
     * {@link #mseLoss} into out[slot] instead of a return value: the same sums, the same result,
     * without waiting for the device.
     */
    void mseLoss(int rows, int cols, DeviceBuffer pred, long predOff, DeviceBuffer target, long targetOff,
                 DeviceBuffer rowWeight, long weightOff, DeviceScalars out, int slot);

    /**
     * {@link #sumSquares(java.util.List, long[])} into out[slot] instead of a return value: the same
     * sum, without waiting for the device.
     */
    void sumSquares(java.util.List<? extends DeviceBuffer> buffers, long[] counts, DeviceScalars out, int slot);

    /**
     * Global-norm clipping (torch.nn.utils.clip_grad_norm_) with the norm on the device: with
     * ν = √sumSquares[slot] and f = maxNorm / (ν + 1e-6), both in double, scales the first
     * {@code counts[i]} floats of every buffer by (float) f when f &lt; 1 (as {@link #scale} does),
     * and leaves them as they are otherwise (f NaN included).
     */
    void clipByNorm(java.util.List<? extends DeviceBuffer> buffers, long[] counts, double maxNorm,
                    DeviceScalars sumSquares, int slot);

    /** Doubles in the record of {@link #recordBatch}. */
    int BATCH_RECORD = 6;

    /**
     * One training batch's bookkeeping on the device, so that its loss and gradient norm need not
     * come to the host. With ℓ = s[lossSlot] (or {@code hostLoss} when lossSlot &lt; 0) and
     * ν = √s[normSquaresSlot], in the {@link #BATCH_RECORD} doubles from r = {@code record}:
     * s[r] += ℓ·weight when weight &gt; 0 (an epoch's weighted loss sum); s[r+1] = ν (the last norm);
     * and when s[r+2] &lt; 0 (no divergence recorded yet) and ℓ is not finite, or ℓ &gt; lossLimit, or
     * ν is not finite: s[r+2] = batch, s[r+3] = ℓ, s[r+4] = zerosLoss, s[r+5] = ν (the first
     * diverged batch, for its message). A NaN lossLimit never trips.
     */
    void recordBatch(DeviceScalars s, int lossSlot, double hostLoss, double weight, double zerosLoss,
                     double lossLimit, int normSquaresSlot, int batch, int record);

    // ---- soft clustering (DEC / IDEC) ----

    /**
     * Student-t soft assignment of n points z [n, d] to k centroids [k, d] (DEC, Xie et al. 2016):
     * q_ij = (1 + ‖z_i − μ_j‖²/α)^(−(α+1)/2) / Σ_l (same for l). Writes q [n, k].
     */
    void studentTAssign(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                        DeviceBuffer q, long qOff);

    /**
     * DEC's target distribution from q [n, k]: p_ij = (q_ij² / f_j) / Σ_l (q_il² / f_l) with cluster
     * frequencies f_j = Σ_i q_ij over the n rows. Writes p [n, k].
     */
    void decTarget(int n, int k, DeviceBuffer q, long qOff, DeviceBuffer p, long pOff);

    /**
     * KL(P‖Q) averaged over rows: (1/n) Σ_i Σ_j p_ij log(p_ij / q_ij), a term with p_ij = 0 counting
     * 0 (PyTorch's {@code kl_div(q.log(), p, reduction="batchmean")}). Waits for the device.
     */
    double klDivergence(int n, int k, DeviceBuffer p, long pOff, DeviceBuffer q, long qOff);

    /**
     * Adds scale · the gradient of {@link #klDivergence}(p, q(z, μ)) with p held constant: with
     * w_ij = (1 + ‖z_i − μ_j‖²/α)⁻¹ and g_ij = scale·(α+1)/(α·n) · w_ij · (p_ij − q_ij),
     * dz_i += Σ_j g_ij (z_i − μ_j) and dμ_j −= Σ_i g_ij (z_i − μ_j). {@code q} must be
     * {@link #studentTAssign}'s output for the same z and μ.
     */
    void studentTKlBackward(int n, int k, int d, float alpha, DeviceBuffer z, long zOff, DeviceBuffer centroids,
                            DeviceBuffer q, long qOff, DeviceBuffer p, long pOff, float scale,
                            DeviceBuffer dz, long dzOff, DeviceBuffer dCentroids);

    // ---- optimizer ----

    /**
     * One step of torch.optim.Adam (amsgrad off) on n parameters, in place: with weight decay
     * g = grad + wd·p (L2, not AdamW); m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
     * p −= lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε). {@code step} t counts from 1. The
     * hyperparameters are doubles because PyTorch derives its scalars (1−β, the bias corrections)
     * in double and rounds them to float once: 1 − (float) 0.999 is 1.3e-5 away from (float) 0.001.
     */
    void adam(long n, DeviceBuffer param, long paramOff, DeviceBuffer grad, long gradOff,
              DeviceBuffer m, long mOff, DeviceBuffer v, long vOff,
              double lr, double beta1, double beta2, double eps, double weightDecay, int step);

    @Override
    void close();
}
