package org.rnnclust.api;

import org.rnnclust.baseline.Pca;
import org.rnnclust.data.PaddedSequences;

/**
 * The raw view of {@link ReservoirViews#rawWeight}: a member's sequences as its reservoir reads them
 * (resampled, before any difference channel), flattened and reduced by PCA, set beside the member's
 * reduced model-space coordinates. Each block is scaled by the square root of its share over its
 * total variance (the sum of its principal variances), so that the raw values hold {@code weight}
 * of the joined coordinates' variance whatever the two dimensions: concatenating the raw values
 * unweighted let their many coordinates swamp the model space (docs/experiments.md).
 *
 * @param pca        the PCA of the flattened training sequences
 * @param width      values per flattened sequence (the training sequences' steps × channels); a longer
 *                   sequence is cut, a shorter one padded with zeros
 * @param modelScale the factor on the model-space coordinates
 * @param rawScale   the factor on the raw view's coordinates
 */
record RawView(Pca pca, int width, double modelScale, double rawScale) {
    /**
     * Fits the raw view of {@code train} beside the model-space PCA {@code modelPca}, the raw values
     * holding {@code weight} (in (0, 1)) of the variance.
     */
    static RawView fit(PaddedSequences train, Pca modelPca, double weight, PcaSettings rule, boolean deterministic) {
        int width = train.rowSize();
        Pca pca = Pca.fit(train.values(), train.n(), width, rule.rule(), deterministic);
        double modelVariance = sum(modelPca.explainedVariance());
        double rawVariance = sum(pca.explainedVariance());
        return new RawView(pca, width, scale(1 - weight, modelVariance), scale(weight, rawVariance));
    }

    /** √(share / variance), or 0 for a block without variance (it then adds nothing). */
    private static double scale(double share, double variance) {
        return variance > 0 ? Math.sqrt(share / variance) : 0;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    /** Size of a joined row beside the model-space PCA {@code modelPca}. */
    int dimension(Pca modelPca) {
        return modelPca.components() + pca.components();
    }

    /** The model-space coordinates {@code z} [n, m] and the raw view of {@code data}, scaled, side by side [n, m + r]. */
    float[] join(float[] z, PaddedSequences data) {
        int n = data.n();
        int m = z.length / n;
        int r = pca.components();
        float[] y = pca.transform(flattened(data), n);
        float[] out = new float[Math.multiplyExact(n, m + r)];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) out[i * (m + r) + j] = (float) (modelScale * z[i * m + j]);
            for (int j = 0; j < r; j++) out[i * (m + r) + m + j] = (float) (rawScale * y[i * r + j]);
        }
        return out;
    }

    /** The sequences as rows of {@link #width} values. */
    private float[] flattened(PaddedSequences data) {
        if (data.rowSize() == width) return data.values();
        float[] out = new float[Math.multiplyExact(data.n(), width)];
        int copy = Math.min(width, data.rowSize());
        for (int i = 0; i < data.n(); i++) System.arraycopy(data.values(), i * data.rowSize(), out, i * width, copy);
        return out;
    }

    long parameterCount() {
        return pca.parameterCount() + 2;
    }
}
