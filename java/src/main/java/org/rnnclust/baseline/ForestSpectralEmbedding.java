package org.rnnclust.baseline;

import java.util.SplittableRandom;
import org.rnnclust.linalg.LinearAlgebra;
import org.rnnclust.data.RowSample;

/**
 * The random-forest baseline's embedding: totally random trees on the training rows, their
 * proximity (the fraction of trees in which two rows share a leaf), and the spectral embedding of
 * that proximity (Ng, Jordan and Weiss: the top-k eigenvectors of D^-1/2 P D^-1/2, each row scaled
 * to unit length), which k-means then clusters.
 *
 * <p>New rows (the TEST set) are placed by the Nyström extension: a row's proximities to the
 * training rows, normalised the same way, times the eigenvectors, divided by the eigenvalues. For a
 * training row this gives back its own coordinates exactly, so training and test rows share one
 * space.
 */
public final class ForestSpectralEmbedding {
    private final RandomTrees forest;
    private final int d;
    private final int m;              // training rows kept
    private final int k;              // embedding size
    private final int[][][] members;  // per tree, per leaf: the training rows in it
    private final double[] sqrtDegree;
    private final double[] vectors;   // m × k
    private final double[] values;    // k

    private ForestSpectralEmbedding(RandomTrees forest, int d, int m, int k, int[][][] members, double[] sqrtDegree,
                                    double[] vectors, double[] values) {
        this.forest = forest;
        this.d = d;
        this.m = m;
        this.k = k;
        this.members = members;
        this.sqrtDegree = sqrtDegree;
        this.vectors = vectors;
        this.values = values;
    }

    /** Fits on the n × d row-major {@code x}, a k-dimensional embedding (k = the clusters wanted). */
    public static ForestSpectralEmbedding fit(float[] x, int n, int d, int k, ForestParams params, long seed) {
        return fit(x, n, d, k, params, seed, false);
    }

    /**
     * As {@link #fit(float[], int, int, int, ForestParams, long)}; {@code deterministic}: the
     * eigenvectors by the deterministic mode's fixed-order solver, whose bits do not depend on the machine.
     */
    public static ForestSpectralEmbedding fit(float[] x, int n, int d, int k, ForestParams params, long seed,
                                              boolean deterministic) {
        if (k < 1) throw new IllegalArgumentException("embedding size must be >= 1, got " + k);
        SplittableRandom random = new SplittableRandom(seed);
        float[] rows = subsample(x, n, d, params.maxRows(), random.split());
        int m = rows.length / d;
        if (k > m) throw new IllegalArgumentException(k + " dimensions from " + m + " rows");
        RandomTrees forest = RandomTrees.fit(rows, m, d, params.trees(), params.maxDepth(), random.nextLong());
        int trees = forest.trees();
        int[] leaves = forest.leavesOf(rows, m);
        int[][][] members = new int[trees][][];
        for (int t = 0; t < trees; t++) {
            int[] counts = new int[forest.leaves(t)];
            for (int i = 0; i < m; i++) counts[leaves[i * trees + t]]++;
            members[t] = new int[counts.length][];
            for (int l = 0; l < counts.length; l++) members[t][l] = new int[counts[l]];
            int[] fill = new int[counts.length];
            for (int i = 0; i < m; i++) {
                int l = leaves[i * trees + t];
                members[t][l][fill[l]++] = i;
            }
        }
        double[] p = new double[m * m];
        for (int i = 0; i < m; i++) addProximities(members, leaves, i * trees, trees, p, i * m);
        double[] sqrtDegree = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) s += p[i * m + j];
            sqrtDegree[i] = Math.sqrt(s);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) p[i * m + j] /= sqrtDegree[i] * sqrtDegree[j];
        }
        LinearAlgebra.Eigen eig = LinearAlgebra.of(deterministic).largestEigen(p, m, k);
        return new ForestSpectralEmbedding(forest, d, m, k, members, sqrtDegree, eig.vectors(), eig.values());
    }

    /** Adds one row's proximities (1/trees per shared leaf) to the m training rows into {@code out[at..]}. */
    private static void addProximities(int[][][] members, int[] leaves, int leafOffset, int trees, double[] out,
                                       int at) {
        double w = 1.0 / trees;
        for (int t = 0; t < trees; t++) {
            for (int j : members[t][leaves[leafOffset + t]]) out[at + j] += w;
        }
    }

    private static float[] subsample(float[] x, int n, int d, int max, SplittableRandom random) {
        return n <= max ? x : RowSample.gather(x, d, RowSample.sorted(n, max, random));
    }

    /** Proximities of the n rows of {@code x} to the training rows: n × trainingRows(), each in [0, 1]. */
    public double[] proximity(float[] x, int n) {
        int trees = forest.trees();
        int[] leaves = forest.leavesOf(x, n);
        double[] out = new double[n * m];
        for (int i = 0; i < n; i++) addProximities(members, leaves, i * trees, trees, out, i * m);
        return out;
    }

    /** Embeds the n × d row-major {@code x}: n × dimensions(), every row of unit length. */
    public float[] embed(float[] x, int n) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        float[] out = new float[n * k];
        int trees = forest.trees();
        int[] leaves = forest.leavesOf(x, n);
        double[] row = new double[m];
        double[] coords = new double[k];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(row, 0);
            addProximities(members, leaves, i * trees, trees, row, 0);
            double degree = 0;
            for (double v : row) degree += v;
            double sqrtDeg = Math.sqrt(degree);  // >= 1/sqrt(trees): every leaf holds a training row
            java.util.Arrays.fill(coords, 0);
            for (int j = 0; j < m; j++) {
                if (row[j] == 0) continue;
                double a = row[j] / (sqrtDeg * sqrtDegree[j]);
                for (int c = 0; c < k; c++) coords[c] += a * vectors[j * k + c];
            }
            double norm = 0;
            for (int c = 0; c < k; c++) {
                coords[c] /= Math.max(values[c], 1e-12);
                norm += coords[c] * coords[c];
            }
            norm = Math.sqrt(norm);
            for (int c = 0; c < k; c++) out[i * k + c] = (float) (norm > 0 ? coords[c] / norm : 0);
        }
        return out;
    }

    public int dimensions() { return k; }

    public int trainingRows() { return m; }

    /** Eigenvalues of the normalised proximity, largest first (the first is 1 for connected data). */
    public double[] eigenvalues() { return values.clone(); }

    /** Stored numbers: the trees' splits, each kept row's leaf per tree, its degree and coordinates. */
    public long parameterCount() {
        return forest.parameterCount() + (long) m * forest.trees() + m + (long) m * k + k;
    }
}
