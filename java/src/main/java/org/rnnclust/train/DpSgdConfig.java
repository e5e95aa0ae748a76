package org.rnnclust.train;

/**
 * Differentially private pretraining (DP-SGD, Abadi et al., CCS 2016): each step samples every
 * sequence with probability q = batch / n (Poisson sampling), clips each sequence's gradient to
 * {@code maxGradNorm}, sums them, adds Gaussian noise of standard deviation
 * {@code noiseMultiplier · maxGradNorm} to the sum and divides by the expected batch size. See
 * {@link PrivateSgd}.
 *
 * @param maxGradNorm     C: every sequence's gradient is scaled down to at most this global norm
 * @param noiseMultiplier σ; NaN: the smallest σ at which the planned epochs spend
 *                        {@code targetEpsilon} (calibrated by the {@link RdpAccountant})
 * @param delta           the δ at which ε is reported; below 1/n for a meaningful guarantee
 * @param targetEpsilon   stop before a step that would spend more than this ε at δ; NaN: no limit
 *                        (then σ must be given)
 */
public record DpSgdConfig(double maxGradNorm, double noiseMultiplier, double delta, double targetEpsilon)
        implements java.io.Serializable {
    public DpSgdConfig {
        if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("the per-sequence clipping norm must be > 0, got " + maxGradNorm);
        }
        if (!Double.isNaN(noiseMultiplier) && !(noiseMultiplier > 0 && Double.isFinite(noiseMultiplier))) {
            throw new IllegalArgumentException("the noise multiplier must be > 0, got " + noiseMultiplier);
        }
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
        if (!Double.isNaN(targetEpsilon) && !(targetEpsilon > 0 && Double.isFinite(targetEpsilon))) {
            throw new IllegalArgumentException("the target epsilon must be > 0, got " + targetEpsilon);
        }
        if (Double.isNaN(noiseMultiplier) && Double.isNaN(targetEpsilon)) {
            throw new IllegalArgumentException("differential privacy needs a noise multiplier or a target epsilon");
        }
    }

    /** Whether σ is to be calibrated from the target ε. */
    public boolean calibrates() {
        return Double.isNaN(noiseMultiplier);
    }
}
