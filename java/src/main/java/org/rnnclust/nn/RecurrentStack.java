package org.rnnclust.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * A multi-layer, optionally bidirectional RNN, LSTM or GRU: the function of PyTorch's
 * {@code nn.RNN/LSTM/GRU(batch_first=True)} applied to a {@code pack_padded_sequence(...,
 * enforce_sorted=False)} batch, with forward and backward (BPTT) on a {@link TensorOps} device.
 *
 * <p>Parameters have PyTorch's names, shapes and order ({@code weight_ih_l0}, {@code
 * weight_hh_l0}, {@code bias_ih_l0}, {@code bias_hh_l0}, then {@code ..._l0_reverse}, then layer
 * 1, ...); layer k > 0 reads the H·directions outputs of layer k−1. They start as PyTorch's
 * default U(−1/√H, 1/√H), drawn from {@code new SplittableRandom(seed)} in that order, each
 * tensor row-major.
 *
 * <p>Shapes: B sequences of T steps (the {@link SequenceMask}); input [B, T, I]; output [B, T,
 * H·dirs] with zeros at padding steps; initial and final states [L·dirs, B, H] (PyTorch's h_n
 * layout, index layer·dirs + direction), the final one being each sequence's state at its last
 * valid step. {@link #forwardTimeMajor} and {@link #backwardTimeMajor} take [T, B, ·] instead,
 * the layout used inside (each step's rows contiguous), which saves two transposes.
 *
 * <p>A layer of dilation d > 1 ({@link RecurrentSpec#dilations}) runs its cell over the d
 * interleaved sub-sequences of each sequence: in the time-major layout, [T, B, ·] read as
 * [T/d, d·B, ·] is exactly that batch of sub-sequences (row r·B + b at step t' is step t'·d + r of
 * sequence b), and the [T, B] mask read the same way is theirs, so the layer is the ordinary one
 * on a reshaped view, with no copy. T is padded to a multiple of every dilation
 * ({@link RecurrentSpec#paddedSteps}). Such a layer's final state, for a sequence, is that of the
 * sub-sequence holding the sequence's last valid step (forward) or its first step (reverse);
 * initial states are not supported there.
 *
 * <p>Forward keeps what backward needs (inputs and states of every layer) until the next forward;
 * {@link #backward} uses the last forward's batch. Gradients accumulate into the parameters'
 * gradient buffers ({@link Module#zeroGrad} clears them).
 */
public final class RecurrentStack implements Module {
    private final TensorOps ops;
    private final RecurrentSpec spec;
    private final RecurrentLayer[][] layers;  // [layer][direction]
    private final List<Parameter> parameters;
    /**
     * Scratch of the layers, one set per direction where the backend may run the two directions
     * at once ({@link TensorOps#concurrently}); otherwise all layers and directions share [0].
     */
    private final RecurrentScratch[] scratch;
    private final GrowableBuffer input;      // [T, B, I], the copy that layer 0 keeps for backward
    private final GrowableBuffer[] outputs;  // per layer, [T, B, H·dirs]
    private final GrowableBuffer gradA;      // ping-pong gradients of layer outputs/inputs
    private final GrowableBuffer gradB;
    private final GrowableBuffer gradInput;  // [T, B, I] before the transpose to the caller's layout
    private final GrowableBuffer paddedMask;   // the [T, B] mask with zero padding steps, for dilated layers
    private final GrowableBuffer[] dilatedState; // per direction as scratch, [2·d·B, H]: a dilated layer's final-state gradients
    private SequenceMask mask;
    private int[] lengths;
    /** Whether the last forward's input was one [B, I] block that layer 0 projected once ({@link #forwardRepeated}). */
    private boolean repeated;
    /** Whether the last forward was {@link #forwardRepeated}, which only {@link #backwardRepeated} follows. */
    private boolean fromRepeated;

    public RecurrentStack(TensorOps ops, RecurrentSpec spec, long seed) {
        this.ops = ops;
        this.spec = spec;
        int dirs = spec.directions();
        this.layers = new RecurrentLayer[spec.layers()][dirs];
        List<Parameter> params = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(spec.hiddenSize());
        for (int l = 0; l < spec.layers(); l++) {
            int in = l == 0 ? spec.inputSize() : spec.outputSize();
            for (int d = 0; d < dirs; d++) {
                String suffix = "l" + l + (d == 1 ? "_reverse" : "");
                RecurrentLayer layer = new RecurrentLayer(ops, spec.cell(), in, spec.hiddenSize(), d == 1, suffix);
                layer.initUniform(random, bound);
                layers[l][d] = layer;
                params.addAll(layer.parameters());
            }
        }
        this.parameters = Collections.unmodifiableList(params);
        // GrowableBuffers allocate at first use: an unused direction's scratch costs nothing.
        this.scratch = new RecurrentScratch[dirs];
        this.dilatedState = new GrowableBuffer[dirs];
        for (int d = 0; d < dirs; d++) {
            scratch[d] = new RecurrentScratch(ops);
            dilatedState[d] = new GrowableBuffer(ops);
        }
        this.input = new GrowableBuffer(ops);
        this.outputs = new GrowableBuffer[spec.layers()];
        for (int l = 0; l < outputs.length; l++) outputs[l] = new GrowableBuffer(ops);
        this.gradA = new GrowableBuffer(ops);
        this.gradB = new GrowableBuffer(ops);
        this.gradInput = new GrowableBuffer(ops);
        this.paddedMask = new GrowableBuffer(ops);
    }

    public RecurrentStack(TensorOps ops, CellType cell, int inputSize, int hiddenSize, int layers,
                          boolean bidirectional, long seed) {
        this(ops, new RecurrentSpec(cell, inputSize, hiddenSize, layers, bidirectional), seed);
    }

    public RecurrentSpec spec() {
        return spec;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Floats in a [L·dirs, B, H] state for a batch of B. */
    public long stateSize(int batch) {
        return (long) spec.layers() * spec.directions() * batch * spec.hiddenSize();
    }

    /**
     * Runs the stack on a batch-major input.
     *
     * @param x    [B, T, I]
     * @param mask lengths of the B sequences and T; must stay unchanged until backward
     * @param h0   [L·dirs, B, H] initial hidden state, or null for zeros
     * @param c0   initial cell state (LSTM only), or null for zeros
     * @param out  receives [B, T, H·dirs], or null
     * @param hN   receives the final hidden state [L·dirs, B, H], or null
     * @param cN   receives the final cell state (LSTM only), or null
     */
    public void forward(DeviceBuffer x, SequenceMask mask, DeviceBuffer h0, DeviceBuffer c0,
                        DeviceBuffer out, DeviceBuffer hN, DeviceBuffer cN) {
        int batch = mask.batch();
        int steps = mask.steps();
        DeviceBuffer x0 = input.ensure((long) spec.paddedSteps(steps) * batch * spec.inputSize());
        ops.transpose01(batch, steps, spec.inputSize(), x, 0, x0, 0);
        zeroPadding(x0, steps, batch, spec.inputSize());
        repeated = false;
        fromRepeated = false;
        run(mask, h0, c0, hN, cN);
        if (out != null) ops.transpose01(steps, batch, spec.outputSize(), lastOutput(), 0, out, 0);
    }

    /** {@link #forward} with x [T, B, I] and out [T, B, H·dirs]. */
    public void forwardTimeMajor(DeviceBuffer x, SequenceMask mask, DeviceBuffer h0, DeviceBuffer c0,
                                 DeviceBuffer out, DeviceBuffer hN, DeviceBuffer cN) {
        long n = (long) mask.steps() * mask.batch() * spec.inputSize();
        DeviceBuffer x0 = input.ensure((long) spec.paddedSteps(mask.steps()) * mask.batch() * spec.inputSize());
        ops.copy(x, 0, x0, 0, n);
        zeroPadding(x0, mask.steps(), mask.batch(), spec.inputSize());
        repeated = false;
        fromRepeated = false;
        run(mask, h0, c0, hN, cN);
        if (out != null) ops.copy(lastOutput(), 0, out, 0, (long) mask.steps() * mask.batch() * spec.outputSize());
    }

    /**
     * {@link #forwardTimeMajor} of z [B, I] repeated at every step (a sequence autoencoder's decoder
     * input), zero initial states, out [T, B, H·dirs]; {@link #backwardRepeated} follows it. Where
     * the backend asks for it ({@link TensorOps#projectsRepeatedInputOnce}) and no layer is dilated,
     * layer 0 projects z once and every step reads that projection; otherwise z is copied to every
     * step ({@link TensorOps#repeat}) and the stack runs as on any input.
     */
    public void forwardRepeated(DeviceBuffer z, SequenceMask mask, DeviceBuffer out) {
        int batch = mask.batch();
        int steps = mask.steps();
        long bi = (long) batch * spec.inputSize();
        repeated = ops.projectsRepeatedInputOnce() && !spec.dilated();
        fromRepeated = true;
        if (repeated) {
            ops.copy(z, 0, input.ensure(bi), 0, bi);
        } else {
            DeviceBuffer x0 = input.ensure((long) spec.paddedSteps(steps) * bi);
            ops.repeat(steps, bi, z, 0, x0, 0);
            zeroPadding(x0, steps, batch, spec.inputSize());
        }
        run(mask, null, null, null, null);
        if (out != null) ops.copy(lastOutput(), 0, out, 0, (long) steps * batch * spec.outputSize());
    }

    /**
     * Backpropagates through the last {@link #forwardRepeated}: adds every parameter's gradient,
     * and adds the gradient of z, Σ_t dX_t, to dZ [B, I].
     *
     * @param dOut gradient of the output [T, B, H·dirs] (padding steps are ignored)
     */
    public void backwardRepeated(DeviceBuffer dOut, DeviceBuffer dZ) {
        requireForward();
        if (!fromRepeated) throw new IllegalStateException("backwardRepeated after a forward of another kind");
        int steps = mask.steps();
        int batch = mask.batch();
        DeviceBuffer dTop = gradA.ensure(topGradSize());
        ops.copy(dOut, 0, dTop, 0, (long) steps * batch * spec.outputSize());
        zeroPadding(dTop, steps, batch, spec.outputSize());
        if (repeated) {
            propagate(dTop, null, null, dZ, null, null);
            return;
        }
        // z was copied to every step: its gradient is the sum over steps ([T, B·I] column sums).
        int bi = Math.toIntExact((long) batch * spec.inputSize());
        DeviceBuffer dIn = gradInput.ensure((long) spec.paddedSteps(steps) * bi);
        propagate(dTop, null, null, dIn, null, null);
        ops.addColumnSums(steps, bi, dIn, 0, bi, dZ, 0);
    }

    private DeviceBuffer lastOutput() {
        return outputs[spec.layers() - 1].ensure(0);
    }

    /** Zeroes rows [steps, paddedSteps) of a [paddedSteps, B, width] buffer (none without dilation). */
    private void zeroPadding(DeviceBuffer buf, int steps, int batch, int width) {
        int padded = spec.paddedSteps(steps);
        if (padded > steps) ops.zero(buf, (long) steps * batch * width, (long) (padded - steps) * batch * width);
    }

    /** The time-major mask the layers read: the batch's own, or with zero rows up to the padded steps. */
    private DeviceBuffer layerMask() {
        int steps = mask.steps();
        int padded = spec.paddedSteps(steps);
        if (padded == steps) return mask.timeMajor();
        long n = (long) steps * mask.batch();
        DeviceBuffer m = paddedMask.ensure((long) padded * mask.batch());
        ops.copy(mask.timeMajor(), 0, m, 0, n);
        ops.zero(m, n, (long) padded * mask.batch() - n);
        return m;
    }

    /**
     * Copies layer state rows [d·B, H] at {@code off} of {@code states} to a sequence's final state
     * [B, H] at {@code dstOff}: row r·B + b for sequence b, r the sub-sequence of its last valid step
     * (forward) or of its first (reverse, r = 0). With {@code toLayer}, the other way: the [B, H]
     * rows go to those rows of a zeroed [d·B, H] (the gradient of a final state).
     */
    private void moveFinalStates(TensorOps ops, DeviceBuffer layerRows, long layerOff, int dilation, boolean reverse,
                                 DeviceBuffer sequenceRows, long sequenceOff, boolean toLayer) {
        int batch = lengths.length;
        int hidden = spec.hiddenSize();
        int b = 0;
        while (b < batch) {
            int r = subSequenceOfEnd(b, dilation, reverse);
            int end = b + 1;
            while (end < batch && subSequenceOfEnd(end, dilation, reverse) == r) end++;
            long layerAt = layerOff + ((long) r * batch + b) * hidden;
            long sequenceAt = sequenceOff + (long) b * hidden;
            long n = (long) (end - b) * hidden;
            if (toLayer) ops.copy(sequenceRows, sequenceAt, layerRows, layerAt, n);
            else ops.copy(layerRows, layerAt, sequenceRows, sequenceAt, n);
            b = end;
        }
    }

    /** Whether the directions share one set of scratch buffers (the backend runs them one after the other). */
    private boolean sharedScratch() {
        return ops.concurrentLanes() < 2;
    }

    private int subSequenceOfEnd(int b, int dilation, boolean reverse) {
        return reverse || lengths[b] == 0 ? 0 : (lengths[b] - 1) % dilation;
    }

    private void run(SequenceMask mask, DeviceBuffer h0, DeviceBuffer c0, DeviceBuffer hN, DeviceBuffer cN) {
        boolean lstm = spec.cell() == CellType.LSTM;
        if (!lstm && (c0 != null || cN != null)) throw new IllegalArgumentException("cell states exist only for LSTM");
        this.mask = mask;
        this.lengths = mask.lengths();
        int batch = mask.batch();
        int steps = spec.paddedSteps(mask.steps());
        int dirs = spec.directions();
        int width = spec.outputSize();
        long bh = (long) batch * spec.hiddenSize();
        DeviceBuffer m = layerMask();
        DeviceBuffer x = input.ensure(0);
        for (int l = 0; l < spec.layers(); l++) {
            int dilation = spec.dilation(l);
            if (dilation > 1 && (h0 != null || c0 != null)) {
                throw new IllegalArgumentException("layer " + l + " is dilated: initial states are not supported");
            }
            DeviceBuffer y = outputs[l].ensure((long) steps * batch * width);
            DeviceBuffer in = x;
            int layer0 = l;
            // The directions read the same input and write their own columns of y and their own
            // states: the backend may run them at once (on a GPU, on two streams).
            boolean shared = sharedScratch();
            ops.concurrently(dirs, (lane, d) -> {
                long s = (layer0 * dirs + d) * bh;
                layers[layer0][d].forward(lane, steps / dilation, batch * dilation, in, layer0 == 0 && repeated, m, h0,
                        s, c0, s, y, (long) d * spec.hiddenSize(), width, scratch[shared ? 0 : d]);
            });
            for (int d = 0; d < dirs; d++) {
                RecurrentLayer layer = layers[l][d];
                long s = (l * dirs + d) * bh;
                if (dilation == 1) {
                    if (hN != null) ops.copy(layer.states(), layer.finalStateOffset(), hN, s, bh);
                    if (cN != null) ops.copy(layer.cells(), layer.finalStateOffset(), cN, s, bh);
                } else {
                    if (hN != null) moveFinalStates(ops, layer.states(), layer.finalStateOffset(), dilation, d == 1, hN, s, false);
                    if (cN != null) moveFinalStates(ops, layer.cells(), layer.finalStateOffset(), dilation, d == 1, cN, s, false);
                }
            }
            x = y;
        }
    }

    /**
     * Backpropagates through the last forward: adds every parameter's gradient and returns the
     * input gradient. Each argument may be null (no gradient from there / not wanted).
     *
     * @param dOut gradient of the output [B, T, H·dirs] (padding steps are ignored)
     * @param dHN  gradient of the final hidden state [L·dirs, B, H]
     * @param dCN  gradient of the final cell state (LSTM)
     * @param dX   receives the input gradient [B, T, I] (zero at padding steps)
     * @param dH0  receives the gradient of the initial hidden state [L·dirs, B, H]
     * @param dC0  receives the gradient of the initial cell state (LSTM)
     */
    public void backward(DeviceBuffer dOut, DeviceBuffer dHN, DeviceBuffer dCN,
                         DeviceBuffer dX, DeviceBuffer dH0, DeviceBuffer dC0) {
        requirePlainForward();
        int batch = mask.batch();
        int steps = mask.steps();
        DeviceBuffer dTop = null;
        if (dOut != null) {
            dTop = gradA.ensure(topGradSize());
            ops.transpose01(batch, steps, spec.outputSize(), dOut, 0, dTop, 0);
            zeroPadding(dTop, steps, batch, spec.outputSize());
        }
        DeviceBuffer dIn = dX == null ? null
                : gradInput.ensure((long) spec.paddedSteps(steps) * batch * spec.inputSize());
        propagate(dTop, dHN, dCN, dIn, dH0, dC0);
        if (dX != null) ops.transpose01(steps, batch, spec.inputSize(), dIn, 0, dX, 0);
    }

    /** {@link #backward} with dOut [T, B, H·dirs] and dX [T, B, I]. */
    public void backwardTimeMajor(DeviceBuffer dOut, DeviceBuffer dHN, DeviceBuffer dCN,
                                  DeviceBuffer dX, DeviceBuffer dH0, DeviceBuffer dC0) {
        requirePlainForward();
        int steps = mask.steps();
        int batch = mask.batch();
        DeviceBuffer dTop = null;
        if (dOut != null) {
            dTop = gradA.ensure(topGradSize());
            ops.copy(dOut, 0, dTop, 0, (long) steps * batch * spec.outputSize());
            zeroPadding(dTop, steps, batch, spec.outputSize());
        }
        if (dX == null || !spec.dilated()) {
            propagate(dTop, dHN, dCN, dX, dH0, dC0);
            return;
        }
        // Layer 0 writes the padded steps' input gradient too: through a scratch buffer.
        long n = (long) steps * batch * spec.inputSize();
        DeviceBuffer dIn = gradInput.ensure((long) spec.paddedSteps(steps) * batch * spec.inputSize());
        propagate(dTop, dHN, dCN, dIn, dH0, dC0);
        ops.copy(dIn, 0, dX, 0, n);
    }

    /** The top layer's output gradient, over the padded steps. */
    private long topGradSize() {
        return (long) spec.paddedSteps(mask.steps()) * mask.batch() * spec.outputSize();
    }

    private void requireForward() {
        if (mask == null) throw new IllegalStateException("backward before forward");
    }

    private void requirePlainForward() {
        requireForward();
        if (fromRepeated) throw new IllegalStateException("after forwardRepeated, backwardRepeated");
    }

    /** dTop is in gradA (or null); gradients of lower layers' outputs alternate gradB, gradA. */
    private void propagate(DeviceBuffer dTop, DeviceBuffer dHN, DeviceBuffer dCN,
                           DeviceBuffer dX, DeviceBuffer dH0, DeviceBuffer dC0) {
        boolean lstm = spec.cell() == CellType.LSTM;
        if (!lstm && (dCN != null || dC0 != null)) throw new IllegalArgumentException("cell states exist only for LSTM");
        int batch = mask.batch();
        int steps = spec.paddedSteps(mask.steps());
        int dirs = spec.directions();
        int width = spec.outputSize();
        long bh = (long) batch * spec.hiddenSize();
        long inner = (long) steps * batch * width;
        DeviceBuffer m = layerMask();
        DeviceBuffer dY = dTop;
        boolean inA = true;
        for (int l = spec.layers() - 1; l >= 0; l--) {
            int dilation = spec.dilation(l);
            if (dilation > 1 && (dH0 != null || dC0 != null)) {
                throw new IllegalArgumentException("layer " + l + " is dilated: initial states are not supported");
            }
            DeviceBuffer dBelow;
            if (l == 0) {
                dBelow = dX;
            } else {
                dBelow = (inA ? gradB : gradA).ensure(inner);
                inA = !inA;
            }
            // As in forward, the directions may run at once: each reads dY's columns of its own
            // outputs and adds to its own parameters' gradients. They add into one dBelow, though,
            // so its GEMMs follow, in direction order (the sum's order fixes its bits); with
            // shared scratch, each right after its direction, before the next overwrites the gate
            // gradients it reads.
            boolean shared = sharedScratch();
            int layer0 = l;
            DeviceBuffer dAbove = dY;
            DeviceBuffer dInput = dBelow;
            // A repeated input's gradient (layer 0) adds to the caller's dZ, from the first direction on.
            boolean addFirst = l == 0 && repeated;
            ops.concurrently(dirs, (lane, d) -> {
                long s = (layer0 * dirs + d) * bh;
                DeviceBuffer dh = dHN;
                DeviceBuffer dc = dCN;
                long hOff = s;
                long cOff = s;
                if (dilation > 1) {
                    // The final-state gradients go to the sub-sequences whose states were reported.
                    long rows = (long) dilation * bh;
                    GrowableBuffer own = dilatedState[shared ? 0 : d];
                    if (dHN != null) {
                        dh = own.ensure(2 * rows);
                        lane.zero(dh, 0, rows);
                        moveFinalStates(lane, dh, 0, dilation, d == 1, dHN, s, true);
                        hOff = 0;
                    }
                    if (dCN != null) {
                        dc = own.ensure(2 * rows);
                        lane.zero(dc, rows, rows);
                        moveFinalStates(lane, dc, rows, dilation, d == 1, dCN, s, true);
                        cOff = rows;
                    }
                }
                RecurrentScratch own = scratch[shared ? 0 : d];
                layers[layer0][d].backward(lane, dAbove, (long) d * spec.hiddenSize(), width, dh, hOff, dc, cOff,
                        dH0, s, dC0, s, m, own);
                if (shared && dInput != null) layers[layer0][d].inputGradient(lane, dInput, d > 0 || addFirst, own);
            });
            if (!shared && dBelow != null) {
                for (int d = 0; d < dirs; d++) layers[l][d].inputGradient(ops, dBelow, d > 0 || addFirst, scratch[d]);
            }
            dY = dBelow;
        }
    }

    @Override
    public void close() {
        for (RecurrentLayer[] layer : layers) {
            for (RecurrentLayer dir : layer) dir.close();
        }
        for (RecurrentScratch s : scratch) s.close();
        input.close();
        for (GrowableBuffer o : outputs) o.close();
        gradA.close();
        gradB.close();
        gradInput.close();
        paddedMask.close();
        for (GrowableBuffer g : dilatedState) g.close();
    }
}
