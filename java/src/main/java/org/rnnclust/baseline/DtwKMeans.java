package org.rnnclust.baseline;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.PaddedSequences;

/**
 * k-means under dynamic time warping with DBA centroids (Petitjean, Ketterlin and Gançarski, 2011),
 * tslearn's {@code TimeSeriesKMeans(metric="dtw")} with a Sakoe–Chiba band.
 *
 * <p>Start: k-means++ seeding under DTW (the first centroid a uniformly drawn series, each next one
 * a series drawn with probability proportional to its squared DTW distance to the nearest centroid
 * so far). Each iteration assigns every series to the centroid of least DTW distance, refills
 * empty clusters ({@link EmptyClusters}), stops when the labels repeat, and otherwise moves each
 * centroid by {@code dbaIterations} DBA updates that start from where it is. The restart of least
 * inertia (sum of squared DTW distances) wins.
 *
 * <p>Series are taken as they come (the evaluation z-normalises them beforehand); unequal lengths
 * as padded with zeros to the longest.
 */
public final class DtwKMeans {
    private DtwKMeans() {}

    /**
     * @param window        the Sakoe–Chiba band as a fraction of the length (radius ⌊window·m⌋
     *                      steps); 1 is unconstrained DTW
     * @param restarts      k-means++ starts; the one of least inertia wins (tslearn's default: 1)
     * @param maxIterations assignment rounds per start at most (tslearn's default: 50)
     * @param dbaIterations DBA updates of each centroid per round
     */
    public record Params(double window, int restarts, int maxIterations, int dbaIterations) {
        public static final double DEFAULT_WINDOW = 0.1;
        public static final int DEFAULT_RESTARTS = 1;
        public static final int DEFAULT_MAX_ITERATIONS = 50;
        public static final int DEFAULT_DBA_ITERATIONS = 3;

        public Params {
            // InputException naming the setting: these come from users' flags, checked before any work.
            if (!(window >= 0 && window <= 1)) {
                throw new InputException("DTW window must be in [0, 1], got " + window, Setting.DTW_WINDOW);
            }
            if (restarts < 1) {
                throw new InputException("DTW k-means restarts must be >= 1, got " + restarts,
                        Setting.DTW_KMEANS_RESTARTS);
            }
            if (maxIterations < 1) {
                throw new InputException("DTW k-means iterations must be >= 1, got " + maxIterations,
                        Setting.DTW_KMEANS_MAX_ITERATIONS);
            }
            if (dbaIterations < 1) {
                throw new InputException("DBA iterations must be >= 1, got " + dbaIterations, Setting.DBA_ITERATIONS);
            }
        }

        public static Params defaults() {
            return new Params(DEFAULT_WINDOW, DEFAULT_RESTARTS, DEFAULT_MAX_ITERATIONS, DEFAULT_DBA_ITERATIONS);
        }
    }

    /** Fits k clusters on {@code data}; the same seed gives the same result. */
    public static SeriesClustering fit(PaddedSequences data, int k, Params params, long seed) {
        int n = data.n();
        if (k < 1 || k > n) throw new IllegalArgumentException(k + " clusters for " + n + " series");
        int m = data.maxLength();
        int c = data.channels();
        double[][] series = asDoubles(data);
        int radius = Dtw.radius(params.window(), m);
        SplittableRandom random = new SplittableRandom(seed);
        SeriesClustering best = null;
        for (int r = 0; r < params.restarts(); r++) {
            double[][] start = kMeansPlusPlus(series, m, c, k, radius, random);
            SeriesClustering run = fitFrom(series, m, c, start, radius, params.maxIterations(), params.dbaIterations());
            if (best == null || run.inertia() < best.inertia()) best = run;
        }
        return best;
    }

