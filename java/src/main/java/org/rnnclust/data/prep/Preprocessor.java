package org.rnnclust.data.prep;

import java.util.Arrays;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.Dataset;

/**
 * Applies {@link PreprocessOptions} in a fixed order: missing values, outlier clipping,
 * normalisation, resampling. Dataset-wide statistics (per-channel mean/std or min/max, the resample
 * length) are fitted once, on the training data, and then applied unchanged to any other data, so
 * TEST is scaled the way TRAIN was. The fitted state is plain numbers, to be stored with a model.
 */
public final class Preprocessor {
    /** 1 / Φ⁻¹(3/4): makes the MAD a consistent estimator of σ for Gaussian data. */
    static final double MAD_TO_SIGMA = 1.4826;

    private final PreprocessOptions options;
    private final double[] shift;   // per channel, subtracted (STANDARDIZE, MINMAX)
    private final double[] scale;   // per channel, divided by
    private final int steps;        // resample length, 0 when padding

    private Preprocessor(PreprocessOptions options, double[] shift, double[] scale, int steps) {
        this.options = options;
        this.shift = shift;
        this.scale = scale;
        this.steps = steps;
    }

    /** Fits the dataset-wide statistics on {@code train} (after missing values and clipping). */
    public static Preprocessor fit(PreprocessOptions options, Dataset train) {
        Fitting fitting = new Fitting(options, train.channels());
        fitting.add(train);
        return fitting.fitted();
    }

    /**
     * The dataset-wide statistics fitted a chunk at a time, for training data read in chunks: one
     * streaming pass. Each chunk's per-channel mean and squared deviations are merged into the
     * running ones (Chan, Golub and LeVeque's pairwise update), so no chunk needs another's values;
     * a single chunk holding all the data fits exactly what {@link Preprocessor#fit} does. Fittings of
     * parts of the data made apart (Spark's partitions) {@link #merge} the same way.
     */
    public static final class Fitting implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final PreprocessOptions options;
        private final long[] count;
        private final double[] mean;
        private final double[] squares;   // sums of squared deviations from the mean
        private final double[] min;
        private final double[] max;
        private int maxLength;

        public Fitting(PreprocessOptions options, int channels) {
            this.options = options;
            this.count = new long[channels];
            this.mean = new double[channels];
            this.squares = new double[channels];
            this.min = new double[channels];
            this.max = new double[channels];
            Arrays.fill(min, Double.POSITIVE_INFINITY);
            Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        /** The next chunk of the training data (cleaned here as {@link #fit} cleans it). */
        public void add(Dataset chunk) {
            int c = count.length;
            if (chunk.channels() != c) {
                throw new InputException(chunk.name() + ": has " + chunk.channels() + " channels, the data before had " + c);
            }
            Dataset cleaned = clean(options, chunk, false);
            maxLength = Math.max(maxLength, chunk.maxLength());
            switch (options.normalization()) {
                case STANDARDIZE -> addMoments(cleaned);
                case MINMAX -> addRange(cleaned);
                default -> { }
            }
        }

        private void addMoments(Dataset d) {
            int c = count.length;
            double[] sum = new double[c];
            long[] n = new long[c];
            for (int i = 0; i < d.size(); i++) {
                float[] s = d.series(i);
                for (int t = 0; t < s.length; t++) {
                    sum[t % c] += s[t];
                    n[t % c]++;
                }
            }
            double[] chunkMean = new double[c];
            for (int ch = 0; ch < c; ch++) chunkMean[ch] = sum[ch] / n[ch];
            double[] sq = new double[c];
            for (int i = 0; i < d.size(); i++) {
                float[] s = d.series(i);
                for (int t = 0; t < s.length; t++) {
                    double dev = s[t] - chunkMean[t % c];
                    sq[t % c] += dev * dev;
                }
            }
            for (int ch = 0; ch < c; ch++) combine(ch, n[ch], chunkMean[ch], sq[ch]);
        }

        /** Adds n values of mean {@code m} and squared deviations {@code sq} to channel ch's. */
        private void combine(int ch, long n, double m, double sq) {
            if (n == 0) return;
            if (count[ch] == 0) {
                mean[ch] = m;
                squares[ch] = sq;
            } else {
                double total = (double) count[ch] + n;
                double delta = m - mean[ch];
                mean[ch] += delta * n / total;
                squares[ch] += sq + delta * delta * count[ch] * n / total;
            }
            count[ch] += n;
        }

        /** Adds what {@code other} has seen, as if its chunks had been added here after these. */
        public void merge(Fitting other) {
            if (!other.options.equals(options) || other.count.length != count.length) {
                throw new IllegalArgumentException("cannot merge fittings of other options or channels");
            }
            for (int ch = 0; ch < count.length; ch++) {
                combine(ch, other.count[ch], other.mean[ch], other.squares[ch]);
                min[ch] = Math.min(min[ch], other.min[ch]);
                max[ch] = Math.max(max[ch], other.max[ch]);
            }
            maxLength = Math.max(maxLength, other.maxLength);
        }

        private void addRange(Dataset d) {
            int c = count.length;
            for (int i = 0; i < d.size(); i++) {
                float[] s = d.series(i);
                for (int t = 0; t < s.length; t++) {
                    min[t % c] = Math.min(min[t % c], s[t]);
                    max[t % c] = Math.max(max[t % c], s[t]);
                }
            }
        }

        /** The preprocessor fitted on every chunk added. */
        public Preprocessor fitted() {
            int c = count.length;
            double[] shift = new double[c];
            double[] scale = new double[c];
            Arrays.fill(scale, 1.0);
            for (int ch = 0; ch < c; ch++) {
                switch (options.normalization()) {
                    case STANDARDIZE -> {
                        shift[ch] = mean[ch];
                        double sd = Math.sqrt(squares[ch] / count[ch]);
                        scale[ch] = sd > 1e-8 ? sd : 1.0;
                    }
                    case MINMAX -> {
                        shift[ch] = min[ch];
                        double r = max[ch] - min[ch];
                        scale[ch] = r > 1e-12 ? r : 1.0;
                    }
                    default -> { }
                }
            }
            int steps = 0;
            if (options.length() == LengthPolicy.RESAMPLE) {
                steps = options.resampleLength() > 0 ? options.resampleLength() : maxLength;
            }
            return new Preprocessor(options, shift, scale, steps);
        }
    }

