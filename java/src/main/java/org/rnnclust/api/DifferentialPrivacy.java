package org.rnnclust.api;

import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.train.DpSgdConfig;

/**
 * Differentially private pretraining (DP-SGD; Abadi et al., CCS 2016), for
 * {@link SequenceClusterer.Builder#privacy}: every step samples each training sequence with
 * probability batch / n, clips each sequence's gradient to global norm {@code maxGradNorm}, and
 * adds Gaussian noise of {@code noiseMultiplier · maxGradNorm} to their sum. A Rényi-DP accountant
 * reports the ε spent at {@code delta} after every epoch.
 *
 * <p>What it covers: the autoencoder's weights as pretraining leaves them, and anything computed
 * from those weights alone. Not covered: the centroids (the k-means or spectral clustering of the
 * training sequences' embeddings), fitted preprocessing statistics (global standardisation or
 * min-max), the loss history, and the labels and scores written beside the model. Refinement is
 * refused with it.
 *
 * @param maxGradNorm     C, each sequence's gradient clipped to this norm
 * @param noiseMultiplier σ; NaN: calibrated so that the planned epochs spend {@code targetEpsilon}
 * @param delta           δ, below 1/n
 * @param targetEpsilon   training stops before a step that would spend more; NaN: no limit
 */
public record DifferentialPrivacy(double maxGradNorm, double noiseMultiplier, double delta, double targetEpsilon) {
    /** Opacus's and TensorFlow Privacy's usual δ for datasets up to ~10⁵ sequences. */
    public static final double DEFAULT_DELTA = 1e-5;

    public DifferentialPrivacy {
        if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
            throw new InputException("the per-sequence clipping norm must be > 0, got " + maxGradNorm,
                    Setting.DP_MAX_GRAD_NORM);
        }
        if (!Double.isNaN(noiseMultiplier) && !(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
            throw new InputException("the noise multiplier must be > 0, got " + noiseMultiplier,
                    Setting.DP_NOISE_MULTIPLIER);
        }
        if (!(delta > 0 && delta < 1)) throw new InputException("delta must be in (0, 1), got " + delta, Setting.DP_DELTA);
        if (!Double.isNaN(targetEpsilon) && !(targetEpsilon > 0 && Double.isFinite(targetEpsilon))) {
            throw new InputException("the target epsilon must be > 0, got " + targetEpsilon, Setting.DP_TARGET_EPSILON);
        }
        if (Double.isNaN(noiseMultiplier) && Double.isNaN(targetEpsilon)) {
            throw new InputException("differentially private training needs a noise multiplier or a target epsilon",
                    Setting.DP_NOISE_MULTIPLIER, Setting.DP_TARGET_EPSILON);
        }
    }

    /** Noise multiplier σ given; no limit on ε. */
    public static DifferentialPrivacy withNoise(double maxGradNorm, double noiseMultiplier, double delta) {
        return new DifferentialPrivacy(maxGradNorm, noiseMultiplier, delta, Double.NaN);
    }

    /** σ calibrated so that the planned epochs spend {@code epsilon} at {@code delta}. */
    public static DifferentialPrivacy forEpsilon(double maxGradNorm, double epsilon, double delta) {
        return new DifferentialPrivacy(maxGradNorm, Double.NaN, delta, epsilon);
    }

    /** The same, stopping before a step that would spend more than {@code epsilon}. */
    public DifferentialPrivacy stoppingAt(double epsilon) {
        return new DifferentialPrivacy(maxGradNorm, noiseMultiplier, delta, epsilon);
    }

    /**
     * Refuses a δ that is not below 1/n for {@code sequences} training sequences: at δ ≥ 1/n, a
     * mechanism that publishes one random sequence outright is (0, δ)-private.
     */
    void checkDelta(int sequences) {
        if (delta * sequences >= 1) {
            throw new InputException("delta " + delta + " is not below 1/n for " + sequences
                    + " training sequences: the guarantee would allow publishing a sequence", Setting.DP_DELTA);
        }
    }

    DpSgdConfig config() {
        return new DpSgdConfig(maxGradNorm, noiseMultiplier, delta, targetEpsilon);
    }
}
