package org.rnnclust.baseline;

import org.rnnclust.backend.cpu.Lapack;

/**
 * Principal component analysis, fitted once, applied to any data of the same width: scikit-learn's
 * {@code PCA} (centred, not whitened; explained variance with the n − 1 denominator).
 *
 * <p>The decomposition takes the smaller of the two Gram matrices: the d × d covariance XᵀX when
 * there are at least as many rows as features, else the n × n XXᵀ (long series, few of them),
 * whose eigenvectors u give the components Xᵀu / √λ. Either way one symmetric eigenproblem in
 * double precision (OpenBLAS's LAPACK).
 */
public final class Pca {
    private final int d;
    private final int k;
    private final double[] mean;
    private final double[] components;     // k × d, row-major, unit rows
    private final double[] explainedVariance;
    private final double totalVariance;

    private Pca(int d, int k, double[] mean, double[] components, double[] explainedVariance, double totalVariance) {
        this.d = d;
        this.k = k;
        this.mean = mean;
        this.components = components;
        this.explainedVariance = explainedVariance;
        this.totalVariance = totalVariance;
    }

    /** Fits on the n × d row-major {@code x}. */
    public static Pca fit(float[] x, int n, int d, PcaComponents rule) {
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
        double[] gram = byFeatures ? Lapack.gramOfColumns(centred, n, d) : Lapack.gramOfRows(centred, n, d);
        double trace = 0;
        for (int i = 0; i < m; i++) trace += gram[i * m + i];
        double total = trace / (n - 1);
        // Rank is at most min(n - 1, d): centring removes one dimension.
        int rank = Math.max(1, Math.min(n - 1, d));
        Lapack.Eigen eig = Lapack.largestEigen(gram, m, rank);
        double[] ratios = new double[rank];
        for (int i = 0; i < rank; i++) ratios[i] = total > 0 ? Math.max(0, eig.values()[i]) / (n - 1) / total : 0;
        int k = rule.choose(ratios);
        double[] comps = new double[k * d];
        double[] variance = new double[k];
        for (int c = 0; c < k; c++) {
            double lambda = Math.max(0, eig.values()[c]);
            variance[c] = lambda / (n - 1);
            if (byFeatures) {
                for (int j = 0; j < d; j++) comps[c * d + j] = eig.vector(j, c);
            } else {
                double inv = lambda > 0 ? 1 / Math.sqrt(lambda) : 0;
                for (int i = 0; i < n; i++) {
                    double u = eig.vector(i, c) * inv;
                    if (u == 0) continue;
                    for (int j = 0; j < d; j++) comps[c * d + j] += centred[i * d + j] * u;
                }
            }
        }
        return new Pca(d, k, mean, comps, variance, total);
    }

    /** Projections of the n × d row-major {@code x} on the kept components: n × components(). */
    public float[] transform(float[] x, int n) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        float[] out = new float[n * k];
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) row[j] = x[i * d + j] - mean[j];
            for (int c = 0; c < k; c++) {
                double s = 0;
                int base = c * d;
                for (int j = 0; j < d; j++) s += row[j] * components[base + j];
                out[i * k + c] = (float) s;
            }
        }
        return out;
    }

    public int inputDimension() { return d; }

    public int components() { return k; }

    /** Component c as a unit vector of length d (its sign is arbitrary, as in any PCA). */
    public double[] component(int c) {
        double[] v = new double[d];
        System.arraycopy(components, c * d, v, 0, d);
        return v;
    }

    /** Variance along each kept component (n − 1 denominator). */
    public double[] explainedVariance() { return explainedVariance.clone(); }

    public double[] explainedVarianceRatio() {
        double[] r = new double[k];
        for (int i = 0; i < k; i++) r[i] = totalVariance > 0 ? explainedVariance[i] / totalVariance : 0;
        return r;
    }

    /** Stored numbers: the mean and the components. */
    public long parameterCount() {
        return (long) d + (long) k * d;
    }
}
