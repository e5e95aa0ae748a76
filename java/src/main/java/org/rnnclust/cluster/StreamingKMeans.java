package org.rnnclust.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.data.RowSample;

/**
 * Mini-batch k-means on points read from disk a chunk at a time, for data larger than memory: the
 * heap holds one chunk, one batch, a seeding sample and the centres (and, for a file that can
 * seek, one index per point), whatever the number of points.
 *
 * <ol>
 *   <li>One pass keeps a seeded uniform sample of {@link #sampleSize} points. Each of the nInit
 *       restarts seeds k-means++ on it with its own generator; the seeds with the lowest inertia on
 *       the sample win (scikit-learn's MiniBatchKMeans chooses among its restarts the same way,
 *       instead of running each to the end). The sample's mean variance also scales the
 *       tolerance, as the whole data's does in memory.</li>
 *   <li>Up to maxIter epochs of {@link MiniBatchUpdate} steps, with the in-memory stopping rule
 *       ({@link KMeans#miniBatchConverged}). Points that can be read anywhere
 *       ({@link Points#randomAccess}) give each batch from a fresh shuffle of all of them per
 *       epoch, as {@link KMeans} does in memory. Others are read in passes, in order, each chunk's
 *       points shuffled, batches running on across chunks and passes: a file sorted by class then
 *       gives batches of one class at a time, and worse centres.</li>
 * </ol>
 * Labels are then one more pass, {@link Fit#assign} chunk by chunk, done by the caller, which
 * writes them out as they come.
 */
public final class StreamingKMeans {
    /** Points that can be read more than once, front to back, a chunk at a time. */
    public interface Points {
        /** How many points one pass gives (a file header says, before any is read). */
        int count();

        /** The values of each point. */
        int dimensions();

        /** One pass over every point, in order: {@code chunk} gets row-major n × dimensions arrays. */
        void pass(Chunk chunk);

        /**
         * Whether {@link #read} fetches points from anywhere (a file that can seek): each epoch's
         * batches are then drawn from a fresh shuffle of all the points, as in memory, and not a
         * chunk at a time.
         */
        default boolean randomAccess() {
            return false;
        }

        /** The points at the ascending indices {@code rows}, row-major into {@code out}. */
        default void read(int[] rows, float[] out) {
            throw new UnsupportedOperationException("these points are read front to back only");
        }
    }

    /** The next points of a pass: the first {@code n} rows of {@code x}. */
    @FunctionalInterface
    public interface Chunk {
        void accept(float[] x, int n);
    }

    /**
     * The fitted centres.
     *
     * @param steps          the mini-batch steps taken
     * @param epochs         the passes they read (the last maybe in part)
     * @param sampleSize     the points the seeds were chosen on
     * @param history        one entry per step
     */
    public record Fit(int k, int d, float[] centroids, int points, int steps, int epochs, boolean converged,
                      int sampleSize, List<KMeansModel.IterationStats> history) {
        /** The nearest centre of each of the n points in x (n × d), and their squared distances. */
        public KMeansModel.Assignment assign(Backend backend, float[] x, int n) {
            return KMeansModel.nearest(backend, centroids, k, d, x, n);
        }
    }

    private final KMeansParams params;

    /** {@code params.batchSize()} must be positive: this is mini-batch k-means only. */
    public StreamingKMeans(KMeansParams params) {
        if (params.batchSize() < 1) {
            throw new IllegalArgumentException("streamed k-means is mini-batch k-means: batch size must be >= 1, got "
                    + params.batchSize());
        }
        this.params = params;
    }

    /** The seeding sample's size for n points: scikit-learn's init_size, 3 × batch (3 × k if more), at most n. */
    public int sampleSize(int n) {
        int wanted = Math.max(3 * params.batchSize(), 3 * params.k());
        return Math.min(n, wanted);
    }

    public Fit fit(Backend backend, Points points) {
        int n = points.count();
        int d = points.dimensions();
        int k = params.k();
        if (n < 1 || d < 1) throw new IllegalArgumentException("no data to cluster (n=" + n + ", d=" + d + ")");
        if (k > n) throw new IllegalArgumentException("k=" + k + " exceeds the number of points n=" + n);
        SplittableRandom root = new SplittableRandom(params.seed());
        int m = sampleSize(n);
        float[] sample = sample(points, RowSample.sorted(n, m, root.split()), d);
        double tolAbs = params.tol() * KMeans.meanVariance(sample, m, d);

        float[] seeds = null;
        double seedInertia = Double.POSITIVE_INFINITY;
        try (CentroidIndex index = backend.centroidIndex(sample, m, d)) {
            int[] labels = new int[m];
            for (int run = 0; run < params.nInit(); run++) {
                float[] candidate = KMeans.seed(params, backend, index, root.split());
                double inertia = index.assign(candidate, k, labels, null);
                if (seeds == null || inertia < seedInertia) {
                    seeds = candidate;
                    seedInertia = inertia;
                }
            }
        }
        return miniBatch(backend, points, seeds, m, root.split(), tolAbs);
    }

