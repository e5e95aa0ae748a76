package org.rnnclust.nn;

/**
 * SimCLR's NT-Xent loss (normalised temperature-scaled cross-entropy; Chen et al., 2020) between
 * two views of a batch, and its gradient, computed on the host in double: a batch's embeddings
 * are a few kilobytes, so they come to the host, and the gradient goes back through the
 * autoencoder's embedding-gradient path (the one DEC's loss takes).
 *
 * <p>With u the 2B rows of [z1; z2] each scaled to unit length and s_ik = u_i·u_k / τ, row i's
 * positive is the other view of its series (i ± B), every other row a negative:
 * loss = (1/2B) Σ_i [log Σ_{k≠i} exp(s_ik) − s_{i,pos(i)}]. Embeddings of a batch that carry no
 * information (all alike) give log(2B − 1).
 */
public final class ContrastiveLoss {
    /** Below this norm an embedding counts as this norm (PyTorch's F.normalize eps). */
    private static final double MIN_NORM = 1e-12;

    private ContrastiveLoss() {}

    /**
     * The loss of views z1 and z2 [B, D] (row-major); writes its gradients into dz1 and dz2 [B, D].
     *
     * @param temperature τ > 0
     */
    public static double lossAndGradient(float[] z1, float[] z2, int batch, int dim, double temperature,
                                         float[] dz1, float[] dz2) {
        if (!(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        int n = 2 * batch;
        double[][] u = new double[n][dim];
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            float[] z = i < batch ? z1 : z2;
            int row = (i % batch) * dim;
            double sq = 0;
            for (int j = 0; j < dim; j++) sq += (double) z[row + j] * z[row + j];
            norms[i] = Math.max(Math.sqrt(sq), MIN_NORM);
            for (int j = 0; j < dim; j++) u[i][j] = z[row + j] / norms[i];
        }
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                double dot = 0;
                for (int j = 0; j < dim; j++) dot += u[i][j] * u[k][j];
                s[i][k] = s[k][i] = dot / temperature;
            }
        }
        // g[i][k] = ∂loss/∂s_ik = (softmax over k ≠ i of row i − [k = pos(i)]) / 2B.
        double loss = 0;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            int pos = (i + batch) % n;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) if (k != i) max = Math.max(max, s[i][k]);
            double sum = 0;
            for (int k = 0; k < n; k++) if (k != i) sum += Math.exp(s[i][k] - max);
            loss += max + Math.log(sum) - s[i][pos];
            for (int k = 0; k < n; k++) {
                if (k == i) continue;
                g[i][k] = (Math.exp(s[i][k] - max) / sum - (k == pos ? 1 : 0)) / n;
            }
        }
        // s is symmetric: ∂loss/∂u_i = Σ_k (g_ik + g_ki) u_k / τ; then through u = z / |z|.
        for (int i = 0; i < n; i++) {
            double[] du = new double[dim];
            for (int k = 0; k < n; k++) {
                double w = (g[i][k] + g[k][i]) / temperature;
                if (w == 0) continue;
                for (int j = 0; j < dim; j++) du[j] += w * u[k][j];
            }
            double radial = 0;
            for (int j = 0; j < dim; j++) radial += du[j] * u[i][j];
            float[] dz = i < batch ? dz1 : dz2;
            int row = (i % batch) * dim;
            for (int j = 0; j < dim; j++) dz[row + j] = (float) ((du[j] - radial * u[i][j]) / norms[i]);
        }
        return loss / n;
    }
}