    /** Restores a fitted preprocessor (from a model file). */
    public static Preprocessor of(PreprocessOptions options, double[] shift, double[] scale, int steps) {
        return new Preprocessor(options, shift.clone(), scale.clone(), steps);
    }

    public PreprocessOptions options() { return options; }

    public double[] shift() { return shift.clone(); }

    public double[] scale() { return scale.clone(); }

    public int resampleSteps() { return steps; }

    public Dataset apply(Dataset data) {
        return apply(data, false);
    }

    /**
     * @param saved true when this preprocessing is a saved model's: its missing-value policy is
     *              then fixed, and a refusal says so instead of advising to change it
     */
    public Dataset apply(Dataset data, boolean saved) {
        if (data.channels() != shift.length) {
            throw new InputException(data.name() + ": has " + data.channels() + " channels, the fitted data had "
                    + shift.length);
        }
        Dataset cleaned = clean(options, data, saved);
        int c = data.channels();
        if (steps > 0) requireResampledFit(data, c);
        float[][] out = new float[data.size()][];
        for (int i = 0; i < data.size(); i++) {
            float[] s = cleaned.series(i).clone();
            switch (options.normalization()) {
                case ZNORM -> zNormalise(s, c);
                case STANDARDIZE, MINMAX -> {
                    for (int t = 0; t < s.length; t++) s[t] = (float) ((s[t] - shift[t % c]) / scale[t % c]);
                }
                case NONE -> { }
            }
            out[i] = steps > 0 ? Resample.linear(s, c, steps) : s;
            requireDistancesFit(data, i, out[i], c);
        }
        return data.withSeries(out);
    }

    /**
     * The largest sum of squares a prepared sequence may have. Every method computes squared
     * distances in single precision: ‖a − b‖² ≤ 2(‖a‖² + ‖b‖²), and a centroid, a mean of points, is
     * no longer than the longest of them, so below this bound no distance, norm or centroid sum
     * overflows. Above it k-means reports an infinite inertia or loses clusters.
     */
    public static final double MAX_SQUARED_NORM = Float.MAX_VALUE / 4.0;

    /** Refuses, naming the record and its largest value, a sequence too large for single-precision distances. */
    private static void requireDistancesFit(Dataset data, int record, float[] s, int c) {
        double sum = 0;
        int largest = 0;
        for (int t = 0; t < s.length; t++) {
            sum += (double) s[t] * s[t];
            if (Math.abs(s[t]) > Math.abs(s[largest])) largest = t;
        }
        if (sum <= MAX_SQUARED_NORM) return;
        throw new InputException(data.name() + ": record " + data.recordNumber(record) + ": the value " + s[largest]
                + " at step "
                + (largest / c + 1) + (c > 1 ? ", channel " + (largest % c + 1) : "") + " (after preprocessing)"
                + " is too large: the sequence's sum of squares, " + String.format(java.util.Locale.ROOT, "%.3g", sum)
                + ", would overflow single-precision distances (at most "
                + String.format(java.util.Locale.ROOT, "%.3g", MAX_SQUARED_NORM) + "); normalise or scale the data",
                Setting.NORMALIZATION);
    }

