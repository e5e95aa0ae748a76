package org.rnnclust.nn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * A named tensor of a module with its gradient, both on the device. The shape and name follow
 * PyTorch's state_dict, so values move to and from PyTorch as plain row-major arrays. The gradient
 * accumulates: backward passes add to it, and whoever steps the optimizer zeroes it.
 */
public final class Parameter implements AutoCloseable {
    private final TensorOps ops;
    private final String name;
    private final int[] shape;
    private final DeviceBuffer value;
    private final DeviceBuffer grad;

    Parameter(TensorOps ops, String name, int... shape) {
        this.ops = ops;
        this.name = name;
        this.shape = shape.clone();
        long size = 1;
        for (int d : shape) size *= d;
        this.value = ops.allocate(size);
        this.grad = ops.allocate(size);
    }

    public String name() {
        return name;
    }

    public int[] shape() {
        return shape.clone();
    }

    public long size() {
        return value.size();
    }

    public DeviceBuffer value() {
        return value;
    }

    public DeviceBuffer grad() {
        return grad;
    }

    /** The values, row-major (a host copy). */
    public float[] get() {
        return ops.toHost(value);
    }

    /** The accumulated gradient (a host copy). */
    public float[] gradient() {
        return ops.toHost(grad);
    }

    public void set(float[] values) {
        if (values.length != size()) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(shape) + " (" + size()
                    + " values), got " + values.length);
        }
        ops.upload(values, value);
    }

    /**
     * Moves every value up by {@code ulps} units in the last place ({@link Math#nextUp(float)},
     * {@code ulps} times); 0 leaves the values untouched, on the device too.
     */
    public void moveUpByUlps(int ulps) {
        if (ulps < 0) throw new IllegalArgumentException("ulps must be >= 0, got " + ulps);
        if (ulps == 0) return;
        float[] v = get();
        for (int i = 0; i < v.length; i++) {
            for (int u = 0; u < ulps; u++) v[i] = Math.nextUp(v[i]);
        }
        set(v);
    }

    public void zeroGrad() {
        ops.zero(grad);
    }

    /** Fills with U(−bound, bound) drawn in row-major order (PyTorch's default init for RNNs and Linear). */
    void initUniform(SplittableRandom random, double bound) {
        float[] v = new float[Math.toIntExact(size())];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextDouble(-bound, bound);
        ops.upload(v, value);
    }

    @Override
    public void close() {
        value.close();
        grad.close();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
