package org.rnnclust.backend;

/**
 * The fused pointwise half of one time step of a recurrent layer (the GEMMs are separate
 * {@link TensorOps#gemm} calls). PyTorch's equations, gate order and bias placement:
 * <ul>
 *   <li>RNN: h = tanh(x·W_ihᵀ + b_ih + h₋·W_hhᵀ + b_hh)
 *   <li>LSTM, gates i,f,g,o: c = f⊙c₋ + i⊙g, h = o⊙tanh(c)
 *   <li>GRU, gates r,z,n: n = tanh(x·W_inᵀ + b_in + r⊙(h₋·W_hnᵀ + b_hn)), h = (1−z)⊙n + z⊙h₋
 * </ul>
 * Arguments, for a batch of B rows and hidden size H:
 * <ul>
 *   <li>{@code xProj}: [B, G·H] input projection x·W_ihᵀ of this step, without bias;
 *   <li>{@code hProj}: [B, G·H] recurrent projection h₋·W_hhᵀ, without bias;
 *   <li>{@code biasIh}, {@code biasHh}: [G·H] from offset 0, both added here;
 *   <li>{@code mask}: [B], 1 where the step is inside the row's sequence, 0 where it is padding.
 *       A masked row keeps its previous h (and c), writes 0 to {@code out}, and in backward
 *       passes dh (and dc) through unchanged and gets zero gate gradients; its workspace row is
 *       left unspecified.
 *   <li>{@code out}: [B] rows of stride {@code ldOut}; receives h (or 0 when masked), so that a
 *       bidirectional layer writes both directions into one [B, 2H] output.
 *   <li>States h, c are [B, H] contiguous.
 * </ul>
 * Backward takes dh (and dc) of the step's outgoing state — the gradient flowing back from later
 * steps — adds {@code dOut} of this step (null: none) and overwrites dh and dc in place with the
 * part of the gradient for the previous state that does not go through W_hh; the caller then adds
 * dGatesHh·W_hh to dh with a GEMM. Gate gradients are w.r.t. the pre-activations; they are written
 * (not accumulated), with zeros in masked rows, so weight gradients are GEMMs over all steps.
 *
 * <p>No output may overlap an input (the CPU's native kernels and a GPU's assume it): states go
 * from one slot of the [T+1, B, H] state buffer to the next, never in place.
 */
public interface RecurrentCellOps {
    /** Saves in {@code ws} ([B, 4H]) the activations i, f, g, o for backward. */
    void lstmForward(int batch, int hidden,
                     DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj, long hProjOff,
                     DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                     DeviceBuffer hPrev, long hPrevOff, DeviceBuffer cPrev, long cPrevOff,
                     DeviceBuffer h, long hOff, DeviceBuffer c, long cOff,
                     DeviceBuffer out, long outOff, int ldOut,
                     DeviceBuffer ws, long wsOff);

    /**
     * @param c        the step's outgoing cell state (tanh(c) is recomputed from it)
     * @param dGates   [B, 4H] out: gradient w.r.t. the pre-activations of i, f, g, o; it serves as
     *                 both the input-side and the recurrent-side gate gradient
     */
    void lstmBackward(int batch, int hidden,
                      DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                      DeviceBuffer cPrev, long cPrevOff, DeviceBuffer c, long cOff,
                      DeviceBuffer dOut, long dOutOff, int ldDOut,
                      DeviceBuffer dh, long dhOff, DeviceBuffer dc, long dcOff,
                      DeviceBuffer dGates, long dGatesOff);

    /**
     * Saves in {@code ws} ([B, 4H]) r, z, n and h₋·W_hnᵀ + b_hn (the recurrent part of n before
     * r scales it), which backward needs for dr.
     */
    void gruForward(int batch, int hidden,
                    DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj, long hProjOff,
                    DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                    DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                    DeviceBuffer out, long outOff, int ldOut,
                    DeviceBuffer ws, long wsOff);

    /**
     * The n-gate's input and recurrent projections get different gradients (r scales the latter),
     * hence two gate-gradient outputs, each [B, 3H]: {@code dGatesIh} for W_ih, b_ih and the
     * input gradient, {@code dGatesHh} for W_hh, b_hh and dh₋.
     */
    void gruBackward(int batch, int hidden,
                     DeviceBuffer ws, long wsOff, DeviceBuffer mask, long maskOff,
                     DeviceBuffer hPrev, long hPrevOff,
                     DeviceBuffer dOut, long dOutOff, int ldDOut,
                     DeviceBuffer dh, long dhOff,
                     DeviceBuffer dGatesIh, long dGatesIhOff, DeviceBuffer dGatesHh, long dGatesHhOff);

