package org.rnnclust.nn;

import org.rnnclust.backend.TensorOps;

/**
 * Buffers that the layers of a stack use one at a time and need not keep between forward and
 * backward: the input projection (needed only during the forward time loop), the per-step
 * recurrent projection, the gate gradients (and their sum over the steps), the carried dh, dc and a
 * bias-gradient sum.
 */
final class RecurrentScratch implements AutoCloseable {
    final GrowableBuffer xProj;
    final GrowableBuffer hProj;
    final GrowableBuffer dGatesIh;
    final GrowableBuffer dGatesHh;
    final GrowableBuffer dh;
    final GrowableBuffer dc;
    final GrowableBuffer biasGrad;
    /** Σ over the steps of the gate gradients [B, G·H], for a repeated input (RecurrentLayer). */
    final GrowableBuffer dGatesStepSum;

    RecurrentScratch(TensorOps ops) {
        xProj = new GrowableBuffer(ops);
        hProj = new GrowableBuffer(ops);
        dGatesIh = new GrowableBuffer(ops);
        dGatesHh = new GrowableBuffer(ops);
        dh = new GrowableBuffer(ops);
        dc = new GrowableBuffer(ops);
        biasGrad = new GrowableBuffer(ops);
        dGatesStepSum = new GrowableBuffer(ops);
    }

    @Override
    public void close() {
        xProj.close();
        hProj.close();
        dGatesIh.close();
        dGatesHh.close();
        dh.close();
        dc.close();
        biasGrad.close();
        dGatesStepSum.close();
    }
}
