package org.rnnclust.api;

import org.rnnclust.cluster.KMeansParams;

/**
 * k-means settings, scikit-learn's defaults. The number of clusters and the seed are the fit's.
 *
 * @param nInit     k-means++ restarts; the lowest inertia wins
 * @param maxIter   Lloyd iterations (mini-batch: epochs) per restart
 * @param tol       stop when the centres move less than tol × the mean feature variance
 * @param batchSize 0: full-batch Lloyd; B > 0: mini-batch k-means with batches of B
 */
public record KMeansSettings(int nInit, int maxIter, double tol, int batchSize) {
    public static final int DEFAULT_N_INIT = KMeansParams.DEFAULT_N_INIT;
    public static final int DEFAULT_MAX_ITER = KMeansParams.DEFAULT_MAX_ITER;
    public static final double DEFAULT_TOL = KMeansParams.DEFAULT_TOL;

    public KMeansSettings {
        params(1, 0, nInit, maxIter, tol, batchSize);  // validates
    }

    public static KMeansSettings defaults() {
        return new KMeansSettings(DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, 0);
    }

    /** The defaults with {@code nInit} restarts. */
    public static KMeansSettings withRestarts(int nInit) {
        return new KMeansSettings(nInit, DEFAULT_MAX_ITER, DEFAULT_TOL, 0);
    }

    KMeansParams params(int k, long seed) {
        return params(k, seed, nInit, maxIter, tol, batchSize);
    }

    private static KMeansParams params(int k, long seed, int nInit, int maxIter, double tol, int batchSize) {
        return new KMeansParams(k, nInit, maxIter, tol, seed, batchSize);
    }
}