    /**
     * The whole forward time loop of one direction of an LSTM ({@code gates} = 4) or GRU (3) layer
     * as one op, where this backend has such a kernel for this shape (a GPU's persistent kernel);
     * otherwise it does nothing and returns false, and the caller runs the loop with the per-step
     * ops above (the CPU always does). When it runs, it writes exactly what that loop writes — per
     * step t the recurrent GEMM h₋·W_hhᵀ and {@link #lstmForward} / {@link #gruForward} with the
     * rows of step t — up to the summation order of the recurrent product, so the per-step
     * backward ops consume its states and workspace unchanged. Nothing may be in a
     * {@link TensorOps#captured} body around it.
     *
     * @param reverse  false: steps t = 0..T−1, entering state in slot t and leaving in slot t+1;
     *                 true: t = T−1..0, entering slot t+1 and leaving slot t
     * @param zeroH0   the first step's entering state is zero: its recurrent product is taken as
     *                 exactly 0 (as the per-step loop's zeroed hProj), not computed
     * @param xProj    [T, B, G·H] input projections of all steps, without bias, from offset 0
     * @param wHh      [G·H, H] recurrent weights (PyTorch's layout), from offset 0
     * @param mask     [T, B] from offset 0
     * @param states   [T+1, B, H] state slots, the first step's entering slot already set
     * @param cells    [T+1, B, H] cell-state slots likewise (LSTM); ignored for GRU (may be null)
     * @param out      receives h of step t, row b at outOff + (t·B + b)·ldOut (0 where masked)
     * @param ws       [T, B, 4H] the per-step workspace rows of all steps, from offset 0
     */
    boolean forwardSequence(int gates, int steps, int batch, int hidden, boolean reverse, boolean zeroH0,
                            DeviceBuffer xProj, DeviceBuffer wHh, DeviceBuffer biasIh, DeviceBuffer biasHh,
                            DeviceBuffer mask, DeviceBuffer states, DeviceBuffer cells,
                            DeviceBuffer out, long outOff, int ldOut, DeviceBuffer ws);

    /**
     * The whole backward time loop of one direction of an LSTM or GRU layer as one op, after a
     * forward of the same shape, where the backend has such a kernel (as {@link #forwardSequence};
     * false: nothing done, the caller runs the steps). It writes exactly what the per-step loop
     * writes — per step t, latest first, {@link #lstmBackward} / {@link #gruBackward} with the rows
     * of step t, then dh += dGatesHh(t)·W_hh, that GEMM left out at the last step run unless
     * {@code needDh0} — up to the summation order of that product. Nothing may be in a
     * {@link TensorOps#captured} body around it.
     *
     * @param ws       [T, B, 4H] the forward's workspace
     * @param states   [T+1, B, H] the forward's state slots; cells likewise (LSTM; null for GRU)
     * @param dOut     the output gradient, row b of step t at dOutOff + (t·B + b)·ldDOut; null for none
     * @param dh       [B, H] the gradient of the last step's leaving state, in; out: that of the
     *                 first step's entering state (the GEMM part only with needDh0); dc likewise (LSTM)
     * @param dGatesIh [T, B, G·H] out; dGatesHh likewise (the same buffer may serve both for LSTM)
     */
    boolean backwardSequence(int gates, int steps, int batch, int hidden, boolean reverse, boolean needDh0,
                             DeviceBuffer ws, DeviceBuffer mask, DeviceBuffer states, DeviceBuffer cells,
                             DeviceBuffer dOut, long dOutOff, int ldDOut, DeviceBuffer wHh,
                             DeviceBuffer dh, DeviceBuffer dc, DeviceBuffer dGatesIh, DeviceBuffer dGatesHh);

    /** Elman RNN with tanh; needs no workspace (backward reads h). */
    void rnnTanhForward(int batch, int hidden,
                        DeviceBuffer xProj, long xProjOff, DeviceBuffer hProj, long hProjOff,
                        DeviceBuffer biasIh, DeviceBuffer biasHh, DeviceBuffer mask, long maskOff,
                        DeviceBuffer hPrev, long hPrevOff, DeviceBuffer h, long hOff,
                        DeviceBuffer out, long outOff, int ldOut);

    /** @param h the step's outgoing state; {@code dGates} [B, H] serves both weight sides */
    void rnnTanhBackward(int batch, int hidden,
                         DeviceBuffer mask, long maskOff, DeviceBuffer h, long hOff,
                         DeviceBuffer dOut, long dOutOff, int ldDOut,
                         DeviceBuffer dh, long dhOff,
                         DeviceBuffer dGates, long dGatesOff);
}
