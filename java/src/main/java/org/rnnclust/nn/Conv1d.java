package org.rnnclust.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * A 1-D convolution over time ("valid": no padding of its own; the caller pads), stride 1, on
 * time-major batches: out[t, b, o] = bias[o] + Σ_{j < taps} Σ_c W[j, o, c] · x[t + j, b, c].
 *
 * <p>In a time-major [T, B, C] buffer the rows of steps t + j, for every t, are one contiguous
 * block shifted by j·B·C floats, so the convolution is one matrix product per tap, accumulated:
 * no im2col copy and no new kernel. The weight is therefore stored tap-major, [taps, out, in]
 * (PyTorch's Conv1d holds [out, in, taps]: {@code weight.permute(2, 0, 1)} here). Initialised as
 * PyTorch initialises Conv1d: uniform in ±1/√(in·taps), bias alike.
 */
public final class Conv1d implements Module {
    private final TensorOps ops;
    private final int in;
    private final int out;
    private final int taps;
    private final Parameter weight;
    private final Parameter bias;

    public Conv1d(TensorOps ops, int in, int out, int taps, long seed) {
        if (in < 1 || out < 1 || taps < 1) {
            throw new IllegalArgumentException("Conv1d sizes must be >= 1, got " + in + ", " + out + ", " + taps);
        }
        this.ops = ops;
        this.in = in;
        this.out = out;
        this.taps = taps;
        this.weight = new Parameter(ops, "weight", taps, out, in);
        this.bias = new Parameter(ops, "bias", out);
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt((double) in * taps);
        weight.initUniform(random, bound);
        bias.initUniform(random, bound);
    }

    public int taps() {
        return taps;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * Writes y [steps, batch, out] from x [steps + taps − 1, batch, in] (time-major, already
     * padded as the caller wants).
     */
    public void forward(int steps, int batch, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
        int rows = Math.multiplyExact(steps, batch);
        long shift = (long) batch * in;
        for (int j = 0; j < taps; j++) {
            ops.gemm(false, true, rows, out, in, 1f, x, xOff + j * shift, in, weight.value(), (long) j * out * in, in,
                    j == 0 ? 0f : 1f, y, yOff, out);
        }
        ops.addRowVector(rows, out, bias.value(), y, yOff, out);
    }

    /**
     * Adds the weight and bias gradients of the last {@link #forward} on x given dy [steps, batch,
     * out], and writes dx [steps + taps − 1, batch, in] (skipped when dx is null).
     */
    public void backward(int steps, int batch, DeviceBuffer x, long xOff, DeviceBuffer dy, long dyOff,
                         DeviceBuffer dx, long dxOff) {
        int rows = Math.multiplyExact(steps, batch);
        long shift = (long) batch * in;
        for (int j = 0; j < taps; j++) {
            ops.gemm(true, false, out, in, rows, 1f, dy, dyOff, out, x, xOff + j * shift, in, 1f, weight.grad(),
                    (long) j * out * in, in);
        }
        ops.addColumnSums(rows, out, dy, dyOff, out, bias.grad(), 0);
        if (dx == null) return;
        ops.zero(dx, dxOff, (steps + taps - 1L) * shift);
        // The taps' blocks overlap in dx: each product adds to what the previous ones wrote.
        for (int j = 0; j < taps; j++) {
            ops.gemm(false, false, rows, in, out, 1f, dy, dyOff, out, weight.value(), (long) j * out * in, in, 1f, dx,
                    dxOff + j * shift, in);
        }
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