    /** Refuses resampling whose sequences of {@link #steps} steps would not fit the heap (or one array). */
    private void requireResampledFit(Dataset data, int channels) {
        long perSequence = (long) steps * channels;
        String what = data.name() + ": " + data.size() + " sequences resampled to " + steps + " steps";
        HeapBudget.requireArray(perSequence, Float.BYTES, what, Setting.RESAMPLE_LENGTH);
        long values = perSequence * data.size();  // below 2^62: both factors are below 2^31
        HeapBudget.require(values > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : values * Float.BYTES, what,
                "resample to fewer steps", Setting.RESAMPLE_LENGTH);
    }

    /** Missing values and outlier clipping: the steps that need no fitted statistics. */
    private static Dataset clean(PreprocessOptions options, Dataset data, boolean saved) {
        int c = data.channels();
        float[][] out = new float[data.size()][];
        boolean changed = false;
        for (int i = 0; i < data.size(); i++) {
            float[] s = data.series(i);
            if (data.length(i) == 0) {
                throw new InputException(data.name() + ": record " + data.recordNumber(i) + ": empty sequence");
            }
            int bad = firstNonFinite(s);
            if (bad >= 0) {
                boolean missing = Float.isNaN(s[bad]);
                if (options.missing() == MissingValues.REFUSE || !missing) {
                    String problem = data.name() + ": record " + data.recordNumber(i) + ": "
                            + (missing ? "missing value (NaN)" : "infinite value") + " at step " + (bad / c + 1)
                            + (c > 1 ? ", channel " + (bad % c + 1) : "");
                    if (!missing) throw new InputException(problem);
                    if (saved) {
                        throw new InputException(problem + " (the model refuses missing values, as it was trained to:"
                                + " fill them first, or use a model trained to interpolate them)");
                    }
                    throw new InputException(problem + " (interpolating missing values would fill it)",
                            Setting.MISSING_VALUES);
                }
                s = s.clone();
                for (int ch = 0; ch < c; ch++) {
                    if (!Interpolate.fillChannel(s, c, ch)) {
                        throw new InputException(data.name() + ": record " + data.recordNumber(i) + ": channel "
                                + (ch + 1)
                                + " has no values to interpolate from");
                    }
                }
                changed = true;
            }
            if (options.clipMad() > 0) {
                s = s == data.series(i) ? s.clone() : s;
                for (int ch = 0; ch < c; ch++) clipChannel(s, c, ch, options.clipMad());
                changed = true;
            }
            out[i] = s;
        }
        return changed ? data.withSeries(out) : data;
    }

    private static int firstNonFinite(float[] s) {
        for (int t = 0; t < s.length; t++) if (!Float.isFinite(s[t])) return t;
        return -1;
    }

    static void clipChannel(float[] s, int c, int ch, double k) {
        int len = s.length / c;
        double[] v = new double[len];
        for (int t = 0; t < len; t++) v[t] = s[t * c + ch];
        double median = median(v.clone());
        double[] dev = new double[len];
        for (int t = 0; t < len; t++) dev[t] = Math.abs(v[t] - median);
        double mad = median(dev) * MAD_TO_SIGMA;
        if (mad == 0) return; // more than half the values equal: nothing sensible to clip against
        double lo = median - k * mad;
        double hi = median + k * mad;
        for (int t = 0; t < len; t++) s[t * c + ch] = (float) Math.min(hi, Math.max(lo, v[t]));
    }

    static double median(double[] v) {
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    /** Mean 0 and (population) std 1 per channel; a constant channel becomes all zeros. */
    static void zNormalise(float[] s, int c) {
        int len = s.length / c;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int t = 0; t < len; t++) sum += s[t * c + ch];
            double mean = sum / len;
            double ss = 0;
            for (int t = 0; t < len; t++) {
                double d = s[t * c + ch] - mean;
                ss += d * d;
            }
            double std = Math.sqrt(ss / len);
            double div = std > 1e-8 ? std : 1.0;
            for (int t = 0; t < len; t++) s[t * c + ch] = (float) ((s[t * c + ch] - mean) / div);
        }
    }
}
