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
 * @param seeding       how each restart picks its starting centres (k-means++)
 */
public record KMeansParams(int k, int nInit, int maxIter, double tol, long seed, int batchSize, Seeding seeding) {
    /** How a restart picks its k starting centres. */
    public enum Seeding {
        /** Greedy k-means++ (scikit-learn's): k rounds, each a pass over the points. */
        KMEANS_PLUS_PLUS("k-means++"),
        /**
         * k-means|| (Bahmani et al. 2012, Spark MLlib's default): a few passes that each sample about
         * 2k points, then weighted k-means++ on the sampled points. Fewer passes over the data than
         * k-means++ when k is large.
         */
        KMEANS_PARALLEL("k-means||");

        private final String label;

        Seeding(String label) {
            this.label = label;
        }

        /** The name users write: {@code k-means++} or {@code k-means||}. */
        public String label() {
            return label;
        }

        /** The seeding a user's name stands for. */
        public static Seeding parse(String name) {
            for (Seeding s : values()) if (s.label.equalsIgnoreCase(name.trim())) return s;
            throw new InputException("unknown k-means seeding '" + name + "': k-means++ or k-means||",
                    Setting.KMEANS_SEEDING);
        }
    }

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
        if (seeding == null) throw new InputException("k-means needs a seeding", Setting.KMEANS_SEEDING);
        if (batchSize < 0) {
            throw new InputException("k-means' batch size must be >= 0 (0: full batch), got " + batchSize,
                    Setting.KMEANS_BATCH_SIZE);
        }
    }

    /** k-means++ seeding. */
    public KMeansParams(int k, int nInit, int maxIter, double tol, long seed, int batchSize) {
        this(k, nInit, maxIter, tol, seed, batchSize, Seeding.KMEANS_PLUS_PLUS);
    }

    public static KMeansParams of(int k, long seed) {
        return new KMeansParams(k, DEFAULT_N_INIT, DEFAULT_MAX_ITER, DEFAULT_TOL, seed, 0);
    }

    public KMeansParams withNInit(int n) { return new KMeansParams(k, n, maxIter, tol, seed, batchSize, seeding); }

    public KMeansParams withMaxIter(int n) { return new KMeansParams(k, nInit, n, tol, seed, batchSize, seeding); }

    public KMeansParams withTol(double t) { return new KMeansParams(k, nInit, maxIter, t, seed, batchSize, seeding); }

    public KMeansParams withBatchSize(int b) { return new KMeansParams(k, nInit, maxIter, tol, seed, b, seeding); }

    public KMeansParams withSeeding(Seeding s) { return new KMeansParams(k, nInit, maxIter, tol, seed, batchSize, s); }
}
