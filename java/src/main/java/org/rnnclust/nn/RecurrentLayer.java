package org.rnnclust.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * One direction of one layer of a {@link RecurrentStack}, on time-major activations [T, B, ·].
 *
 * <p>Forward: one GEMM projects the inputs of all steps (T·B × G·H); each step then runs one
 * recurrent GEMM (B × G·H) and one fused cell op. The states of all steps stay in {@code states}
 * ([T+1, B, H]): the forward direction keeps the state entering step t in slot t and the one
 * leaving it in slot t+1; the reverse direction runs t = T−1..0 with entering slot t+1 and leaving
 * slot t. Masked (padding) steps carry the state over, so the final slot (T forward, 0 reverse)
 * holds each sequence's state at its last valid step, and the reverse direction starts every
 * sequence from h0 at its own last valid step, as PyTorch's packed sequences do.
 *
 * <p>Backward mirrors it: per step the fused backward op and one GEMM dh += dGates·W_hh, then the
 * weight gradients as GEMMs over all T·B rows: dW_ih += dGatesᵀ·X, dW_hh += dGatesᵀ·H_prev, where
 * the entering states of all steps are contiguous slots of {@code states}.
 *
 * <p>Either time loop may instead run as one backend op
 * ({@link org.rnnclust.backend.RecurrentCellOps#forwardSequence}, {@code backwardSequence}) where
 * the backend has a kernel for it at this shape (a GPU's persistent kernel); it writes the same
 * buffers, so forward and backward may each take either path.
 */
final class RecurrentLayer implements AutoCloseable {
    private final CellType cell;
    private final int in;
    private final int hid;
    private final int gh;
    private final boolean reverse;
    final Parameter wIh;
    final Parameter wHh;
    final Parameter bIh;
    final Parameter bHh;
    private final GrowableBuffer states;
    private final GrowableBuffer cells;
    private final GrowableBuffer workspace;
    /**
     * W_hhᵀ ([H, G·H]) in the backend's layout for per-step GEMMs (TensorOps.prepareStepOperand),
     * refreshed at every forward: the step GEMM h₋·W_hhᵀ then reads its right operand untransposed
     * (OpenBLAS ran that up to 3× faster at H ≤ 64), and on the CPU without repacking it per step.
     */
    private final GrowableBuffer wHhT;
    /** W_hh ([G·H, H]) likewise, refreshed at every backward, for the step GEMM dG·W_hh. */
    private final GrowableBuffer wHhPrepared;
    // What the last forward saw, for backward.
    private int steps;
    private int batch;
    private DeviceBuffer input;
    private boolean zeroInitialState;
    /** Whether the last forward's input was one [B, in] block read at every step. */
    private boolean repeated;

    RecurrentLayer(TensorOps ops, CellType cell, int in, int hid, boolean reverse, String suffix) {
        this.cell = cell;
        this.in = in;
        this.hid = hid;
        this.gh = cell.gates() * hid;
        this.reverse = reverse;
        this.wIh = new Parameter(ops, "weight_ih_" + suffix, gh, in);
        this.wHh = new Parameter(ops, "weight_hh_" + suffix, gh, hid);
        this.bIh = new Parameter(ops, "bias_ih_" + suffix, gh);
        this.bHh = new Parameter(ops, "bias_hh_" + suffix, gh);
        this.states = new GrowableBuffer(ops);
        this.cells = new GrowableBuffer(ops);
        this.workspace = new GrowableBuffer(ops);
        this.wHhT = new GrowableBuffer(ops);
        this.wHhPrepared = new GrowableBuffer(ops);
    }

    List<Parameter> parameters() {
        return List.of(wIh, wHh, bIh, bHh);
    }

    void initUniform(SplittableRandom random, double bound) {
        for (Parameter p : parameters()) p.initUniform(random, bound);
    }

    private long enteringSlot(int t) {
        return (long) (reverse ? t + 1 : t) * batch * hid;
    }

    private long leavingSlot(int t) {
        return (long) (reverse ? t : t + 1) * batch * hid;
    }

    /** Offset in {@link #states()} (and {@link #cells()}) of the state after the last valid step. */
    long finalStateOffset() {
        return reverse ? 0 : (long) steps * batch * hid;
    }

    DeviceBuffer states() {
        return states.ensure(0);
    }

    DeviceBuffer cells() {
        return cells.ensure(0);
    }

    /**
     * @param ops  where the ops are issued: the stack's TensorOps, or a lane of it
     *             ({@link TensorOps#concurrently}); the layer's buffers are allocated by the stack's
     * @param x    [T, B, in], kept (not copied) for backward: it must not change before then; with
     *             {@code repeated}, [B, in], the input of every step
     * @param repeated project x once and read that projection at every step (a step stride of 0:
     *             {@link TensorOps#projectsRepeatedInputOnce}); backward then sums the gate
     *             gradients over the steps before the input's weight and input gradients
     * @param mask [T, B]
     * @param h0   [B, H] at h0Off, or null for zeros; c0 likewise (LSTM)
     * @param y    receives h of step t, row b at yOff + (t·B + b)·ldY
     */
    void forward(TensorOps ops, int steps, int batch, DeviceBuffer x, boolean repeated, DeviceBuffer mask,
                 DeviceBuffer h0, long h0Off, DeviceBuffer c0, long c0Off, DeviceBuffer y, long yOff, int ldY,
                 RecurrentScratch scratch) {
        this.steps = steps;
        this.batch = batch;
        this.input = x;
        this.repeated = repeated;
        this.zeroInitialState = h0 == null;
        long rows = (long) steps * batch;
        long projected = repeated ? batch : rows;
        long bh = (long) batch * hid;
        DeviceBuffer xProj = scratch.xProj.ensure(projected * gh);
        DeviceBuffer hProj = scratch.hProj.ensure((long) batch * gh);
        DeviceBuffer hs = states.ensure((steps + 1) * bh);
        DeviceBuffer cs = cell == CellType.LSTM ? cells.ensure((steps + 1) * bh) : null;
        DeviceBuffer ws = workspace.ensure(rows * cell.workspaceGates() * hid);

        ops.gemm(false, true, Math.toIntExact(projected), gh, in, 1f, x, 0, in, wIh.value(), 0, in, 0f, xProj, 0, gh);
        long init = reverse ? steps * bh : 0;
        setState(ops, hs, init, h0, h0Off, bh);
        if (cs != null) setState(ops, cs, init, c0, c0Off, bh);
        // Where the backend has a kernel for the whole loop at this shape (a GPU's persistent
        // kernel), it writes what the steps below would; the backward below is the same either way.
        // (That kernel reads a projection per step: a repeated input's forward runs the steps.)
        if (cell != CellType.RNN && !repeated && ops.forwardSequence(cell.gates(), steps, batch, hid, reverse, h0 == null, xProj,
                wHh.value(), bIh.value(), bHh.value(), mask, hs, cs, y, yOff, ldY, ws)) {
            return;
        }
        // W_hhᵀ, the right operand of every step's GEMM, laid out once for the whole loop.
        DeviceBuffer whT = wHhT.ensure(TensorOps.preparedStepOperandSize(hid, gh));
        ops.prepareStepOperand(true, hid, gh, wHh.value(), 0, hid, whT);

        // Batch rows never interact in the recurrence: the time loop runs on row ranges, possibly
        // at the same time, each range with its rows of every buffer. On a GPU the loop is one
        // recorded graph per shape (TensorOps.capturedByKey), replayed instead of 2·T launches. The
        // key names everything the loop issues: this layer (its cell, sizes, direction and
        // parameter buffers, all fixed), the shape, and every buffer and offset passed in; the
        // GrowableBuffers hand out the same buffer objects until they grow, so a key repeats from
        // the second batch of a shape on.
        Object key = Arrays.asList(this, "forward", steps, batch, h0 == null, repeated, xProj, hProj, whT, hs, cs,
                ws, mask, y, yOff, ldY);
        ops.capturedByKey(key, () -> ops.forEachRowRange(batch,
                rowWork(steps), (lane, b0, b1) -> forwardSteps(lane, b0, b1 - b0, xProj, repeated, hProj, whT, hs, cs,
                        ws, mask, h0 == null, y, yOff, ldY)));
    }

    /** About the flops of one batch row through all steps of forward or backward (the GEMMs). */
    private long rowWork(int steps) {
        return 2L * steps * gh * (hid + 8);
    }

    /** The time loop of forward for batch rows [b0, b0 + nb), issued on {@code lane}. */
    private void forwardSteps(TensorOps lane, int b0, int nb, DeviceBuffer xProj, boolean repeated, DeviceBuffer hProj,
                              DeviceBuffer whT, DeviceBuffer hs, DeviceBuffer cs, DeviceBuffer ws, DeviceBuffer mask, boolean zeroH0,
                              DeviceBuffer y, long yOff, int ldY) {
        int wsg = cell.workspaceGates() * hid;
        long hpo = (long) b0 * gh;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            long row = (long) t * batch + b0;
            long prev = enteringSlot(t) + (long) b0 * hid;
            long next = leavingSlot(t) + (long) b0 * hid;
            if (s == 0 && zeroH0) {
                lane.zero(hProj, hpo, (long) nb * gh);
            } else {
                lane.stepGemmPrepared(nb, gh, hid, 1f, hs, prev, hid, whT, 0f, hProj, hpo, gh);
            }
            // A repeated input's projection is one [B, G·H] block that every step reads.
            long xo = repeated ? (long) b0 * gh : row * gh;
            long mo = row;
            long yo = yOff + row * ldY;
            long wo = row * wsg;
            switch (cell) {
                case LSTM -> lane.lstmForward(nb, hid, xProj, xo, hProj, hpo, bIh.value(), bHh.value(), mask, mo,
                        hs, prev, cs, prev, hs, next, cs, next, y, yo, ldY, ws, wo);
                case GRU -> lane.gruForward(nb, hid, xProj, xo, hProj, hpo, bIh.value(), bHh.value(), mask, mo,
                        hs, prev, hs, next, y, yo, ldY, ws, wo);
                case RNN -> lane.rnnTanhForward(nb, hid, xProj, xo, hProj, hpo, bIh.value(), bHh.value(), mask, mo,
                        hs, prev, hs, next, y, yo, ldY);
            }
        }
    }

    private static void setState(TensorOps ops, DeviceBuffer dst, long dstOff, DeviceBuffer src, long srcOff, long n) {
        if (src == null) {
            ops.zero(dst, dstOff, n);
        } else {
            ops.copy(src, srcOff, dst, dstOff, n);
        }
    }

    /**
     * Adds this layer's parameter gradients and leaves the gate gradients in {@code scratch} for
     * {@link #inputGradient}, which must follow before the scratch is used again.
     *
     * @param ops where the ops are issued, as in {@link #forward}
     * @param dY  gradient of the outputs, row b of step t at dYOff + (t·B + b)·ldY; null for none
     * @param dhN gradient of the final state [B, H] at dhNOff, or null; dcN likewise (LSTM)
     * @param dh0 receives the gradient of the initial state, or null; dc0 likewise
     */
    void backward(TensorOps ops, DeviceBuffer dY, long dYOff, int ldY, DeviceBuffer dhN, long dhNOff, DeviceBuffer dcN,
                  long dcNOff, DeviceBuffer dh0, long dh0Off, DeviceBuffer dc0, long dc0Off, DeviceBuffer mask,
                  RecurrentScratch scratch) {
        if (input == null) throw new IllegalStateException("backward before forward");
        long rows = (long) steps * batch;
        long bh = (long) batch * hid;
        DeviceBuffer dgi = scratch.dGatesIh.ensure(rows * gh);
        // LSTM and RNN gates get the same gradient from both weight sides; GRU's n-gate does not.
        DeviceBuffer dgh = cell == CellType.GRU ? scratch.dGatesHh.ensure(rows * gh) : dgi;
        DeviceBuffer dh = scratch.dh.ensure(bh);
        DeviceBuffer dc = cell == CellType.LSTM ? scratch.dc.ensure(bh) : null;
        DeviceBuffer hs = states.ensure(0);
        DeviceBuffer cs = cell == CellType.LSTM ? cells.ensure(0) : null;
        DeviceBuffer ws = workspace.ensure(0);
        setState(ops, dh, 0, dhN, dhNOff, bh);
        if (dc != null) setState(ops, dc, 0, dcN, dcNOff, bh);

        boolean needDh0 = dh0 != null;
        // As in forward: a backend's kernel for the whole loop, where it has one for this shape.
        boolean whole = cell != CellType.RNN && ops.backwardSequence(cell.gates(), steps, batch, hid, reverse, needDh0,
                ws, mask, hs, cs, dY, dYOff, ldY, wHh.value(), dh, dc, dgi, dgh);
        if (!whole) {
            // W_hh, the right operand of every step's GEMM, laid out once for the whole loop.
            DeviceBuffer wh = wHhPrepared.ensure(TensorOps.preparedStepOperandSize(gh, hid));
            ops.prepareStepOperand(false, gh, hid, wHh.value(), 0, hid, wh);
            Object key = Arrays.asList(this, "backward", steps, batch, needDh0, ws, mask, hs, cs, dY, dYOff, ldY, dh,
                    dc, dgi, dgh, wh);
            ops.capturedByKey(key, () -> ops.forEachRowRange(batch,
                    rowWork(steps), (lane, b0, b1) -> backwardSteps(lane, b0, b1 - b0, ws, mask, hs, cs, dY, dYOff,
                            ldY, dh, dc, dgi, dgh, wh, needDh0)));
        }
        if (dh0 != null) ops.copy(dh, 0, dh0, dh0Off, bh);
        if (dc0 != null && dc != null) ops.copy(dc, 0, dc0, dc0Off, bh);

        int r = Math.toIntExact(rows);
        if (repeated) {
            // dW_ih += Σ_t dGates_tᵀ·x = (Σ_t dGates_t)ᵀ·x: the steps' gate gradients summed first
            // ([T, B·G·H] column sums), then one GEMM over the B rows of x.
            DeviceBuffer sum = stepSum(ops, scratch);
            ops.gemm(true, false, gh, in, batch, 1f, sum, 0, gh, input, 0, in, 1f, wIh.grad(), 0, in);
        } else {
            ops.gemm(true, false, gh, in, r, 1f, dgi, 0, gh, input, 0, in, 1f, wIh.grad(), 0, in);
        }
        // dW_hh: the step whose entering state is a zero h0 (t = 0 forward, T−1 reverse) adds nothing.
        int skip = zeroInitialState ? batch : 0;
        long dghFirst = reverse ? 0 : (long) skip * gh;
        long enteringFirst = reverse || skip > 0 ? bh : 0;
        if (r > skip) {
            ops.gemm(true, false, gh, hid, r - skip, 1f, dgh, dghFirst, gh, hs, enteringFirst, hid, 1f,
                    wHh.grad(), 0, hid);
        }
        if (dgh == dgi) {
            // One column sum serves both biases.
            DeviceBuffer sum = scratch.biasGrad.ensure(gh);
            ops.zero(sum, 0, gh);
            ops.addColumnSums(r, gh, dgi, 0, gh, sum, 0);
            ops.axpy(gh, 1f, sum, 0, bIh.grad(), 0);
            ops.axpy(gh, 1f, sum, 0, bHh.grad(), 0);
        } else {
            ops.addColumnSums(r, gh, dgi, 0, gh, bIh.grad(), 0);
            ops.addColumnSums(r, gh, dgh, 0, gh, bHh.grad(), 0);
        }
    }

    /**
     * Writes (or adds, with {@code accumulate}) the input gradient dX [T, B, in] = dGates·W_ih from
     * the gate gradients that the last {@link #backward} left in {@code scratch}. Apart from it, since
     * the directions of a layer add into one dX and the sum's order fixes its bits.
     */
    void inputGradient(TensorOps ops, DeviceBuffer dX, boolean accumulate, RecurrentScratch scratch) {
        if (repeated) {
            // The input of every step is the same [B, in] block: its gradient is Σ_t dX_t = (Σ_t dGates_t)·W_ih.
            ops.gemm(false, false, batch, in, gh, 1f, scratch.dGatesStepSum.ensure(0), 0, gh, wIh.value(), 0, in,
                    accumulate ? 1f : 0f, dX, 0, in);
            return;
        }
        int r = Math.toIntExact((long) steps * batch);
        ops.gemm(false, false, r, in, gh, 1f, scratch.dGatesIh.ensure(0), 0, gh, wIh.value(), 0, in,
                accumulate ? 1f : 0f, dX, 0, in);
    }

    /** Σ_t of the input-side gate gradients in scratch, [B, G·H] (a repeated input's backward). */
    private DeviceBuffer stepSum(TensorOps ops, RecurrentScratch scratch) {
        int cols = Math.toIntExact((long) batch * gh);
        DeviceBuffer sum = scratch.dGatesStepSum.ensure(cols);
        ops.zero(sum, 0, cols);
        ops.addColumnSums(steps, cols, scratch.dGatesIh.ensure(0), 0, cols, sum, 0);
        return sum;
    }

    /** The time loop of backward for batch rows [b0, b0 + nb), issued on {@code lane}. */
    private void backwardSteps(TensorOps lane, int b0, int nb, DeviceBuffer ws, DeviceBuffer mask, DeviceBuffer hs,
                               DeviceBuffer cs, DeviceBuffer dY, long dYOff, int ldY, DeviceBuffer dh, DeviceBuffer dc,
                               DeviceBuffer dgi, DeviceBuffer dgh, DeviceBuffer wh, boolean needDh0) {
        int wsg = cell.workspaceGates() * hid;
        long so = (long) b0 * hid;
        for (int s = 0; s < steps; s++) {
            int t = reverse ? s : steps - 1 - s;
            long row = (long) t * batch + b0;
            long prev = enteringSlot(t) + so;
            long next = leavingSlot(t) + so;
            long go = row * gh;
            long mo = row;
            long yo = dYOff + row * ldY;
            long wo = row * wsg;
            switch (cell) {
                case LSTM -> lane.lstmBackward(nb, hid, ws, wo, mask, mo, cs, prev, cs, next,
                        dY, yo, ldY, dh, so, dc, so, dgi, go);
                case GRU -> lane.gruBackward(nb, hid, ws, wo, mask, mo, hs, prev, dY, yo, ldY, dh, so,
                        dgi, go, dgh, go);
                case RNN -> lane.rnnTanhBackward(nb, hid, mask, mo, hs, next, dY, yo, ldY, dh, so, dgi, go);
            }
            // The last step's recurrent GEMM only feeds dh0.
            if (s < steps - 1 || needDh0) {
                lane.stepGemmPrepared(nb, hid, gh, 1f, dgh, go, gh, wh, 1f, dh, so, hid);
            }
        }
    }

    @Override
    public void close() {
        for (Parameter p : parameters()) p.close();
        states.close();
        cells.close();
        workspace.close();
        wHhT.close();
        wHhPrepared.close();
    }
}
