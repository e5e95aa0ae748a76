package org.rnnclust.baseline;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.linalg.LinearAlgebra;

/**
 * k-Shape (Paparrizos and Gravano, SIGMOD 2015): k-means with the shape-based distance and shape
 * extraction for centroids.
 *
 * <p><b>Distance.</b> SBD(x, y) = 1 − max_w NCC(x, y)(w), with NCC the cross-correlation
 * r(w) = Σ_t x[t+w]·y[t] over every lag w in −(m−1)..m−1, divided by ‖x‖‖y‖; r is computed by FFT of
 * length the power of two ≥ 2m−1. The best lag w aligns y to x: y'[t] = y[t−w], zero-filled.
 * Several channels: their cross-correlations are summed and divided by the norms over all
 * channels, so one lag shifts every channel alike (tslearn's multivariate k-Shape does the same).
 *
 * <p><b>Shape extraction.</b> A cluster's members, aligned to its current centroid, give per
 * channel S = XᵀX and M = QᵀSQ with Q = I − 11ᵀ/m; the new centroid is M's eigenvector of largest
 * eigenvalue (LAPACK), its sign chosen so that the members' sum correlates with it non-negatively,
 * z-normalised. A centroid that is still all zeros (the first iteration) aligns nothing.
 *
 * <p><b>Iterations.</b> Series are z-normalised (per channel, over their own length; padding stays
 * zero). Each restart starts from a random balanced partition (every cluster gets ⌊n/k⌋ or
 * ⌈n/k⌉ series, shuffled by the seed) and zero centroids, then repeats: extract every cluster's
 * shape, assign every series to the centroid of least SBD, refill empty clusters
 * ({@link EmptyClusters}), until the labels repeat or {@code maxIterations}. The restart with the
 * least sum of SBD wins. A series is aligned for the extraction by the lag found when it was
 * assigned, which is its lag to that very centroid.
 *
 * <p>Unequal lengths: series are taken as padded with zeros to the longest.
 */
public final class KShape {
    private KShape() {}

    /** Doubles of series spectra kept between iterations at most (128 MB). */
    private static final long SPECTRA_CACHE_VALUES = 16L << 20;

    /**
     * @param restarts      random starts; the one of least total SBD wins (tslearn's default is 1,
     *                      aeon's 10)
     * @param maxIterations iterations per start at most (Paparrizos and Gravano: 100)
     */
    public record Params(int restarts, int maxIterations) {
        public static final int DEFAULT_RESTARTS = 3;
        public static final int DEFAULT_MAX_ITERATIONS = 100;

        public Params {
            // InputException naming the setting: these come from users' flags, checked before any work.
            if (restarts < 1) {
                throw new InputException("k-Shape restarts must be >= 1, got " + restarts, Setting.KSHAPE_RESTARTS);
            }
            if (maxIterations < 1) {
                throw new InputException("k-Shape iterations must be >= 1, got " + maxIterations,
                        Setting.KSHAPE_MAX_ITERATIONS);
            }
        }

        public static Params defaults() {
            return new Params(DEFAULT_RESTARTS, DEFAULT_MAX_ITERATIONS);
        }
    }

    /** The shape-based distance of a pair and the lag that aligns the second series to the first. */
    public record Match(double distance, int lag) {}

    /** Fits k clusters on {@code data}; the same seed gives the same result. */
    public static SeriesClustering fit(PaddedSequences data, int k, Params params, long seed) {
        return fit(data, k, params, seed, false);
    }

    /**
     * As {@link #fit(PaddedSequences, int, Params, long)}; {@code deterministic}: the shapes by the
     * deterministic mode's fixed-order eigensolver, whose bits do not depend on the machine.
     */
    public static SeriesClustering fit(PaddedSequences data, int k, Params params, long seed, boolean deterministic) {
        int n = data.n();
        if (k < 1 || k > n) throw new IllegalArgumentException(k + " clusters for " + n + " series");
        double[][] series = zNormalised(data);
        SplittableRandom random = new SplittableRandom(seed);
        SeriesClustering best = null;
        for (int r = 0; r < params.restarts(); r++) {
            int[] initial = balancedRandomPartition(n, k, random);
            SeriesClustering run = fitFrom(series, data.maxLength(), data.channels(), k, initial, params.maxIterations(),
                    LinearAlgebra.of(deterministic));
            if (best == null || run.inertia() < best.inertia()) best = run;
        }
        return best;
    }

