package org.rnnclust.api;

import java.util.List;
import org.rnnclust.train.PrivacySpent;

/**
 * What a differentially private pretraining spent ({@link DifferentialPrivacy}), by the Rényi-DP
 * accountant for the sampled Gaussian mechanism.
 *
 * @param epsilon         ε at {@code delta} after the last step (0 before any)
 * @param delta           δ
 * @param order           the Rényi order that gave ε (NaN before any step)
 * @param noiseMultiplier σ, given or calibrated
 * @param maxGradNorm     C
 * @param samplingRate    q = batch / n
 * @param steps           noisy steps taken
 * @param budgetSpent     whether training stopped because the next step would exceed the target ε
 * @param epsilonHistory  ε after each epoch
 */
public record PrivacySummary(double epsilon, double delta, double order, double noiseMultiplier, double maxGradNorm,
                             double samplingRate, long steps, boolean budgetSpent, List<Double> epsilonHistory) {
    public PrivacySummary {
        epsilonHistory = List.copyOf(epsilonHistory);
    }

    static PrivacySummary of(PrivacySpent s) {
        return s == null ? null : new PrivacySummary(s.epsilon(), s.delta(), s.order(), s.noiseMultiplier(),
                s.maxGradNorm(), s.samplingRate(), s.steps(), s.budgetSpent(), s.epsilonHistory());
    }
}
