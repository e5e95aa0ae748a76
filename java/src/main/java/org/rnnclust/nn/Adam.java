package org.rnnclust.nn;

import java.util.ArrayList;
import java.util.List;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.TensorOps;

/**
 * torch.optim.Adam over a list of parameters, with its state (first and second moments, step count)
 * on the device, plus global-norm gradient clipping (torch.nn.utils.clip_grad_norm_).
 */
public final class Adam implements AutoCloseable {
    private final TensorOps ops;
    private final List<Parameter> params;
    private final List<DeviceBuffer> m = new ArrayList<>();
    private final List<DeviceBuffer> v = new ArrayList<>();
    // Doubles, as PyTorch keeps them: 1 − 0.999f is not 1 − 0.999.
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private int step;

    public Adam(TensorOps ops, List<Parameter> params, double lr, double weightDecay) {
        this(ops, params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    public Adam(TensorOps ops, List<Parameter> params, double lr, double beta1, double beta2, double eps,
                double weightDecay) {
        this.ops = ops;
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Parameter p : this.params) {
            m.add(ops.allocate(p.size()));
            v.add(ops.allocate(p.size()));
        }
    }

    /** L2 norm of all gradients together. Waits for the device. */
    public double gradientNorm() {
        return Math.sqrt(ops.sumSquares(grads(), counts()));
    }

    /**
     * The squared L2 norm of all gradients together into {@code out[slot]}, on the device: the sum
     * {@link #gradientNorm} takes the root of, without waiting for it.
     */
    public void gradientSquares(DeviceScalars out, int slot) {
        ops.sumSquares(grads(), counts(), out, slot);
    }

    /**
     * {@link #clipGradients} with the squared norm already on the device, in {@code sumSquares[slot]}
     * (from {@link #gradientSquares}): the same factor and scaling, nothing read by the host.
     */
    public void clipGradients(double maxNorm, DeviceScalars sumSquares, int slot) {
        ops.clipByNorm(grads(), counts(), maxNorm, sumSquares, slot);
    }

    private List<DeviceBuffer> grads() {
        List<DeviceBuffer> grads = new ArrayList<>(params.size());
        for (Parameter p : params) grads.add(p.grad());
        return grads;
    }

    private long[] counts() {
        long[] counts = new long[params.size()];
        for (int i = 0; i < counts.length; i++) counts[i] = params.get(i).size();
        return counts;
    }

    /**
     * Scales all gradients so that their joint norm is at most {@code maxNorm}, as
     * clip_grad_norm_ does (factor maxNorm / (norm + 1e-6), applied only when below 1).
     *
     * @return the norm before clipping
     */
    public double clipGradients(double maxNorm) {
        double norm = gradientNorm();
        double factor = maxNorm / (norm + 1e-6);
        if (factor < 1) {
            for (Parameter p : params) ops.scale(p.grad(), 0, p.size(), (float) factor);
        }
        return norm;
    }

    public void step() {
        step++;
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            ops.adam(p.size(), p.value(), 0, p.grad(), 0, m.get(i), 0, v.get(i), 0, lr, beta1, beta2, eps,
                    weightDecay, step);
        }
    }

    public int steps() {
        return step;
    }

    /** The moments, for a checkpoint: m of each parameter, then v of each. */
    public List<float[]> state() {
        List<float[]> out = new ArrayList<>();
        for (DeviceBuffer b : m) out.add(ops.toHost(b));
        for (DeviceBuffer b : v) out.add(ops.toHost(b));
        return out;
    }

    /** Restores {@link #state()} and the step count. */
    public void restore(List<float[]> state, int steps) {
        if (state.size() != 2 * params.size()) {
            throw new IllegalArgumentException("optimizer state for " + state.size() / 2 + " parameters, expected "
                    + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            ops.upload(state.get(i), m.get(i));
            ops.upload(state.get(params.size() + i), v.get(i));
        }
        this.step = steps;
    }

    @Override
    public void close() {
        m.forEach(DeviceBuffer::close);
        v.forEach(DeviceBuffer::close);
    }
}