    /**
     * The k-Shape iterations from the clusters {@code initialLabels} of the (already
     * z-normalised) {@code series}, each m × c row-major.
     */
    public static SeriesClustering fitFrom(double[][] series, int m, int c, int k, int[] initialLabels,
                                           int maxIterations) {
        return fitFrom(series, m, c, k, initialLabels, maxIterations, LinearAlgebra.lapack());
    }

    /** As {@link #fitFrom(double[][], int, int, int, int[], int)}, the shapes' eigenvectors by {@code dense}. */
    public static SeriesClustering fitFrom(double[][] series, int m, int c, int k, int[] initialLabels,
                                           int maxIterations, LinearAlgebra dense) {
        int n = series.length;
        CrossCorrelation cc = new CrossCorrelation(m, c);
        // The series' spectra are kept across iterations when they fit in SPECTRA_CACHE_VALUES,
        // else recomputed in each assignment (same values either way).
        boolean cache = (long) n * cc.spectrumLength() <= SPECTRA_CACHE_VALUES;
        double[][] spectra = cache ? Arrays.stream(series).parallel().map(cc::spectrum).toArray(double[][]::new) : null;
        double[] norms = Arrays.stream(series).mapToDouble(KShape::norm).toArray();

        double[][] centroids = new double[k][m * c];
        int[] labels = initialLabels.clone();
        int[] lags = new int[n];
        boolean[] aligned = new boolean[n];
        double[] distances = new double[n];
        int iterations = 0;
        boolean converged = false;
        while (iterations < maxIterations) {
            iterations++;
            int[] previous = labels.clone();
            int[] labelsNow = labels;
            IntStream.range(0, k).parallel().forEach(j -> {
                boolean alignToCentroid = !allZero(centroids[j]);
                List<double[]> members = IntStream.range(0, n).filter(i -> labelsNow[i] == j)
                        .mapToObj(i -> alignToCentroid && aligned[i] ? shift(series[i], m, c, lags[i]) : series[i])
                        .toList();
                centroids[j] = extractShape(members, m, c, dense);
            });
            double[][] centroidSpectra = Arrays.stream(centroids).map(cc::spectrum).toArray(double[][]::new);
            double[] centroidNorms = Arrays.stream(centroids).mapToDouble(KShape::norm).toArray();
            IntStream.range(0, n).parallel().forEach(i -> {
                double[][] work = cc.workspace();
                double[] spectrum = cache ? spectra[i] : cc.spectrum(series[i]);
                int bestCluster = 0;
                Match best = null;
                for (int j = 0; j < k; j++) {
                    Match match = cc.match(centroidSpectra[j], centroidNorms[j], spectrum, norms[i], work);
                    if (best == null || match.distance() < best.distance()) {
                        best = match;
                        bestCluster = j;
                    }
                }
                labels[i] = bestCluster;
                lags[i] = best.lag();
                distances[i] = best.distance();
            });
            Arrays.fill(aligned, true);
            for (int moved : EmptyClusters.relocate(labels, distances, k)) aligned[moved] = false;
            if (Arrays.equals(labels, previous)) {
                converged = true;
                break;
            }
        }
        double[] flat = new double[k * m * c];
        for (int j = 0; j < k; j++) System.arraycopy(centroids[j], 0, flat, j * m * c, m * c);
        return new SeriesClustering(k, m, c, flat, labels, Arrays.stream(distances).sum(), iterations, converged);
    }

