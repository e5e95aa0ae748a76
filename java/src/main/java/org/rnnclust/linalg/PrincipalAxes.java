package org.rnnclust.linalg;

import java.util.function.ToIntFunction;

/**
 * The leading principal axes of n points in d dimensions, and the projection onto them: the
 * solver behind a PCA (centred, not whitened; variances with the n − 1 denominator, as
 * scikit-learn's {@code PCA}).
 *
 * <p>The decomposition takes the smaller of the two Gram matrices: the d × d covariance XᵀX when
 * there are at least as many rows as features, else the n × n XXᵀ (long series, few of them),
 * whose eigenvectors u give the axes Xᵀu / √λ. Either way one symmetric eigenproblem in double
 * precision, by LAPACK or by the deterministic mode's fixed-order solver ({@link LinearAlgebra}).
 */
public final class PrincipalAxes {
    private final int d;
    private final int k;
    private final double[] mean;
    private final double[] axes;        // k × d, row-major, unit rows
    private final double[] variances;   // k
    private final double totalVariance;

    private PrincipalAxes(int d, int k, double[] mean, double[] axes, double[] variances, double totalVariance) {
        this.d = d;
        this.k = k;
        this.mean = mean;
        this.axes = axes;
        this.variances = variances;
        this.totalVariance = totalVariance;
    }

    /**
     * The axes of the n × d row-major {@code x}. All min(n − 1, d) of them are computed (centring
     * removes one dimension); {@code keep} is given the fraction of the total variance along each,
     * largest first, and answers how many to keep (1 up to that many).
     *
     * @throws IllegalArgumentException for fewer than 2 rows, a shape that does not match
     *     {@code x}, or a count from {@code keep} out of range
     */
    public static PrincipalAxes fit(float[] x, int n, int d, ToIntFunction<double[]> keep) {
        return fit(x, n, d, keep, LinearAlgebra.lapack());
    }

    /** As {@link #fit(float[], int, int, ToIntFunction)}, the decomposition by {@code dense}. */
    public static PrincipalAxes fit(float[] x, int n, int d, ToIntFunction<double[]> keep, LinearAlgebra dense) {
        if (n < 2) throw new IllegalArgumentException("PCA needs at least 2 rows, got " + n);
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) mean[j] += x[i * d + j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[] centred = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) centred[i * d + j] = x[i * d + j] - mean[j];
        }
        boolean byFeatures = d <= n;
        int m = byFeatures ? d : n;
        double[] gram = byFeatures ? dense.gramOfColumns(centred, n, d) : dense.gramOfRows(centred, n, d);
        double trace = 0;
        for (int i = 0; i < m; i++) trace += gram[i * m + i];
        double total = trace / (n - 1);
        int rank = Math.max(1, Math.min(n - 1, d));
        // The eigenvalues decide how many axes to keep; only those axes' eigenvectors are needed.
        LinearAlgebra.Eigen eig = dense.largestEigen(gram, m, rank, values -> {
            double[] ratios = new double[rank];
            for (int i = 0; i < rank; i++) ratios[i] = total > 0 ? Math.max(0, values[i]) / (n - 1) / total : 0;
            int kept = keep.applyAsInt(ratios);
            if (kept < 1 || kept > rank) throw new IllegalArgumentException("cannot keep " + kept + " of " + rank + " axes");
            return kept;
        });
        int k = eig.vectorCount();
        double[] axes = new double[k * d];
        double[] variances = new double[k];
        for (int c = 0; c < k; c++) {
            double lambda = Math.max(0, eig.values()[c]);
            variances[c] = lambda / (n - 1);
            if (byFeatures) {
                for (int j = 0; j < d; j++) axes[c * d + j] = eig.vector(j, c);
            } else {
                double inv = lambda > 0 ? 1 / Math.sqrt(lambda) : 0;
                for (int i = 0; i < n; i++) {
                    double u = eig.vector(i, c) * inv;
                    if (u == 0) continue;
                    for (int j = 0; j < d; j++) axes[c * d + j] += centred[i * d + j] * u;
                }
            }
        }
        return new PrincipalAxes(d, k, mean, axes, variances, total);
    }

    /**
     * Axes fitted before (a saved model's): the mean (d), the axes (k × d, row-major), the variance
     * along each and the total variance, as {@link #mean}, {@link #axes}, {@link #variances} and
     * {@link #totalVariance} gave them.
     *
     * @throws IllegalArgumentException for sizes that do not fit together or a value that is not finite
     */
    public static PrincipalAxes of(double[] mean, double[] axes, double[] variances, double totalVariance) {
        int d = mean.length;
        int k = variances.length;
        if (d < 1 || k < 1 || (long) k * d != axes.length) {
            throw new IllegalArgumentException("principal axes: " + axes.length + " values are not " + k + " axes of "
                    + d + " dimensions");
        }
        for (double[] a : new double[][] {mean, axes, variances}) {
            for (double v : a) if (!Double.isFinite(v)) throw new IllegalArgumentException("principal axes: a value is " + v);
        }
        if (!Double.isFinite(totalVariance)) throw new IllegalArgumentException("principal axes: total variance " + totalVariance);
        return new PrincipalAxes(d, k, mean.clone(), axes.clone(), variances.clone(), totalVariance);
    }

    /** Projections of the n × d row-major {@code x}, centred by the fitted mean, on the kept axes: n × count(). */
    public float[] project(float[] x, int n) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        float[] out = new float[n * k];
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
            for (int c = 0; c < k; c++) {
                double s = 0;
                int base = c * d;
                for (int j = 0; j < d; j++) s += row[j] * axes[base + j];
                out[i * k + c] = (float) s;
            }
        }
        return out;
    }

    public int inputDimension() { return d; }

    /** The axes kept. */
    public int count() { return k; }

    /** Axis c as a unit vector of length d (its sign is arbitrary, as in any PCA). */
    public double[] axis(int c) {
        double[] v = new double[d];
        System.arraycopy(axes, c * d, v, 0, d);
        return v;
    }

    /** The fitted mean the data are centred by (a copy). */
    public double[] mean() { return mean.clone(); }

    /** The kept axes, k × d row-major (a copy). */
    public double[] axes() { return axes.clone(); }

    /** Variance along each kept axis (n − 1 denominator). */
    public double[] variances() { return variances.clone(); }

    /** The data's total variance, the sum over all d dimensions (n − 1 denominator). */
    public double totalVariance() { return totalVariance; }
}
