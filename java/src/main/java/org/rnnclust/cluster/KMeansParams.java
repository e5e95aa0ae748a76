package org.rnnclust.cluster;

import org.rnnclust.InputException;
import org.rnnclust.Setting;

/**
 * k-means settings, with scikit-learn's defaults where it has one.
 *
 * @param k             number of clusters
 * @param nInit         restarts with different k-means++ seeds; the lowest inertia wins (10)
 * @param maxIter       Lloyd iterations (or mini-batch epochs) per restart (300)
 * @param tol           stop when the centres move less than tol × the mean per-feature variance of
 *                      the data, in summed squared distance (1e-4, scikit-learn's definition)
 * @param seed          all randomness derives from it: the same seed gives the same result
 * @param batchSize     0 for full-batch Lloyd; otherwise mini-batch k-means with batches this large
 */
public record KMeansParams(int k, int nInit, int maxIter, double tol, long seed, int batchSize) {
    public static final int DEFAULT_N_INIT = 10;
    public static final int DEFAULT_MAX_ITER = 300;
    public static final double DEFAULT_TOL = 1e-4;

    public KMeansParams {
        // InputException naming the setting: these come from users' flags, checked before any work.
        if (k < 1) throw new InputException("the number of clusters must be at least 1, got " + k, Setting.CLUSTERS);
        if (nInit < 1) {
            throw new InputException("k-means needs at least 1 restart, got " + nInit, Setting.KMEANS_RESTARTS);
        }
        if (maxIter < 1) {
            throw new InputException("k-means needs at least 1 iteration per restart, got " + maxIter,
                    Setting.KMEANS_MAX_ITERATIONS);
        }
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            throw new InputException("k-means' tolerance must be a finite number >= 0, got " + tol,
                    Setting.KMEANS_TOLERANCE);
        }
        if (batchSize < 0) {
            throw new InputException("k-means' batch size must be >= 0 (0: full batch), got " + batchSize,
                    Setting.KMEANS_BATCH_SIZE);
        }
    }

    public static KMeansParams of(int k, long seed) {
        return new KMeansParams(k, DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, seed, 0);
    }

    public KMeansParams withNInit(int n) { return new KMeansParams(k, n, maxIter, tol, seed, batchSize); }

    public KMeansParams withMaxIter(int n) { return new KMeansParams(k, nInit, n, tol, seed, batchSize); }

    public KMeansParams withTol(double t) { return new KMeansParams(k, nInit, maxIter, t, seed, batchSize); }

    public KMeansParams withBatchSize(int b) { return new KMeansParams(k, nInit, maxIter, tol, seed, b); }
}