    /** Each series of {@code data} (z-normalised first) to the centroid of {@code fit} of least SBD. */
    public static SeriesClustering.Nearest assign(SeriesClustering fit, PaddedSequences data) {
        if (data.maxLength() != fit.length() || data.channels() != fit.channels()) {
            throw new IllegalArgumentException("series of " + data.maxLength() + " × " + data.channels()
                    + " for centroids of " + fit.length() + " × " + fit.channels());
        }
        int m = fit.length();
        int c = fit.channels();
        CrossCorrelation cc = new CrossCorrelation(m, c);
        double[][] centroidSpectra = new double[fit.k()][];
        double[] centroidNorms = new double[fit.k()];
        for (int j = 0; j < fit.k(); j++) {
            double[] centroid = fit.centroid(j);
            centroidSpectra[j] = cc.spectrum(centroid);
            centroidNorms[j] = norm(centroid);
        }
        double[][] series = zNormalised(data);
        int[] labels = new int[data.n()];
        double[] distances = new double[data.n()];
        IntStream.range(0, data.n()).parallel().forEach(i -> {
            double[][] work = cc.workspace();
            double[] spectrum = cc.spectrum(series[i]);
            double norm = norm(series[i]);
            distances[i] = Double.POSITIVE_INFINITY;
            for (int j = 0; j < fit.k(); j++) {
                double d = cc.match(centroidSpectra[j], centroidNorms[j], spectrum, norm, work).distance();
                if (d < distances[i]) {
                    distances[i] = d;
                    labels[i] = j;
                }
            }
        });
        return new SeriesClustering.Nearest(labels, distances);
    }

    /** SBD(x, y) and the lag aligning y to x, for two series of m × c (row-major). */
    public static Match sbd(double[] x, double[] y, int m, int c) {
        CrossCorrelation cc = new CrossCorrelation(m, c);
        return cc.match(cc.spectrum(x), norm(x), cc.spectrum(y), norm(y), cc.workspace());
    }

    /** y shifted by {@code lag} steps: y'[t] = y[t − lag], zero where t − lag is outside the series. */
    public static double[] shift(double[] y, int m, int c, int lag) {
        double[] out = new double[m * c];
        for (int t = Math.max(0, lag); t < Math.min(m, m + lag); t++) {
            System.arraycopy(y, (t - lag) * c, out, t * c, c);
        }
        return out;
    }

    /**
     * The shape of {@code aligned} members (each m × c): per channel, the eigenvector of the largest
     * eigenvalue of QᵀXᵀXQ, signed to correlate with the members, z-normalised.
     */
    public static double[] extractShape(List<double[]> aligned, int m, int c) {
        return extractShape(aligned, m, c, LinearAlgebra.lapack());
    }

