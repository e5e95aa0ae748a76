package org.rnnclust.baseline;

/**
 * Per-feature standardisation of row-major points: the mean and the standard deviation (n
 * denominator, as scikit-learn's {@code StandardScaler}) of each feature, fitted on the training
 * points; a constant feature is centred and left unscaled.
 */
public final class Standardization {
    private final int d;
    private final double[] mean;
    private final double[] scale;

    private Standardization(int d, double[] mean, double[] scale) {
        this.d = d;
        this.mean = mean;
        this.scale = scale;
    }

    /** Fits the n × d row-major {@code x}. */
    public static Standardization fit(float[] x, int n, int d) {
        if (n < 1 || (long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x[i * d + j] - mean[j];
                var[j] += c * c;
            }
        }
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(var[j] / n);
            scale[j] = s > 0 ? s : 1;
        }
        return new Standardization(d, mean, scale);
    }

    /**
     * A standardisation fitted before (a saved model's), from {@link #mean} and {@link #scale}.
     *
     * @throws IllegalArgumentException for lengths that differ, a value that is not finite or a scale that is not positive
     */
    public static Standardization of(double[] mean, double[] scale) {
        if (mean.length != scale.length || mean.length == 0) {
            throw new IllegalArgumentException("standardisation: " + mean.length + " means and " + scale.length + " scales");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !(scale[j] > 0) || !Double.isFinite(scale[j])) {
                throw new IllegalArgumentException("standardisation: feature " + j + " has mean " + mean[j] + ", scale " + scale[j]);
            }
        }
        return new Standardization(mean.length, mean.clone(), scale.clone());
    }

    /** Per-feature means (a copy). */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-feature scales, the standard deviations with 1 for a constant feature (a copy). */
    public double[] scale() {
        return scale.clone();
    }

    /** The standardised copy of the n × d row-major {@code x}. */
    public float[] apply(float[] x, int n) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        float[] out = new float[x.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) out[i * d + j] = (float) ((x[i * d + j] - mean[j]) / scale[j]);
        }
        return out;
    }

    /** Numbers it holds (a mean and a scale per feature). */
    public long parameterCount() {
        return 2L * d;
    }
}
