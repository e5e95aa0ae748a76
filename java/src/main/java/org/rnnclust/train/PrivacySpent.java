package org.rnnclust.train;

import java.util.List;

/**
 * What a differentially private pretraining spent, by the Rényi-DP accountant
 * ({@link RdpAccountant}).
 *
 * @param epsilon         ε at {@code delta} after every step taken (0 before any)
 * @param delta           δ
 * @param order           the Rényi order at which ε is reached (NaN before any step)
 * @param noiseMultiplier σ: the noise's standard deviation over the clipping norm (given, or
 *                        calibrated to the target ε)
 * @param maxGradNorm     C, the per-sequence clipping norm
 * @param samplingRate    q, each sequence's chance to be in a step's batch
 * @param steps           noisy steps taken
 * @param budgetSpent     whether training stopped because one more step would exceed the target ε
 * @param epsilonHistory  ε after each completed epoch
 */
public record PrivacySpent(double epsilon, double delta, double order, double noiseMultiplier, double maxGradNorm,
                           double samplingRate, long steps, boolean budgetSpent, List<Double> epsilonHistory)
        implements java.io.Serializable {
    public PrivacySpent {
        epsilonHistory = List.copyOf(epsilonHistory);
    }
}