    /** The iterations from the centroids {@code initial} (k of m × c; not modified). */
    public static SeriesClustering fitFrom(double[][] series, int m, int c, double[][] initial, int radius,
                                           int maxIterations, int dbaIterations) {
        int k = initial.length;
        double[][] centroids = Arrays.stream(initial).map(double[]::clone).toArray(double[][]::new);
        int[] labels = null;
        SeriesClustering.Nearest nearest = null;
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            iterations++;
            nearest = nearest(series, m, c, centroids, radius);
            double[] distances = nearest.distances();
            EmptyClusters.relocate(nearest.labels(), distances, k);
            if (labels != null && Arrays.equals(labels, nearest.labels())) {
                converged = true;
                break;
            }
            labels = nearest.labels();
            int[] assigned = labels;
            IntStream.range(0, k).parallel().forEach(j -> {
                List<double[]> members = IntStream.range(0, series.length).filter(i -> assigned[i] == j)
                        .mapToObj(i -> series[i]).toList();
                for (int t = 0; t < dbaIterations; t++) centroids[j] = Dtw.dbaUpdate(centroids[j], members, m, c, radius);
            });
        }
        double inertia = 0;
        for (double d : nearest.distances()) inertia += d * d;
        double[] flat = new double[k * m * c];
        for (int j = 0; j < k; j++) System.arraycopy(centroids[j], 0, flat, j * m * c, m * c);
        return new SeriesClustering(k, m, c, flat, nearest.labels(), inertia, iterations, converged);
    }

    /** Each series of {@code data} to the centroid of {@code fit} of least DTW distance within {@code radius}. */
    public static SeriesClustering.Nearest assign(SeriesClustering fit, PaddedSequences data, int radius) {
        if (data.maxLength() != fit.length() || data.channels() != fit.channels()) {
            throw new IllegalArgumentException("series of " + data.maxLength() + " × " + data.channels()
                    + " for centroids of " + fit.length() + " × " + fit.channels());
        }
        double[][] centroids = IntStream.range(0, fit.k()).mapToObj(fit::centroid).toArray(double[][]::new);
        return nearest(asDoubles(data), fit.length(), fit.channels(), centroids, radius);
    }

    private static SeriesClustering.Nearest nearest(double[][] series, int m, int c, double[][] centroids, int radius) {
        int[] labels = new int[series.length];
        double[] distances = new double[series.length];
        IntStream.range(0, series.length).parallel().forEach(i -> {
            double best = Double.POSITIVE_INFINITY;
            int bestCluster = 0;
            for (int j = 0; j < centroids.length; j++) {
                double d = Dtw.squaredDistanceBelow(centroids[j], series[i], m, c, radius, best);
                if (d < best) {
                    best = d;
                    bestCluster = j;
                }
            }
            labels[i] = bestCluster;
            distances[i] = Math.sqrt(best);
        });
        return new SeriesClustering.Nearest(labels, distances);
    }

    /** k-means++ seeding with squared DTW distances as the weights. */
    private static double[][] kMeansPlusPlus(double[][] series, int m, int c, int k, int radius, SplittableRandom random) {
        int n = series.length;
        double[][] centroids = new double[k][];
        centroids[0] = series[random.nextInt(n)].clone();
        double[] nearestSquared = new double[n];
        Arrays.fill(nearestSquared, Double.POSITIVE_INFINITY);
        for (int j = 1; j < k; j++) {
            double[] last = centroids[j - 1];
            IntStream.range(0, n).parallel().forEach(i -> nearestSquared[i] = Math.min(nearestSquared[i],
                    Dtw.squaredDistanceBelow(last, series[i], m, c, radius, nearestSquared[i])));
            double total = 0;
            for (double d : nearestSquared) total += d;
            int chosen;
            if (total > 0) {
                double target = random.nextDouble() * total;
                chosen = 0;
                double cumulated = nearestSquared[0];
                while (cumulated <= target && chosen < n - 1) cumulated += nearestSquared[++chosen];
            } else {
                chosen = random.nextInt(n); // every series coincides with a centroid: any will do
            }
            centroids[j] = series[chosen].clone();
        }
        return centroids;
    }

    private static double[][] asDoubles(PaddedSequences data) {
        int size = data.rowSize();
        double[][] out = new double[data.n()][size];
        for (int i = 0; i < data.n(); i++) {
            for (int v = 0; v < size; v++) out[i][v] = data.values()[i * size + v];
        }
        return out;
    }
}
