package org.rnnclust.backend;

/**
 * A {@link CentroidIndex} that may choose nearest centroids with reduced-precision arithmetic
 * (tensor cores) and recompute in FP32 the points it cannot decide, so that its answers stay the
 * FP32 ones. Benchmarks report how many points took the FP32 way.
 */
public interface RecheckedAssignment {
    /**
     * What the last assignment recomputed in FP32.
     *
     * @param points the points assigned
     * @param pairs  points whose two closest candidates were recomputed in FP32
     * @param full   points recomputed in FP32 against every centroid (three or more candidates)
     */
    record Rechecks(long points, long pairs, long full) {}

    /** The counts of the last assignment, or null when it did not use reduced precision (or none ran yet). */
    Rechecks lastRechecks();
}
