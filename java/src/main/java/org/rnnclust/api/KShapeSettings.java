package org.rnnclust.api;

import org.rnnclust.baseline.KShape;

/**
 * Settings of the k-Shape baseline ({@link Methods#kShape}).
 *
 * @param restarts      random starts, the one of least total shape-based distance kept (default 3;
 *                      tslearn's default is 1, aeon's 10)
 * @param maxIterations iterations per start at most (default 100, as Paparrizos and Gravano)
 */
public record KShapeSettings(int restarts, int maxIterations) {
    public static final int DEFAULT_RESTARTS = KShape.Params.DEFAULT_RESTARTS;
    public static final int DEFAULT_MAX_ITERATIONS = KShape.Params.DEFAULT_MAX_ITERATIONS;

    public KShapeSettings {
        new KShape.Params(restarts, maxIterations);  // validates
    }

    public static KShapeSettings defaults() {
        return new KShapeSettings(DEFAULT_RESTARTS, DEFAULT_MAX_ITERATIONS);
    }

    KShape.Params params() {
        return new KShape.Params(restarts, maxIterations);
    }
}
