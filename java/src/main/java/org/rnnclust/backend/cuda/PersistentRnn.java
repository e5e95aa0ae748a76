package org.rnnclust.backend.cuda;

import java.util.Locale;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent LSTM/GRU forward and backward of kernels/rnn_persist.cu (one launch for all T
 * steps of one direction of a layer; the kernels' notes say how they split the work): whether a
 * shape runs them, how the grid is cut, and the cooperative launch.
 *
 * <p><b>The rule.</b> {@code -Drnnclust.cuda.rnn=auto} runs a persistent kernel where it
 * {@linkplain #plan fits} and is {@linkplain Plan#preferred preferred}, the per-step path (a cuBLAS
 * GEMM and a cell kernel per step, replayed as a CUDA graph) elsewhere, for the forward and the
 * backward loop each; {@code persistent} runs it wherever it fits; {@code stepwise}, for now the
 * default, never: the kernels have run only in the host emulation of native/kernel-check so far,
 * and the per-step path's results stay as they were until a GPU session has checked them
 * (PersistentRnnCudaTest, ci/persist-gpu-check.sh) and timed both paths; then auto becomes the
 * default.
 *
 * <p>"Fits": every block must be resident at once (the grid barrier waits for all of them), so the
 * grid is at most one block per SM, and each block's W_hh rows — at least G·⌈H/SMs⌉ rows of H
 * floats — plus one staged row must fit the shared memory one block may have (227 KiB on an H100,
 * 163 KiB on an A100): up to H ≈ 1300 for an LSTM on an H100, ≈ 1000 on an A100.
 *
 * <p>"Preferred": per step the per-step path pays two graph nodes (a few µs each at small sizes,
 * however small the GEMM), the persistent kernel a grid barrier (1–2 µs) plus its blocks'
 * products, which run from shared memory at about one load per multiply-add, one warp-wide load
 * per clock per SM, so at a quarter or less of the SM's FMA rate (W_hh is not held in registers,
 * as Diamos et al.'s kernels hold it). A block's step costs about L/32 clocks for
 * L = items·H·(G+1) loads forward (items = its batch rows × units; each term reads a W_hh value
 * and, once per G terms, a state value) and L = items·2·G·H backward (a W_hh value and a gate
 * gradient per term); with one block per SM, L ≈ B·H²·(G+1)/SMs whatever the cut. Up to 2^19 loads
 * (16k clocks, about 9 µs at 1.75 GHz) the persistent kernel is preferred. That puts the anchor
 * shapes LSTM (B, H) = (256, 128), (64, 256), (32, 64) and GRU (256, 128), at most 2^18 loads per
 * step and direction on an H100, on the persistent side with a factor 2 to spare, and LSTM
 * (512, 256), at 1.3M (forward) and 2.1M (backward) loads — where cuBLAS runs each step's GEMM of
 * 134M multiply-adds in about 5 µs — on the per-step side by as much. The bound is an estimate from
 * these counts, not a measurement: a GPU session measures both paths ({@code persistent},
 * {@code stepwise}) at those shapes and moves it.
 */
final class PersistentRnn implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PersistentRnn.class);

    /** The system property that picks the path: auto, persistent or stepwise. */
    static final String PROPERTY = "rnnclust.cuda.rnn";
    /** The module (kernels/NAME.cu) of the kernels. */
    static final String MODULE = "rnn_persist";
    /** Threads of a block at most (fewer where a block has fewer items). */
    static final int THREADS = 256;
    /** Shared-memory loads of the products per block and step up to which the persistent kernel is preferred. */
    static final long PREFERRED_BLOCK_STEP_LOADS = 1L << 19;

    /** Which path {@link org.rnnclust.backend.RecurrentCellOps#forwardSequence} takes. */
    enum Mode {
        AUTO, PERSISTENT, STEPWISE;

        /** The mode the system property names; stepwise when it is unset or names none (which is logged). */
        static Mode fromProperty() {
            String v = System.getProperty(PROPERTY);
            if (v == null || v.isBlank()) return STEPWISE;
            try {
                return valueOf(v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOG.warn("{}={} is not auto, persistent or stepwise; using stepwise", PROPERTY, v);
                return STEPWISE;
            }
        }
    }

    /** The kernels and their parameter lists, as {@link RnnKernels} (RnnKernelsTest checks both). */
    enum Kernel {
        lstmPersistForward("iiiiiiiiippppppppipp"),
        gruPersistForward("iiiiiiiiippppppppipp"),
        lstmPersistBackward("iiiiiiiiipppppipppppp"),
        gruPersistBackward("iiiiiiiiipppppipppppp");

        final String signature;

        Kernel(String signature) {
            this.signature = signature;
        }
    }

    /**
     * How one launch cuts the work: block i takes units [(i mod unitSlices)·units, +units) and
     * batch rows [(i div unitSlices)·rowsPerSlice, +rowsPerSlice), both cut short at the end.
     *
     * @param kSplit      threads per (row, unit) item, summing interleaved parts of the hidden size
     * @param chunkRows   batch rows whose states a block stages in shared memory at a time
     * @param sharedBytes dynamic shared memory per block
     * @param preferred   whether the rule above prefers this kernel to the per-step path
     */
    record Plan(int units, int unitSlices, int rowsPerSlice, int batchSlices, int kSplit, int chunkRows, int threads,
                int sharedBytes, boolean preferred) {
        int grid() {
            return unitSlices * batchSlices;
        }
    }

    /**
     * The cut of a persistent forward ({@code backward} false) or backward launch for G =
     * {@code gates} and this shape on a GPU with {@code multiprocessors} SMs and
     * {@code sharedBytesPerBlock} of shared memory a block may opt into; null where it does not fit
     * (see the class note). The forward's products run over H (a block holds G·units rows of W_hh,
     * each term reads a W_hh value and, once per G terms, a state value); the backward's over G·H
     * (a block holds units columns of W_hh, each term reads a W_hh value and a gate gradient).
     *
     * <p>With one block per SM, a block's products cost the same however the grid is cut (its
     * items, batch rows × units, are about B·H/SMs either way), but each block stages, every step,
     * the rows it takes of what all blocks wrote the step before (from L2, at half the rate of a
     * shared-memory load): few units per block means many rows each. So the cut with the least
     * products-plus-staging per block wins: as many units per block as shared memory holds and the
     * batch cut among the rest — e.g. LSTM B = 256, H = 128 on an H100: 2 × 64 blocks of 64 units
     * and 4 rows (staging 4 rows a step), not 128 blocks of 1 unit and 256 rows.
     */
    static Plan plan(int gates, int batch, int hidden, int multiprocessors, int sharedBytesPerBlock, boolean backward) {
        if (batch <= 0 || hidden <= 0 || multiprocessors <= 0) return null;
        int length = backward ? gates * hidden : hidden;
        int rowsPerUnit = backward ? 1 : gates;
        long floats = sharedBytesPerBlock / Float.BYTES;
        Plan best = null;
        long bestCost = Long.MAX_VALUE;
        int lastUnits = 0;
        // From one unit per block (as many unit slices as SMs allow) to as many as shared memory holds.
        for (int slices = Math.min(hidden, multiprocessors); slices >= 1; slices--) {
            int units = ceilDiv(hidden, slices);
            if (units == lastUnits) continue;
            lastUnits = units;
            int unitSlices = ceilDiv(hidden, units);
            int batchSlices = Math.max(1, Math.min(multiprocessors / unitSlices, batch));
            int rowsPerSlice = ceilDiv(batch, batchSlices);
            batchSlices = ceilDiv(batch, rowsPerSlice);
            long items = (long) rowsPerSlice * units;
            // Few items: several threads share each one's dot products (each at least 4 terms).
            int kSplit = 1;
            while (kSplit < 32 && items * kSplit * 2 <= THREADS && kSplit * 8 <= length) kSplit *= 2;
            int threads = (int) Math.min(THREADS, ceilDiv(items * kSplit, 32) * 32);
            long ld = ceilDiv(length, 32) * 32L + kSplit % 32;  // persistStride in rnn_persist.cu
            long weights = (long) rowsPerUnit * units * ld;
            long rowsThatFit = (floats - weights) / ld;
            if (rowsThatFit < 1) break;  // more units per block fit even less
            int chunkRows = (int) Math.min(rowsPerSlice, rowsThatFit);
            int sharedBytes = (int) ((weights + chunkRows * ld) * Float.BYTES);
            long products = backward ? items * 2L * length : items * hidden * (gates + 1);
            long cost = products + 3L * rowsPerSlice * length;
            if (cost < bestCost) {
                bestCost = cost;
                best = new Plan(units, unitSlices, rowsPerSlice, batchSlices, kSplit, chunkRows, threads, sharedBytes,
                        products <= PREFERRED_BLOCK_STEP_LOADS);
            }
        }
        return best;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private final CudaContext ctx;
    private final CUstream_st stream;
    private final boolean cooperative;
    private KernelModule module;
    private final CUfunc_st[] functions = new CUfunc_st[Kernel.values().length];
    /** The grid barrier's count and generation (two unsigned ints), zero at first. */
    private DeviceMemory barrier;
    private final LongPointer[] argSlots = new LongPointer[Kernel.lstmPersistBackward.signature.length()];
    private final PointerPointer<LongPointer> args = new PointerPointer<>(argSlots.length);
    private long launches;
    private boolean refusalLogged;

    /** Loads the kernels into {@code ctx} (current on this thread) for launches on {@code stream}. */
    PersistentRnn(CudaContext ctx, CUstream_st stream) {
        this.ctx = ctx;
        this.stream = stream;
        int[] coop = new int[1];
        Cuda.check("cudaDeviceGetAttribute(cooperative launch)",
                cudart.cudaDeviceGetAttribute(coop, cudart.cudaDevAttrCooperativeLaunch, ctx.device()));
        this.cooperative = coop[0] != 0;
        for (int i = 0; i < argSlots.length; i++) {
            argSlots[i] = new LongPointer(1);
            args.put(i, argSlots[i]);
        }
        try {
            module = KernelModule.load(MODULE, ctx.major(), ctx.minor());
            for (Kernel k : Kernel.values()) {
                CUfunc_st f = module.function(k.name());
                // Past 48 KiB a block's dynamic shared memory must be asked for.
                Cuda.checkDriver("cuFuncSetAttribute(" + k.name() + ", max dynamic shared memory)",
                        cudart.cuFuncSetAttribute(f, cudart.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                ctx.maxSharedOptin()));
                functions[k.ordinal()] = f;
            }
            barrier = new DeviceMemory(2 * Integer.BYTES, "persistent RNN grid barrier");
            // On the launches' stream: a non-blocking stream does not wait for the default stream's work.
            Cuda.check("cudaMemsetAsync(grid barrier)",
                    cudart.cudaMemsetAsync(DeviceMemory.pointerAt(barrier.address()), 0, 2 * Integer.BYTES, stream));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Persistent launches issued so far (tests: that the path ran). */
    long launches() {
        return launches;
    }

    /**
     * Issues the whole forward loop on the stream, as {@code plan} (a forward plan) cuts it; false,
     * having issued nothing, where this device cannot run the grid cooperatively (then the caller
     * runs the steps). Addresses are of the first element each kernel parameter names
     * (rnn_persist.cu).
     */
    boolean forward(Plan plan, int gates, int steps, int batch, int hidden, boolean reverse, boolean zeroH0,
                    long xProj, long wHh, long biasIh, long biasHh, long mask, long states, long cells, long out,
                    int ldOut, long ws) {
        return launch(gates == 4 ? Kernel.lstmPersistForward : Kernel.gruPersistForward, plan, steps, batch, hidden,
                reverse ? 1 : 0, zeroH0 ? 1 : 0, plan.units(), plan.rowsPerSlice(), plan.kSplit(), plan.chunkRows(),
                xProj, wHh, biasIh, biasHh, mask, states, cells, out, ldOut, ws, barrier.address());
    }

    /**
     * Issues the whole backward loop on the stream, as {@link #forward} the forward (dOut 0 for
     * none; for LSTM, dGatesHh may be dGatesIh and cells is read, for GRU dc is unused).
     */
    boolean backward(Plan plan, int gates, int steps, int batch, int hidden, boolean reverse, boolean needDh0, long ws,
                     long mask, long states, long cells, long dOut, int ldDOut, long wHh, long dh, long dc,
                     long dGatesIh, long dGatesHh) {
        return launch(gates == 4 ? Kernel.lstmPersistBackward : Kernel.gruPersistBackward, plan, steps, batch, hidden,
                reverse ? 1 : 0, needDh0 ? 1 : 0, plan.units(), plan.rowsPerSlice(), plan.kSplit(), plan.chunkRows(),
                ws, mask, states, cells, dOut, ldDOut, wHh, dh, dc, dGatesIh, dGatesHh, barrier.address());
    }

    private boolean launch(Kernel k, Plan plan, Object... values) {
        CUfunc_st f = functions[k.ordinal()];
        if (!cooperative) return refused("this GPU has no cooperative launch");
        int[] perSm = new int[1];
        Cuda.checkDriver("cuOccupancyMaxActiveBlocksPerMultiprocessor(" + k.name() + ")",
                cudart.cuOccupancyMaxActiveBlocksPerMultiprocessor(perSm, f, plan.threads(), plan.sharedBytes()));
        if ((long) perSm[0] * ctx.multiprocessors() < plan.grid()) {
            return refused(plan.grid() + " blocks of " + plan.threads() + " threads and " + plan.sharedBytes()
                    + " bytes of shared memory are not all resident at once");
        }
        long[] slots = KernelArgs.encode(k.name(), k.signature, values);
        for (int i = 0; i < slots.length; i++) argSlots[i].put(0, slots[i]);
        int res = cudart.cuLaunchCooperativeKernel(f, plan.grid(), 1, 1, plan.threads(), 1, 1, plan.sharedBytes(),
                stream, args);
        if (res == cudart.CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE) {
            return refused("the driver refused a cooperative grid of " + plan.grid() + " blocks");
        }
        Cuda.checkDriver("cuLaunchCooperativeKernel(" + k.name() + ")", res);
        launches++;
        if (DEBUG_SYNC) ctx.synchronize(stream, "after " + k.name());
        return true;
    }

    /** -Drnnclust.cuda.sync=true: synchronise after every launch, so that an error names its kernel. */
    private static final boolean DEBUG_SYNC = Boolean.getBoolean("rnnclust.cuda.sync");

    private boolean refused(String why) {
        if (!refusalLogged) {
            refusalLogged = true;
            LOG.info("persistent recurrent kernel not run ({}); the layer runs step by step", why);
        }
        return false;
    }

    @Override
    public void close() {
        Resources.closeAll(barrier, module, () -> Resources.closeAll(argSlots), args);
    }
}
