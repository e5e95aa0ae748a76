package org.rnnclust.baseline;

import org.rnnclust.linalg.LinearAlgebra;
import org.rnnclust.linalg.PrincipalAxes;

/**
 * Principal component analysis, fitted once, applied to any data of the same width: scikit-learn's
 * {@code PCA} (centred, not whitened; explained variance with the n − 1 denominator). The
 * decomposition is {@link PrincipalAxes}'; this class chooses how many components to keep
 * ({@link PcaComponents}).
 */
public final class Pca {
    private final PrincipalAxes axes;

    private Pca(PrincipalAxes axes) {
        this.axes = axes;
    }

    /** Fits on the n × d row-major {@code x}. */
    public static Pca fit(float[] x, int n, int d, PcaComponents rule) {
        return fit(x, n, d, rule, false);
    }

    /**
     * Fits on the n × d row-major {@code x}; {@code deterministic}: with the deterministic mode's
     * fixed-order eigensolver, whose bits do not depend on the machine, instead of LAPACK's.
     */
    public static Pca fit(float[] x, int n, int d, PcaComponents rule, boolean deterministic) {
        return new Pca(PrincipalAxes.fit(x, n, d, rule::choose, LinearAlgebra.of(deterministic)));
    }

    /**
     * A PCA fitted before (a saved model's), from {@link #mean}, {@link #componentsRowMajor},
     * {@link #explainedVariance} and {@link #totalVariance}.
     *
     * @throws IllegalArgumentException for sizes that do not fit together or a value that is not finite
     */
    public static Pca of(double[] mean, double[] components, double[] variance, double totalVariance) {
        return new Pca(PrincipalAxes.of(mean, components, variance, totalVariance));
    }

    /** Projections of the n × d row-major {@code x} on the kept components: n × components(). */
    public float[] transform(float[] x, int n) {
        return axes.project(x, n);
    }

    public int inputDimension() { return axes.inputDimension(); }

    public int components() { return axes.count(); }

    /** Component c as a unit vector of length d (its sign is arbitrary, as in any PCA). */
    public double[] component(int c) {
        return axes.axis(c);
    }

    /** The training data's mean (a copy). */
    public double[] mean() { return axes.mean(); }

    /** The kept components, components() × inputDimension(), row-major (a copy). */
    public double[] componentsRowMajor() { return axes.axes(); }

    /** The training data's total variance. */
    public double totalVariance() { return axes.totalVariance(); }

    /** Variance along each kept component (n − 1 denominator). */
    public double[] explainedVariance() { return axes.variances(); }

    public double[] explainedVarianceRatio() {
        double[] variance = axes.variances();
        double total = axes.totalVariance();
        double[] r = new double[variance.length];
        for (int i = 0; i < r.length; i++) r[i] = total > 0 ? variance[i] / total : 0;
        return r;
    }

    /** Stored numbers: the mean and the components. */
    public long parameterCount() {
        return (long) inputDimension() + (long) components() * inputDimension();
    }
}
