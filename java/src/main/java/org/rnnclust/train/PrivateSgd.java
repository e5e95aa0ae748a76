package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.rnnclust.InputException;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.nn.Parameter;

/**
 * The private part of a DP-SGD step (Abadi et al., "Deep Learning with Differential Privacy", CCS
 * 2016), around the training loop's objective and optimizer:
 * <ol>
 *   <li>{@link #drawBatch}: every training sequence joins the step's batch with probability
 *       q = batch / n, independently (Poisson sampling, which the RDP accountant assumes; a batch
 *       may be empty, and a step is taken all the same);</li>
 *   <li>{@link #addClipped}, after the objective's backward on one sequence: that sequence's
 *       gradient over every trained parameter, scaled to global norm at most C, is added to the
 *       step's sum;</li>
 *   <li>{@link #finishStep}: the parameters' gradients become (sum + N(0, σ²C²·I)) / (q·n), the
 *       noisy mean over the expected batch size, for the optimizer's step;</li>
 *   <li>{@link #account}: the {@link RdpAccountant} adds the step's privacy loss.</li>
 * </ol>
 *
 * <p>Per-sequence gradients come from microbatching: the objective runs forward and backward on a
 * batch of one sequence at a time, through the same backend ops as any batch, so every layer and
 * loss, on the CPU and on CUDA, has them without new kernels (batched per-sample weight-gradient
 * GEMMs would be faster; docs/privacy.md measures the cost).
 *
 * <p>The batches and the noise come from a {@link SecureRandom} unless a test gives another
 * generator: anything that can recompute them from public settings (such as the seed) could
 * subtract the noise. A private run is therefore not reproducible from its seed, and a resumed
 * one does not end with the uninterrupted run's bits; its privacy accounting is carried in the
 * checkpoint ({@link #state}) and continues exactly.
 */
