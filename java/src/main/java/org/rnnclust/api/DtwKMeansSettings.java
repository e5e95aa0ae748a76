package org.rnnclust.api;

import org.rnnclust.baseline.DtwKMeans;

/**
 * Settings of the DTW k-means baseline with DBA centroids ({@link Methods#dtwKMeans}).
 *
 * @param window        Sakoe–Chiba band as a fraction of the series' length (default 0.1: a radius
 *                      of ⌊0.1·m⌋ steps; 1 is unconstrained DTW)
 * @param restarts      k-means++ starts under DTW, the one of least inertia kept (default 1, as
 *                      tslearn)
 * @param maxIterations assignment rounds per start at most (default 50, as tslearn)
 * @param dbaIterations DBA updates of each centroid per round (default 3)
 */
public record DtwKMeansSettings(double window, int restarts, int maxIterations, int dbaIterations) {
    public static final double DEFAULT_WINDOW = DtwKMeans.Params.DEFAULT_WINDOW;
    public static final int DEFAULT_RESTARTS = DtwKMeans.Params.DEFAULT_RESTARTS;
    public static final int DEFAULT_MAX_ITERATIONS = DtwKMeans.Params.DEFAULT_MAX_ITERATIONS;
    public static final int DEFAULT_DBA_ITERATIONS = DtwKMeans.Params.DEFAULT_DBA_ITERATIONS;

    public DtwKMeansSettings {
        new DtwKMeans.Params(window, restarts, maxIterations, dbaIterations);  // validates
    }

    public static DtwKMeansSettings defaults() {
        DtwKMeans.Params d = DtwKMeans.Params.defaults();
        return new DtwKMeansSettings(d.window(), d.restarts(), d.maxIterations(), d.dbaIterations());
    }

    DtwKMeans.Params params() {
        return new DtwKMeans.Params(window, restarts, maxIterations, dbaIterations);
    }
}
