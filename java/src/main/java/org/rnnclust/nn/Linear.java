package org.rnnclust.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * y = x·Wᵀ + b over a batch of rows, PyTorch's {@code nn.Linear}: {@code weight} [out, in],
 * {@code bias} [out], both initialised U(−1/√in, 1/√in) (PyTorch's default) from
 * {@code new SplittableRandom(seed)}, weight first. Backward takes the forward input again rather
 * than keeping it, so one layer can serve several inputs.
 */
public final class Linear implements Module {
    private final TensorOps ops;
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(TensorOps ops, int in, int out, long seed) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear sizes must be >= 1, got " + in + ", " + out);
        this.ops = ops;
        this.in = in;
        this.out = out;
        this.weight = new Parameter(ops, "weight", out, in);
        this.bias = new Parameter(ops, "bias", out);
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(in);
        weight.initUniform(random, bound);
        bias.initUniform(random, bound);
    }

    public int inputSize() {
        return in;
    }

    public int outputSize() {
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /** Writes y [rows, out] at yOff from x [rows, in] at xOff. */
    public void forward(int rows, DeviceBuffer x, long xOff, DeviceBuffer y, long yOff) {
        ops.gemm(false, true, rows, out, in, 1f, x, xOff, in, weight.value(), 0, in, 0f, y, yOff, out);
        ops.addRowVector(rows, out, bias.value(), y, yOff, out);
    }

    /**
     * Adds dW = dyᵀ·x and db = Σ dy to the gradients and writes dx = dy·W (skipped when dx is
     * null).
     */
    public void backward(int rows, DeviceBuffer x, long xOff, DeviceBuffer dy, long dyOff, DeviceBuffer dx, long dxOff) {
        ops.gemm(true, false, out, in, rows, 1f, dy, dyOff, out, x, xOff, in, 1f, weight.grad(), 0, in);
        ops.addColumnSums(rows, out, dy, dyOff, out, bias.grad(), 0);
        if (dx != null) ops.gemm(false, false, rows, in, out, 1f, dy, dyOff, out, weight.value(), 0, in, 0f, dx, dxOff, in);
    }

    @Override
    public void close() {
        weight.close();
        bias.close();
    }
}
