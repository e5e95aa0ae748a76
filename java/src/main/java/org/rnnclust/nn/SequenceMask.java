package org.rnnclust.nn;

import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * The lengths of a padded batch and the 0/1 step masks derived from them, on the device in both
 * layouts: time-major [T, B] (the recurrent layers read row t·B per step) and batch-major [B, T]
 * (row weights for a masked loss over [B, T, F] outputs). Set once per batch; the buffers are
 * reused while the batch does not grow.
 */
public final class SequenceMask implements AutoCloseable {
    private final TensorOps ops;
    private final GrowableBuffer timeMajor;
    private final GrowableBuffer batchMajor;
    private float[] hostTimeMajor = new float[0];
    private float[] hostBatchMajor = new float[0];
    private int[] lengths = new int[0];
    private int steps;
    private long validSteps;

    public SequenceMask(TensorOps ops) {
        this.ops = ops;
        this.timeMajor = new GrowableBuffer(ops);
        this.batchMajor = new GrowableBuffer(ops);
    }

    public SequenceMask(TensorOps ops, int[] lengths, int steps) {
        this(ops);
        set(lengths, steps);
    }

    /** @param lengths valid steps of each sequence, each in [0, steps] */
    public void set(int[] lengths, int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (lengths.length < 1) throw new IllegalArgumentException("empty batch");
        int batch = lengths.length;
        int n = Math.multiplyExact(batch, steps);
        if (hostTimeMajor.length < n) {
            hostTimeMajor = new float[n];
            hostBatchMajor = new float[n];
        }
        long valid = 0;
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            if (len < 0 || len > steps) {
                throw new IllegalArgumentException("length " + len + " of sequence " + b + " outside [0, " + steps + "]");
            }
            valid += len;
            for (int t = 0; t < steps; t++) {
                float m = t < len ? 1f : 0f;
                hostTimeMajor[t * batch + b] = m;
                hostBatchMajor[b * steps + t] = m;
            }
        }
        ops.upload(hostTimeMajor, 0, timeMajor.ensure(n), 0, n);
        ops.upload(hostBatchMajor, 0, batchMajor.ensure(n), 0, n);
        this.lengths = lengths.clone();
        this.steps = steps;
        this.validSteps = valid;
    }

    public int batch() {
        return lengths.length;
    }

    public int steps() {
        return steps;
    }

    public int[] lengths() {
        return lengths.clone();
    }

    /** Σ lengths. */
    public long validSteps() {
        return validSteps;
    }

    /** [T, B]: entry t·B + b is 1 when t < length[b]. */
    public DeviceBuffer timeMajor() {
        return timeMajor.ensure((long) batch() * steps);
    }

    /** [B, T]: entry b·T + t is 1 when t < length[b]. */
    public DeviceBuffer batchMajor() {
        return batchMajor.ensure((long) batch() * steps);
    }

    @Override
    public void close() {
        timeMajor.close();
        batchMajor.close();
    }
}
