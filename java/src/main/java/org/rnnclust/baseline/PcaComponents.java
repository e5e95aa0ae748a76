package org.rnnclust.baseline;

/**
 * How many principal components to keep: a fixed number, or the fewest whose explained variance
 * reaches {@code varianceFraction}, capped at {@code max} (either way at most the rank of the data).
 */
public record PcaComponents(int fixed, double varianceFraction, int max) {
    /** 90 % of the variance, at most 50 components: enough for k-means on UCR-sized series. */
    public static final double DEFAULT_VARIANCE = 0.9;
    public static final int DEFAULT_MAX = 50;

    public PcaComponents {
        if (fixed < 0) throw new IllegalArgumentException("number of components must be >= 0, got " + fixed);
        if (!(varianceFraction > 0 && varianceFraction <= 1)) {
            throw new IllegalArgumentException("variance fraction must be in (0, 1], got " + varianceFraction);
        }
        if (max < 1) throw new IllegalArgumentException("maximum components must be >= 1, got " + max);
    }

    public static PcaComponents defaults() {
        return new PcaComponents(0, DEFAULT_VARIANCE, DEFAULT_MAX);
    }

    public static PcaComponents exactly(int n) {
        return new PcaComponents(n, DEFAULT_VARIANCE, Math.max(1, n));
    }

    /** Components to keep given the variance ratios of all components, largest first. */
    int choose(double[] ratios) {
        int limit = ratios.length;
        if (fixed > 0) return Math.min(fixed, limit);
        double cumulative = 0;
        for (int i = 0; i < limit; i++) {
            cumulative += ratios[i];
            // A hair of tolerance: 0.9 reached "exactly" in double must count as reached.
            if (cumulative >= varianceFraction - 1e-12) return Math.min(i + 1, max);
        }
        return Math.min(limit, max);
    }

    @Override
    public String toString() {
        return fixed > 0 ? fixed + " components" : "components for " + varianceFraction * 100 + " % of variance, at most " + max;
    }
}
