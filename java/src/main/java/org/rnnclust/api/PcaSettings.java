package org.rnnclust.api;

import org.rnnclust.baseline.PcaComponents;

/**
 * How many principal components the PCA baseline keeps: {@code components} when above 0, else the
 * fewest that explain {@code variance} of it, at most {@code maxComponents} (always at most the
 * rank of the data).
 */
public record PcaSettings(int components, double variance, int maxComponents) {
    public static final double DEFAULT_VARIANCE = PcaComponents.DEFAULT_VARIANCE;
    public static final int DEFAULT_MAX = PcaComponents.DEFAULT_MAX;

    public PcaSettings {
        rule(components, variance, maxComponents);  // validates
    }

    /** 90 % of the variance, at most 50 components. */
    public static PcaSettings defaults() {
        return new PcaSettings(0, DEFAULT_VARIANCE, DEFAULT_MAX);
    }

    PcaComponents rule() {
        return rule(components, variance, maxComponents);
    }

    private static PcaComponents rule(int components, double variance, int max) {
        return new PcaComponents(components, variance, max);
    }

    @Override
    public String toString() {
        return rule().toString();
    }
}
