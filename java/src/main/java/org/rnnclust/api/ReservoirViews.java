package org.rnnclust.api;

import java.util.List;

/**
 * Views of the sequences that the reservoir representation can add to its model space (screened
 * in docs/experiments.md; the first two together are the default, {@link #DEFAULT}). Each changes
 * what a member reads or clusters:
 *
 * @param differences the reservoirs also read each channel's first difference, x[t] − x[t−1] (0 at
 *                    the first step), taken after resampling: derivative-based series methods (DDTW,
 *                    MultiRocket) see slopes that the values show only through the dynamics
 * @param memberSteps the steps the members read each sequence at, taken in turn (member m reads at
 *                    {@code memberSteps[m % size]}; 0: every step); empty: every member reads at
 *                    {@link ReservoirSettings#maxSteps}. Members at several resolutions put timing
 *                    at several scales into the consensus
 * @param rawWeight   0: none; otherwise each member clusters its model-space coordinates beside the
 *                    sequences' own resampled values reduced by PCA, the two blocks scaled so that
 *                    the values hold this share of the total variance (a multi-view concatenation:
 *                    the raw values keep the level and timing that the model space discards)
 */
public record ReservoirViews(boolean differences, List<Integer> memberSteps, double rawWeight) {
    /** No further view: the members read the sequences as given and cluster the model space alone. */
    public static final ReservoirViews NONE = new ReservoirViews(false, List.of(), 0);

    /**
     * The default: the difference channel, and the members at 32, 64 and 128 steps in turn (the
     * best mean NMI of the screens over 41 datasets, docs/experiments.md). The two gained on
     * different sets: slopes where level and timing carry the class, several resolutions where the
     * class shows at one scale.
     */
    public static final ReservoirViews DEFAULT = new ReservoirViews(true, List.of(32, 64, 128), 0);

    public ReservoirViews {
        if (memberSteps == null) throw new IllegalArgumentException("member steps missing");
        memberSteps = List.copyOf(memberSteps);
        for (int s : memberSteps) {
            if (s < 0) throw new IllegalArgumentException("member steps must be >= 0 (0: every step), got " + s);
        }
        if (!(rawWeight >= 0 && rawWeight < 1)) {
            throw new IllegalArgumentException("the raw view's share of the variance must be in [0, 1), got " + rawWeight);
        }
    }

    /** Whether these views change nothing. */
    public boolean none() {
        return equals(NONE);
    }
}
