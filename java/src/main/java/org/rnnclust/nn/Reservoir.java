package org.rnnclust.nn;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;

/**
 * An echo state network's reservoir (Jaeger, 2001): an Elman RNN with tanh whose weights are drawn
 * once and never trained, run on the device by the same {@link RecurrentStack} as the trained
 * networks. Bidirectional, the second direction reads each sequence backwards from its last valid
 * step with weights of its own.
 *
 * <p>The weights, drawn from {@code new SplittableRandom(seed)} direction by direction: input
 * weights uniform in [−s, s] (s the input scaling); recurrent weights nonzero with probability
 * {@code density}, each then uniform with variance ρ² / (units · density), so that by the circular
 * law the spectral radius is close to ρ for a few hundred units (no eigenvalue solve, and the same
 * bits on every machine); biases zero.
 */
public final class Reservoir implements AutoCloseable {
    private final TensorOps ops;
    private final ReservoirSpec spec;
    private final RecurrentStack stack;

    public Reservoir(TensorOps ops, int inputs, ReservoirSpec spec, long seed) {
        this.ops = ops;
        this.spec = spec;
        this.stack = new RecurrentStack(ops, new RecurrentSpec(CellType.RNN, inputs, spec.units(), 1,
                spec.bidirectional()), seed);
        SplittableRandom random = new SplittableRandom(seed);
        int r = spec.units();
        // Uniform in [−a, a] has variance a²/3.
        double recurrentBound = Math.sqrt(3.0) * spec.spectralRadius() / Math.sqrt(r * spec.density());
        List<Parameter> p = stack.parameters();
        for (int d = 0; d < spec.directions(); d++) {
            float[] wIh = new float[r * inputs];
            for (int i = 0; i < wIh.length; i++) wIh[i] = (float) (spec.inputScaling() * (2 * random.nextDouble() - 1));
            float[] wHh = new float[r * r];
            for (int i = 0; i < wHh.length; i++) {
                boolean nonzero = random.nextDouble() < spec.density();
                double u = 2 * random.nextDouble() - 1;
                if (nonzero) wHh[i] = (float) (recurrentBound * u);
            }
            // PyTorch's order per direction: weight_ih, weight_hh, bias_ih, bias_hh.
            p.get(4 * d).set(wIh);
            p.get(4 * d + 1).set(wHh);
            p.get(4 * d + 2).set(new float[r]);
            p.get(4 * d + 3).set(new float[r]);
        }
    }

    /**
     * A reservoir with given weights (a saved model's), by {@link #parameters}' names.
     *
     * @throws IllegalArgumentException when a weight is missing, unknown or of the wrong size
     */
    public static Reservoir withWeights(TensorOps ops, int inputs, ReservoirSpec spec, Map<String, float[]> weights) {
        Reservoir r = new Reservoir(ops, inputs, spec, 0L);
        try {
            List<Parameter> p = r.parameters();
            if (weights.size() != p.size()) {
                throw new IllegalArgumentException("the reservoir has " + p.size() + " weight tensors, got " + weights.size());
            }
            for (Parameter parameter : p) {
                float[] w = weights.get(parameter.name());
                if (w == null) throw new IllegalArgumentException("reservoir weight " + parameter.name() + " is missing");
                if (w.length != parameter.size()) {
                    throw new IllegalArgumentException(parameter.name() + " holds " + parameter.size() + " values, got "
                            + w.length);
                }
                parameter.set(w);
            }
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    public ReservoirSpec spec() {
        return spec;
    }

    public int inputs() {
        return stack.spec().inputSize();
    }

    /** The weights, with PyTorch's names ({@code weight_ih_l0}, ..., {@code bias_hh_l0_reverse}). */
    public List<Parameter> parameters() {
        return stack.parameters();
    }

    /** Values the reservoir holds. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : stack.parameters()) n += p.size();
        return n;
    }

    /** Every weight moved up by {@code ulps} units in the last place (the sensitivity probe). */
    public void moveUpByUlps(int ulps) {
        for (Parameter p : stack.parameters()) p.moveUpByUlps(ulps);
    }

    /**
     * The states of sequences [from, from + count) of {@code data}: [count, T, units · directions]
     * (forward then reverse units), zero at padding steps. At a valid step t the forward half holds
     * the state after reading steps 0..t, the reverse half the state after reading the sequence's
     * last valid step down to t.
     */
    public float[] states(PaddedSequences data, int from, int count) {
        if (data.channels() != inputs()) {
            throw new IllegalArgumentException("the reservoir reads " + inputs() + " channels, the data has "
                    + data.channels());
        }
        int steps = data.maxLength();
        int width = stack.spec().outputSize();
        int rowIn = steps * data.channels();
        float[] x = new float[Math.multiplyExact(count, rowIn)];
        System.arraycopy(data.values(), Math.multiplyExact(from, rowIn), x, 0, x.length);
        int[] lengths = java.util.Arrays.copyOfRange(data.lengths(), from, from + count);
        for (int i = 0; i < count; i++) lengths[i] = Math.max(1, lengths[i]);
        float[] y = new float[Math.multiplyExact(Math.multiplyExact(count, steps), width)];
        try (SequenceMask mask = new SequenceMask(ops, lengths, steps); DeviceBuffer in = ops.allocate(x.length);
             DeviceBuffer out = ops.allocate(y.length)) {
            ops.upload(x, in);
            stack.forward(in, mask, null, null, out, null, null);
            ops.download(out, y);
        }
        return y;
    }

    @Override
    public void close() {
        stack.close();
    }
}
