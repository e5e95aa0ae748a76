package org.rnnclust.api;

import org.rnnclust.cluster.KMeansParams;

/**
 * k-means settings, scikit-learn's defaults. The number of clusters and the seed are the fit's.
 *
 * @param nInit     k-means++ restarts; the lowest inertia wins
 * @param maxIter   Lloyd iterations (mini-batch: epochs) per restart
 * @param tol       stop when the centres move less than tol × the mean feature variance
 * @param batchSize 0: full-batch Lloyd; B > 0: mini-batch k-means with batches of B
 * @param seeding   how each restart picks its starting centres: k-means++, or k-means|| for large k
 */
public record KMeansSettings(int nInit, int maxIter, double tol, int batchSize, KMeansParams.Seeding seeding) {
    public static final int DEFAULT_N_INIT = KMeansParams.DEFAULT_N_INIT;
    public static final int DEFAULT_MAX_ITER = KMeansParams.DEFAULT_MAX_ITER;
    public static final double DEFAULT_TOL = KMeansParams.DEFAULT_TOL;

    public KMeansSettings {
        params(1, 0, nInit, maxIter, tol, batchSize, seeding);  // validates
    }

    /** k-means++ seeding. */
    public KMeansSettings(int nInit, int maxIter, double tol, int batchSize) {
        this(nInit, maxIter, tol, batchSize, KMeansParams.Seeding.KMEANS_PLUS_PLUS);
    }

    /** The seeding by the name users write: {@code k-means++} or {@code k-means||}. */
    public KMeansSettings(int nInit, int maxIter, double tol, int batchSize, String seeding) {
        this(nInit, maxIter, tol, batchSize, KMeansParams.Seeding.parse(seeding));
    }

    public static KMeansSettings defaults() {
        return new KMeansSettings(DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, 0);
    }

    /** The defaults with {@code nInit} restarts. */
    public static KMeansSettings withRestarts(int nInit) {
        return new KMeansSettings(nInit, DEFAULT_MAX_ITER, DEFAULT_TOL, 0);
    }

    /** The seeding's name as users write it ({@code k-means++}, {@code k-means||}). */
    public String seedingName() {
        return seeding.label();
    }

    KMeansParams params(int k, long seed) {
        return params(k, seed, nInit, maxIter, tol, batchSize, seeding);
    }

    private static KMeansParams params(int k, long seed, int nInit, int maxIter, double tol, int batchSize,
                                       KMeansParams.Seeding seeding) {
        return new KMeansParams(k, nInit, maxIter, tol, seed, batchSize, seeding);
    }
}