    private Fit miniBatch(Backend backend, Points points, float[] seeds, int sampleSize, SplittableRandom rng,
                          double tolAbs) {
        int n = points.count();
        int d = points.dimensions();
        int batch = Math.min(params.batchSize(), n);
        try (MiniBatchUpdate update = new MiniBatchUpdate(backend, seeds, params.k(), d, batch)) {
            Steps run = new Steps(update, batch, n,
                    Math.min(Integer.MAX_VALUE, (long) params.maxIter() * ((n + batch - 1) / batch)), tolAbs);
            int epochs = points.randomAccess() ? shuffledEpochs(points, run, rng) : passes(points, run, rng);
            return new Fit(params.k(), d, run.update.centres(), n, run.step, epochs, run.converged, sampleSize,
                    List.copyOf(run.history));
        }
    }

    /** Batches of consecutive points of a fresh shuffle of all of them each epoch, as {@link KMeans} does in memory. */
    private static int shuffledEpochs(Points points, Steps run, SplittableRandom rng) {
        int n = points.count();
        int batch = run.batchSize;
        float[] x = new float[batch * points.dimensions()];
        int[] order = KMeans.identity(n);
        int[] rows = new int[batch];
        int epochs = 0;
        int cursor = n;
        while (run.more()) {
            if (cursor + batch > n) {
                KMeans.shuffle(order, rng);
                cursor = 0;
                epochs++;
            }
            System.arraycopy(order, cursor, rows, 0, batch);
            cursor += batch;
            java.util.Arrays.sort(rows);  // the same batch, read in file order
            points.read(rows, x);
            run.step(x);
        }
        return epochs;
    }

    /** Passes in order, each chunk's points shuffled; a batch runs on across chunks and passes, so each is full. */
    private static int passes(Points points, Steps run, SplittableRandom rng) {
        int d = points.dimensions();
        float[] x = new float[run.batchSize * d];
        int[] filled = {0};
        long[] seen = {0};
        int epochs = 0;
        while (run.more()) {
            epochs++;
            long before = seen[0];
            points.pass((chunk, rows) -> {
                seen[0] += rows;
                int[] order = KMeans.identity(rows);
                KMeans.shuffle(order, rng);
                for (int r = 0; r < rows && run.more(); r++) {
                    System.arraycopy(chunk, order[r] * d, x, filled[0] * d, d);
                    if (++filled[0] < run.batchSize) continue;
                    filled[0] = 0;
                    run.step(x);
                }
            });
            if (seen[0] == before) {
                throw new IllegalStateException("a pass gave no points, " + points.count() + " were announced");
            }
        }
        return epochs;
    }

    /** The mini-batch steps, their budget and the stopping rule, wherever the batches come from. */
    private static final class Steps {
        final MiniBatchUpdate update;
        final int batchSize;
        final int n;
        final long budget;
        final double tolAbs;
        final List<KMeansModel.IterationStats> history = new ArrayList<>();
        int step;
        boolean converged;

        Steps(MiniBatchUpdate update, int batchSize, int n, long budget, double tolAbs) {
            this.update = update;
            this.batchSize = batchSize;
            this.n = n;
            this.budget = budget;
            this.tolAbs = tolAbs;
        }

        boolean more() {
            return !converged && step < budget;
        }

        void step(float[] batch) {
            long start = System.nanoTime();
            double inertia = update.step(batch);
            step++;
            history.add(new KMeansModel.IterationStats(step, inertia, update.shift(), 0,
                    (System.nanoTime() - start) / 1e9));
            converged = KMeans.miniBatchConverged(step, update.shift(), tolAbs, batchSize, n);
        }
    }

    /** The points at the sorted indices {@code rows}, in one pass. */
    private static float[] sample(Points points, int[] rows, int d) {
        float[] out = new float[rows.length * d];
        int[] seen = {0};
        int[] next = {0};
        points.pass((x, n) -> {
            for (int i = 0; i < n && next[0] < rows.length; i++, seen[0]++) {
                if (rows[next[0]] == seen[0]) {
                    System.arraycopy(x, i * d, out, next[0] * d, d);
                    next[0]++;
                }
            }
        });
        if (next[0] != rows.length) {
            throw new IllegalStateException("a pass gave " + seen[0] + " points, fewer than the " + points.count()
                    + " announced");
        }
        return out;
    }
}
