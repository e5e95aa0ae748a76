package org.rnnclust.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.LloydRun;

/**
 * k-means, written once above the backend: k-means++ seeding (greedy, with 2 + ln k local trials as
 * in scikit-learn) or k-means||, Lloyd iterations or mini-batch steps, {@code nInit} restarts keeping
 * the lowest inertia, and deterministic handling of empty clusters. The backend's
 * {@link CentroidIndex} answers "which centroid is nearest" and "sum the points of each cluster", and
 * may keep the seeding's and the Lloyd loop's state where its points are ({@link LloydRun},
 * {@code SeedingRun}: on a GPU, the device); nothing here is device-specific.
 *
 * <p>Reproducible: every restart draws from its own generator split off the seed in order, so the
 * same seed gives the same model on the same backend.
 */
public final class KMeans {
    private final KMeansParams params;
    private final IntConsumer restartFinished;

    public KMeans(KMeansParams params) {
        this(params, done -> {});
    }

    /** @param restartFinished told how many restarts are done after each one (progress output) */
    public KMeans(KMeansParams params, IntConsumer restartFinished) {
        this.params = params;
        this.restartFinished = restartFinished;
    }

    public KMeansParams params() {
        return params;
    }

    /** Fits k centroids to the n×d row-major points x. */
    public KMeansModel fit(Backend backend, float[] x, int n, int d) {
        int k = params.k();
        if (n < 1 || d < 1) throw new IllegalArgumentException("no data to cluster (n=" + n + ", d=" + d + ")");
        if (k > n) throw new IllegalArgumentException("k=" + k + " exceeds the number of points n=" + n);
        for (int i = 0; i < n * d; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("point " + (i / d) + " has a non-finite value at dimension " + (i % d));
            }
        }
        double tolAbs = params.tol() * meanVariance(x, n, d);
        SplittableRandom root = new SplittableRandom(params.seed());
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            KMeansModel best = null;
            for (int run = 0; run < params.nInit(); run++) {
                SplittableRandom rng = root.split();
                KMeansModel model = params.batchSize() > 0 && params.batchSize() < n
                        ? miniBatch(backend, index, x, n, d, rng, tolAbs)
                        : lloyd(index, seed(params, backend, index, rng), n, d, tolAbs);
                if (best == null || model.inertia() < best.inertia()) best = model;
                restartFinished.accept(run + 1);
            }
            return best;
        }
    }

    /**
     * Lloyd's iterations from the given k×d centres instead of k-means++ seeds: one run, nInit and
     * batchSize ignored. Distributed k-means started from the same centres is checked against it.
     */
    public KMeansModel fitFrom(Backend backend, float[] x, int n, int d, float[] initialCentres) {
        int k = params.k();
        if (initialCentres.length != k * d) {
            throw new IllegalArgumentException("initial centres hold " + initialCentres.length + " values, expected k×d = "
                    + k * d);
        }
        if (k > n) throw new IllegalArgumentException("k=" + k + " exceeds the number of points n=" + n);
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            return lloyd(index, initialCentres.clone(), n, d, params.tol() * meanVariance(x, n, d));
        }
    }

    private KMeansModel lloyd(CentroidIndex index, float[] centres, int n, int d, double tolAbs) {
        int k = params.k();
        try (LloydRun run = index.lloydRun(centres, k).orElseGet(() -> new HostLloydRun(index, centres, k))) {
            return lloyd(run, n, d, tolAbs);
        }
    }

    /**
     * Lloyd's iterations on the given run's state (the backend's where it keeps one, else
     * {@link HostLloydRun}): stops when no label changes (the update would reproduce the same
     * centres), when the centres move less than the tolerance, or after maxIter iterations.
     */
    KMeansModel lloyd(LloydRun run, int n, int d, double tolAbs) {
        int k = params.k();
        List<KMeansModel.IterationStats> history = new ArrayList<>();
        boolean converged = false;
        int iter = 0;
        while (iter < params.maxIter()) {
            long start = System.nanoTime();
            LloydRun.Assignment assignment = run.assign();
            iter++;
            if (iter > 1 && assignment.changed() == 0) {
                // Strict convergence: the update would reproduce the same centres.
                history.add(new KMeansModel.IterationStats(iter, assignment.inertia(), 0, 0, seconds(start)));
                converged = true;
                break;
            }
            int split = run.relocateEmpty();
            double shift = run.updateCentres();
            history.add(new KMeansModel.IterationStats(iter, assignment.inertia(), shift, split, seconds(start)));
            if (shift <= tolAbs) {
                converged = true;
                break;
            }
        }
        // Labels and inertia that belong to the final centres.
        int[] labels = new int[n];
        float[] dist = new float[n];
        double inertia = run.finish(labels, dist);
        return new KMeansModel(k, d, run.centres(), labels, inertia, iter, converged, List.copyOf(history));
    }

    /**
     * Mini-batch k-means ({@link MiniBatchUpdate}) on batches drawn from a fresh shuffle of the
     * points each pass. Stops after maxIter passes over the data, or when the centres move less
     * than the tolerance.
     */
    private KMeansModel miniBatch(Backend backend, CentroidIndex full, float[] x, int n, int d,
                                  SplittableRandom rng, double tolAbs) {
        int k = params.k();
        int batch = params.batchSize();
        float[] centres;
        List<KMeansModel.IterationStats> history = new ArrayList<>();
        boolean converged = false;
        int step = 0;
        try (MiniBatchUpdate update = new MiniBatchUpdate(backend, seed(params, backend, full, rng), k, d, batch)) {
            float[] bx = new float[batch * d];
            int[] order = identity(n);
            int steps = (int) Math.min(Integer.MAX_VALUE, (long) params.maxIter() * ((n + batch - 1) / batch));
            int cursor = n;
            while (step < steps) {
                long start = System.nanoTime();
                if (cursor + batch > n) {
                    shuffle(order, rng);
                    cursor = 0;
                }
                for (int b = 0; b < batch; b++) System.arraycopy(x, order[cursor + b] * d, bx, b * d, d);
                cursor += batch;
                double inertia = update.step(bx);
                step++;
                history.add(new KMeansModel.IterationStats(step, inertia, update.shift(), 0, seconds(start)));
                if (miniBatchConverged(step, update.shift(), tolAbs, batch, n)) {
                    converged = true;
                    break;
                }
            }
            centres = update.centres();
        }
        int[] labels = new int[n];
        float[] dist = new float[n];
        double inertia = full.assign(centres, k, labels, dist);
        return new KMeansModel(k, d, centres, labels, inertia, step, converged, List.copyOf(history));
    }

    /** k starting centres for one restart, by the params' seeding (k-means++ or k-means||). */
    static float[] seed(KMeansParams params, Backend backend, CentroidIndex index, SplittableRandom rng) {
        return params.seeding() == KMeansParams.Seeding.KMEANS_PARALLEL
                ? KMeansParallel.seed(backend, index, params.k(), rng)
                : KMeansPlusPlus.seed(index, params.k(), rng);
    }

    /**
     * The mini-batch stopping rule: after the first step, a move of the centres below the tolerance
     * scaled to one batch's share of the n points.
     */
    static boolean miniBatchConverged(int step, double shift, double tolAbs, int batch, long n) {
        return step > 1 && shift <= tolAbs * batch / n;
    }

    /**
     * Empty clusters take the points farthest from their current centre, farthest first (the
     * scikit-learn rule): deterministic, and each such point leaves its old cluster's sums.
     * {@code fillDistances} puts each point's squared distance to its centre into {@code dist}; it
     * runs only when some cluster is empty.
     *
     * @return how many clusters were refilled
     */
    static int relocateEmpty(CentroidIndex index, int[] labels, float[] dist, Runnable fillDistances, double[] sums,
                             long[] counts, int d) {
        int k = counts.length;
        int empty = 0;
        for (long c : counts) if (c == 0) empty++;
        if (empty == 0) return 0;
        fillDistances.run();
        int n = labels.length;
        Integer[] far = new Integer[n];
        for (int i = 0; i < n; i++) far[i] = i;
        // Stable sort: equal distances keep index order, so the choice does not depend on the sort.
        Arrays.sort(far, (a, b) -> Float.compare(dist[b], dist[a]));
        float[] p = new float[d];
        int next = 0;
        int split = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] != 0) continue;
            // Never empty another cluster by taking its last point.
            while (next < n && counts[labels[far[next]]] <= 1) next++;
            if (next == n) break;
            int i = far[next++];
            int old = labels[i];
            index.point(i, p);
            for (int j = 0; j < d; j++) {
                sums[old * d + j] -= p[j];
                sums[c * d + j] = p[j];
            }
            counts[old]--;
            counts[c] = 1;
            labels[i] = c;
            split++;
        }
        return split;
    }

    static float[] means(double[] sums, long[] counts, float[] previous, int d) {
        float[] out = previous.clone();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) continue; // only when n < k: keep the old centre
            for (int j = 0; j < d; j++) out[c * d + j] = (float) (sums[c * d + j] / counts[c]);
        }
        return out;
    }

    static double sqShift(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = (double) a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    /** Mean over dimensions of the per-dimension variance: the scale of scikit-learn's tol. */
    static double meanVariance(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double t = x[i * d + j] - mean[j];
                var += t * t;
            }
        }
        return var / ((double) n * d);
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