final class PrivateSgd implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TensorOps ops;
    private final List<Parameter> params;
    private final DeviceBuffer[] sums;
    private final float[] noise;
    private final RandomGenerator random;
    private final int n;
    private final double q;
    private final double expectedBatch;
    private final double maxNorm;
    private final double sigma;
    private final double delta;
    private final double targetEpsilon;
    private final RdpAccountant accountant;
    private final List<Double> epsilonHistory;
    private long steps;
    private boolean budgetSpent;
    // The current step's sequences: how many, how many were clipped, the sum of their norms.
    private int members;
    private int clipped;
    private double normSum;

    /**
     * @param params   every trained parameter (the optimizer's)
     * @param n        the training sequences
     * @param batch    the expected batch size (q = batch / n, at most 1)
     * @param epochs   the planned epochs, of ⌈n / batch⌉ steps each: what a calibrated σ is for
     * @param random   where batches and noise come from; null: a {@link SecureRandom}
     * @param restored a checkpoint's accounting ({@link #state}, read by {@link Saved#read}); null:
     *                 nothing spent yet
     */
    PrivateSgd(TensorOps ops, List<Parameter> params, DpSgdConfig config, int n, int batch, int epochs,
               RandomGenerator random, Saved restored) {
        this.ops = ops;
        this.params = List.copyOf(params);
        this.n = n;
        this.q = Math.min(1.0, (double) batch / n);
        this.expectedBatch = q * n;
        this.maxNorm = config.maxGradNorm();
        this.delta = config.delta();
        this.targetEpsilon = config.targetEpsilon();
        this.random = random != null ? random : new SecureRandom();
        long planned = (long) epochs * TrainingLoop.batchesPerEpoch(n, batch);
        if (restored != null) {
            this.sigma = restored.noiseMultiplier();
            if (restored.samplingRate() != q || !(sigma > 0)) {
                throw new InputException("the checkpoint's privacy accounting is for sampling rate "
                        + restored.samplingRate() + " and noise multiplier " + sigma + ", this run's rate is " + q);
            }
            this.steps = restored.steps();
            this.accountant = new RdpAccountant(restored.orders(), restored.rdp());
            this.epsilonHistory = new ArrayList<>(restored.epsilonHistory());
        } else {
            this.sigma = config.calibrates()
                    ? RdpAccountant.noiseMultiplier(q, planned, delta, targetEpsilon) : config.noiseMultiplier();
            this.accountant = new RdpAccountant();
            this.epsilonHistory = new ArrayList<>();
        }
        this.sums = new DeviceBuffer[this.params.size()];
        long largest = 0;
        try {
            for (int i = 0; i < sums.length; i++) {
                sums[i] = ops.allocate(this.params.get(i).size());
                largest = Math.max(largest, this.params.get(i).size());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.noise = new float[Math.toIntExact(largest)];
    }

    /** This step's batch: each of the n sequences with probability q, in increasing order. */
    int[] drawBatch() {
        int[] chosen = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) if (random.nextDouble() < q) chosen[count++] = i;
        return java.util.Arrays.copyOf(chosen, count);
    }

    /** Starts a step: an empty sum. */
    void startStep() {
        for (DeviceBuffer s : sums) ops.zero(s);
        members = 0;
        clipped = 0;
        normSum = 0;
    }

    /**
     * Adds the parameters' gradients, one sequence's, clipped to norm C, to the step's sum; returns
     * their norm before clipping (not finite: the caller stops the run).
     */
    double addClipped() {
        double squares = 0;
        for (Parameter p : params) squares += ops.sumSquares(p.grad(), 0, p.size());
        double norm = Math.sqrt(squares);
        if (!Double.isFinite(norm)) return norm;
        float factor = norm > maxNorm ? (float) (maxNorm / norm) : 1f;
        if (norm > maxNorm) clipped++;
        for (int i = 0; i < sums.length; i++) ops.axpy(params.get(i).size(), factor, params.get(i).grad(), 0, sums[i], 0);
        members++;
        normSum += norm;
        return norm;
    }

    /** The parameters' gradients become the noisy mean (sum + N(0, σ²C²)) / (q·n). */
    void finishStep() {
        double std = sigma * maxNorm;
        for (int i = 0; i < sums.length; i++) {
            Parameter p = params.get(i);
            int size = Math.toIntExact(p.size());
            for (int k = 0; k < size; k++) noise[k] = (float) (std * random.nextGaussian());
            ops.upload(noise, 0, p.grad(), 0, size);
            ops.axpy(size, 1f, sums[i], 0, p.grad(), 0);
            ops.scale(p.grad(), 0, size, (float) (1 / expectedBatch));
        }
    }

    /** Accounts for the step just taken. */
    void account() {
        accountant.step(q, sigma, 1);
        steps++;
    }

    /**
     * Whether one more step stays within the target ε (always, without one); once it would not,
     * {@link #budgetSpent} says so.
     */
    boolean mayStep() {
        if (Double.isNaN(targetEpsilon) || budgetSpent) return !budgetSpent;
        budgetSpent = accountant.epsilonAfter(q, sigma, 1, delta) > targetEpsilon;
        return !budgetSpent;
    }

    /** Called after every epoch: records the ε spent so far. */
    void epochFinished() {
        epsilonHistory.add(epsilon());
    }

    /** The ε at δ spent so far (0 before the first step). */
    double epsilon() {
        return steps == 0 ? 0 : accountant.epsilon(delta);
    }

    /** The mean gradient norm of the last step's sequences, before clipping (NaN for an empty batch). */
    double meanNorm() {
        return members == 0 ? Double.NaN : normSum / members;
    }

    /** What the run spent, for the result and metrics. */
    PrivacySpent spent() {
        return new PrivacySpent(epsilon(), delta, steps == 0 ? Double.NaN : accountant.order(delta), sigma, maxNorm, q,
                steps, budgetSpent, List.copyOf(epsilonHistory));
    }

    /** The accountant's state, for the checkpoint. */
    ObjectNode state() {
        ObjectNode o = JSON.createObjectNode();
        o.put("sampling_rate", q);
        o.put("noise_multiplier", sigma);
        o.put("steps", steps);
        ArrayNode orders = o.putArray("orders");
        for (double a : accountant.orders()) orders.add(a);
        ArrayNode rdp = o.putArray("rdp");
        for (double r : accountant.spent()) rdp.add(r);
        ArrayNode history = o.putArray("epsilon_history");
        epsilonHistory.forEach(history::add);
        return o;
    }

    /** The step's clipped sum so far, per parameter (for tests). */
    List<float[]> sums() {
        List<float[]> out = new ArrayList<>();
        for (DeviceBuffer s : sums) {
            float[] a = new float[Math.toIntExact(s.size())];
            ops.download(s, a);
            out.add(a);
        }
        return out;
    }

    long steps() {
        return steps;
    }

    double noiseMultiplier() {
        return sigma;
    }

    /** The fraction of the last step's sequences whose gradient was clipped (NaN for an empty batch). */
    double clippedFraction() {
        return members == 0 ? Double.NaN : (double) clipped / members;
    }

    @Override
    public void close() {
        for (DeviceBuffer s : sums) if (s != null) s.close();
    }

    /** A checkpoint's accounting, as {@link #state} writes it. */
    record Saved(double samplingRate, double noiseMultiplier, int steps, double[] orders, double[] rdp,
                 List<Double> epsilonHistory) {
        /** Reads {@link #state}'s fields through {@code file}, whose messages name it. */
        static Saved read(CheckpointFile file, JsonNode o) {
            return new Saved(file.number(o, "sampling_rate"), file.number(o, "noise_multiplier"), file.natural(o, "steps"),
                    unboxed(file.doubles(o, "orders")), unboxed(file.doubles(o, "rdp")), file.doubles(o, "epsilon_history"));
        }

        private static double[] unboxed(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