    /** As {@link #extractShape(List, int, int)}, the eigenvector by {@code dense}. */
    public static double[] extractShape(List<double[]> aligned, int m, int c, LinearAlgebra dense) {
        double[] shape = new double[m * c];
        if (aligned.isEmpty()) return shape;
        int n = aligned.size();
        double[] x = new double[n * m];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                double[] s = aligned.get(i);
                for (int t = 0; t < m; t++) x[i * m + t] = s[t * c + ch];
            }
            double[] mat = centred(dense.gramOfColumns(x, n, m), m);
            LinearAlgebra.Eigen eigen = dense.largestEigen(mat, m, 1);
            double correlation = 0;
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < m; t++) correlation += x[i * m + t] * eigen.vector(t, 0);
            }
            double sign = correlation < 0 ? -1 : 1;
            for (int t = 0; t < m; t++) shape[t * c + ch] = sign * eigen.vector(t, 0);
        }
        zNormalise(shape, m, c, m);
        return shape;
    }

    /** QᵀSQ with Q = I − 11ᵀ/m: S with its row and column means removed (m × m, symmetric). */
    private static double[] centred(double[] s, int m) {
        double[] rowMean = new double[m];
        double total = 0;
        for (int a = 0; a < m; a++) {
            double sum = 0;
            for (int b = 0; b < m; b++) sum += s[a * m + b];
            rowMean[a] = sum / m;
            total += sum;
        }
        double mean = total / ((double) m * m);
        double[] out = new double[m * m];
        // S is symmetric, so its column means are its row means.
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) out[a * m + b] = s[a * m + b] - rowMean[a] - rowMean[b] + mean;
        }
        return out;
    }

    /** The series of {@code data} as doubles, each channel z-normalised over the series' length. */
    static double[][] zNormalised(PaddedSequences data) {
        int m = data.maxLength();
        int c = data.channels();
        double[][] out = new double[data.n()][];
        for (int i = 0; i < data.n(); i++) {
            double[] s = new double[m * c];
            int length = data.lengths()[i];
            for (int v = 0; v < length * c; v++) s[v] = data.values()[i * m * c + v];
            zNormalise(s, m, c, length);
            out[i] = s;
        }
        return out;
    }

    /**
     * Each channel of the first {@code length} steps of s minus its mean, over its (population)
     * standard deviation; a constant channel becomes zeros.
     */
    private static void zNormalise(double[] s, int m, int c, int length) {
        if (length == 0) return;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int t = 0; t < length; t++) mean += s[t * c + ch];
            mean /= length;
            double ss = 0;
            for (int t = 0; t < length; t++) ss += (s[t * c + ch] - mean) * (s[t * c + ch] - mean);
            double sd = Math.sqrt(ss / length);
            for (int t = 0; t < length; t++) s[t * c + ch] = sd > 0 ? (s[t * c + ch] - mean) / sd : 0;
        }
    }

    /** A partition of n into k clusters of ⌊n/k⌋ or ⌈n/k⌉ series, shuffled (Fisher–Yates). */
    static int[] balancedRandomPartition(int n, int k, SplittableRandom random) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % k;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    private static double norm(double[] x) {
        double ss = 0;
        for (double v : x) ss += v * v;
        return Math.sqrt(ss);
    }

    private static boolean allZero(double[] x) {
        for (double v : x) if (v != 0) return false;
        return true;
    }

    /** Cross-correlations of series of m × c through their spectra. */
    private static final class CrossCorrelation {
        private final int m;
        private final int c;
        private final Fft fft;
        private final int size;

        CrossCorrelation(int m, int c) {
            this.m = m;
            this.c = c;
            this.fft = new Fft(Fft.sizeFor(2 * m - 1));
            this.size = fft.size();
        }

        int spectrumLength() {
            return 2 * c * size;
        }

        /** Per channel, the real then imaginary parts of the zero-padded series' FFT (2 · c · size). */
        double[] spectrum(double[] x) {
            double[] out = new double[2 * c * size];
            double[] re = new double[size];
            double[] im = new double[size];
            for (int ch = 0; ch < c; ch++) {
                Arrays.fill(re, 0);
                Arrays.fill(im, 0);
                for (int t = 0; t < m; t++) re[t] = x[t * c + ch];
                fft.forward(re, im);
                System.arraycopy(re, 0, out, 2 * ch * size, size);
                System.arraycopy(im, 0, out, (2 * ch + 1) * size, size);
            }
            return out;
        }

        /** Room for one inverse transform (real and imaginary parts), one per thread. */
        double[][] workspace() {
            return new double[2][size];
        }

        /**
         * SBD of x and y from their spectra and norms, and the lag aligning y to x: the inverse FFT
         * of Σ_channels X·conj(Y) is r(w) at index w mod size.
         */
        Match match(double[] xSpectrum, double xNorm, double[] ySpectrum, double yNorm, double[][] work) {
            double denominator = xNorm * yNorm;
            if (denominator == 0) return new Match(1, -(m - 1));
            double[] re = work[0];
            double[] im = work[1];
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            for (int ch = 0; ch < c; ch++) {
                int r = 2 * ch * size;
                int i = r + size;
                for (int f = 0; f < size; f++) {
                    double ar = xSpectrum[r + f], ai = xSpectrum[i + f];
                    double br = ySpectrum[r + f], bi = ySpectrum[i + f];
                    re[f] += ar * br + ai * bi;
                    im[f] += ai * br - ar * bi;
                }
            }
            fft.inverse(re, im);
            int bestLag = -(m - 1);
            double best = Double.NEGATIVE_INFINITY;
            for (int lag = -(m - 1); lag < m; lag++) {
                double v = re[lag < 0 ? lag + size : lag];
                if (v > best) {
                    best = v;
                    bestLag = lag;
                }
            }
            return new Match(1 - best / denominator, bestLag);
        }
    }
}
