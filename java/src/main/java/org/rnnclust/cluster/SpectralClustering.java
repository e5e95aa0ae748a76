package org.rnnclust.cluster;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.KrylovSpace;
import org.rnnclust.backend.Neighbours;
import org.rnnclust.backend.ScaledSparseMatrix;
import org.rnnclust.data.RowSample;
import org.rnnclust.linalg.LinearAlgebra;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spectral clustering of points by their k-nearest-neighbour graph (Ng, Jordan and Weiss, 2001):
 * the symmetrised kNN connectivity A, the leading eigenvectors of D^-1/2 A D^-1/2
 * ({@link BlockKrylov}), each point's row of them scaled to unit length, then k-means on those rows.
 * The neighbour search and the eigensolver's n-sized work run on the backend
 * ({@link Backend#nearestNeighbours}, {@link Backend#krylovSpace}); the rest is written here once.
 *
 * <p>Why here: an autoencoder's embedding keeps what tells the classes apart (on MNIST a
 * 5-nearest-neighbour classifier on the 10-d LSTM embedding is 96% right) while its clusters are
 * not the round blobs k-means assumes; a neighbour graph follows their shape (McConville et al.,
 * N2D, 2020, make the same observation with UMAP). {@link #centroids} turns the partition into
 * embedding-space centroids, which is what DEC/IDEC refinement starts from.
 *
 * <p>Above {@code maxRows} points a seeded subsample is clustered; its centroids serve all points.
 */
public final class SpectralClustering {
    /** Residual ‖Au − θu‖ at which the eigenvectors count as converged. */
    public static final double TOLERANCE = 1e-6;
    private static final Logger LOG = LoggerFactory.getLogger(SpectralClustering.class);

    private SpectralClustering() {}

    /**
     * @param neighbours the graph's k (scikit-learn's n_neighbors; default 10)
     * @param dimensions eigenvectors kept, or 0 for twice the number of clusters
     * @param maxRows    points at most in the graph (a seeded subsample above it)
     */
    public record Params(int neighbours, int dimensions, int maxRows) {
        public static final int DEFAULT_NEIGHBOURS = 10;
        public static final int DEFAULT_MAX_ROWS = 20_000;

        public Params {
            if (neighbours < 1) throw new IllegalArgumentException("neighbours must be >= 1, got " + neighbours);
            if (dimensions < 0) throw new IllegalArgumentException("dimensions must be >= 0, got " + dimensions);
            if (maxRows < 2) throw new IllegalArgumentException("maxRows must be >= 2, got " + maxRows);
        }

        public static Params defaults() {
            return new Params(DEFAULT_NEIGHBOURS, 0, DEFAULT_MAX_ROWS);
        }

        int dimensionsFor(int k, int rows) {
            return Math.min(rows, dimensions > 0 ? dimensions : 2 * k);
        }
    }

    /**
     * @param rows         the clustered points' indices into the input (all of them unless subsampled)
     * @param labels       their clusters, 0..k-1
     * @param eigenvalues  the normalised adjacency's leading eigenvalues (1 is the top one, repeated
     *                     once per connected component)
     * @param eigenvectors the corresponding unit eigenvectors, rows.length × eigenvalues.length row-major
     * @param maxResidual  the eigen solver's largest residual
     */
    public record Result(int[] rows, int[] labels, double[] eigenvalues, double[] eigenvectors, double maxResidual) {}

    /**
     * Refuses, before any work is done for it, a clustering of {@code n} points into {@code k} that
     * spectral clustering cannot do: its neighbour graph needs two points, and each cluster one.
     */
    public static void requireEnoughPoints(int n, int k, Params params) {
        int m = Math.min(n, params.maxRows());
        if (m < 2 || k > m) {
            throw new InputException("spectral clustering needs at least 2 points and one per cluster; it would have "
                    + m + " point" + (m == 1 ? "" : "s") + " for " + k + " cluster" + (k == 1 ? "" : "s")
                    + ": start from k-means or give it more sequences", Setting.CLUSTER_INIT, Setting.CLUSTERS);
        }
    }

    /** Clusters the n × d row-major points {@code x} into {@code kmeans.k()} clusters. */
    public static Result fit(Backend backend, float[] x, int n, int d, Params params, KMeansParams kmeans) {
        if ((long) n * d != x.length) throw new IllegalArgumentException(x.length + " values are not " + n + " × " + d);
        int k = kmeans.k();
        SplittableRandom random = new SplittableRandom(kmeans.seed());
        SplittableRandom sampling = random.split();
        int[] rows = n <= params.maxRows() ? identity(n) : RowSample.sorted(n, params.maxRows(), sampling);
        int m = rows.length;
        requireEnoughPoints(n, k, params);
        int neighbours = Math.min(params.neighbours(), m - 1);
        float[] points = RowSample.gather(x, d, rows);
        Graph graph = Graph.knn(neighbourIndices(backend.nearestNeighbours(points, m, d, neighbours)), m, neighbours);
        int dims = params.dimensionsFor(k, m);
        int maxBasis = basisLimit(m, dims, Runtime.getRuntime().maxMemory(), backend.deterministic());
        BlockKrylov.Result eig;
        try (KrylovSpace space = backend.krylovSpace(graph.normalised(), Math.min(m, Math.max(maxBasis, dims)))) {
            // A block as wide as the wanted space: it resolves up to dims components of eigenvalue 1.
            eig = BlockKrylov.largest(space, dims, dims, maxBasis, TOLERANCE, random.nextLong(),
                    LinearAlgebra.of(backend.deterministic()));
        }
        float[] spectral = new float[m * dims];
        for (int i = 0; i < m; i++) {
            double norm = 0;
            for (int c = 0; c < dims; c++) norm += eig.vectors()[i * dims + c] * eig.vectors()[i * dims + c];
            norm = Math.sqrt(norm);
            for (int c = 0; c < dims; c++) {
                spectral[i * dims + c] = (float) (norm > 0 ? eig.vectors()[i * dims + c] / norm : 0);
            }
        }
        int[] labels = new KMeans(kmeans.withBatchSize(0)).fit(backend, spectral, m, dims).labels();
        return new Result(rows, labels, eig.values(), eig.vectors(), eig.maxResidual());
    }

    /**
     * Spectral clustering of {@code x} turned into a nearest-centroid model: the centroids are the
     * spectral clusters' means and the labels each point's nearest centroid (so that the model
     * assigns new points, and reproduces its own labels, the way a k-means model does). The
     * nearest-mean partition is not the spectral one where a cluster is far from round; DEC/IDEC
     * refinement starts from it and moves the embedding toward it. The model's {@code converged}
     * says whether the eigensolver met {@link #TOLERANCE}; it has no Lloyd iterations or history.
     */
    public static KMeansModel centroidModel(Backend backend, float[] x, int n, int d, Params params,
                                            KMeansParams kmeans) {
        Result r = fit(backend, x, n, d, params, kmeans);
        if (r.maxResidual() > TOLERANCE) {
            LOG.warn("spectral clustering: the eigenvectors did not converge (residual " + r.maxResidual() + " above "
                    + TOLERANCE + "); the clusters may be poorer than they could be");
        }
        int k = kmeans.k();
        float[] centroids = centroids(x, d, r.rows(), r.labels(), k);
        KMeansModel.Assignment a = new KMeansModel(k, d, centroids, null, Double.NaN, 0, true, java.util.List.of())
                .predict(backend, x, n);
        return new KMeansModel(k, d, centroids, a.labels(), a.inertia(), 0, r.maxResidual() <= TOLERANCE,
                java.util.List.of());
    }

    /**
     * The eigensolver's basis size limit for m rows and dims eigenvectors: 40·dims vectors, at
     * least 1000 (MNIST's 10,000 embeddings converge at ~760 for 20), at most what a third of the
     * heap holds (the basis and its products, 16·m bytes a vector). In the deterministic mode the
     * heap does not lower the limit (it differs between machines, and the eigenvectors with it):
     * a heap too small for it is refused instead. A GPU, whose basis lives in device memory, gets
     * the same limit, so that the solver takes the same steps on either device.
     *
     * @throws InputException when the heap cannot hold even 3·dims vectors, or in the deterministic
     *     mode the full limit
     */
    static int basisLimit(int m, int dims, long maxHeapBytes, boolean deterministic) {
        long affordable = maxHeapBytes / 3 / (16L * m);
        long wanted = Math.min(m, Math.max(1000L, 40L * dims));
        long least = deterministic ? wanted : 3L * dims;
        if (affordable < least) {
            throw new InputException(String.format(java.util.Locale.ROOT,
                    "spectral clustering of %d rows into %d eigenvectors needs about %d MB of Java heap for its "
                            + "eigensolver, more than a third of the %d MB there is: build the graph on fewer rows "
                            + "or give the JVM more heap (-Xmx)", m, dims, 3 * least * 16 * m >> 20,
                    maxHeapBytes >> 20), Setting.SPECTRAL_MAX_ROWS);
        }
        return (int) Math.min(wanted, affordable);
    }

    /**
     * The mean of each cluster's points in the input space (k × d); an empty cluster (k-means on
     * the spectral rows leaves none, but a caller's labels might) gets the overall mean.
     */
    public static float[] centroids(float[] x, int d, int[] rows, int[] labels, int k) {
        double[] sum = new double[k * d];
        int[] count = new int[k];
        double[] all = new double[d];
        for (int i = 0; i < rows.length; i++) {
            int c = labels[i];
            count[c]++;
            for (int j = 0; j < d; j++) {
                double v = x[rows[i] * d + j];
                sum[c * d + j] += v;
                all[j] += v;
            }
        }
        float[] out = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                out[c * d + j] = (float) (count[c] > 0 ? sum[c * d + j] / count[c] : all[j] / rows.length);
            }
        }
        return out;
    }

    /**
     * The neighbours' indices; every point has its m (fewer than the points), so a missing one
     * (−1) can only come from distances that are not numbers.
     */
    private static int[] neighbourIndices(Neighbours nn) {
        for (int j : nn.index()) {
            if (j < 0) {
                throw new ArithmeticException("spectral clustering: the points' distances are not all finite numbers, "
                        + "so their nearest neighbours are undefined");
            }
        }
        return nn.index();
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return idx;
    }

    /** The symmetrised kNN graph in compressed rows, with its degrees. */
    static final class Graph {
        final int n;
        final int[] start;     // n + 1 row offsets
        final int[] column;
        final double[] weight;
        final double[] invSqrtDegree;

        private Graph(int n, int[] start, int[] column, double[] weight) {
            this.n = n;
            this.start = start;
            this.column = column;
            this.weight = weight;
            this.invSqrtDegree = new double[n];
            for (int i = 0; i < n; i++) {
                double deg = 0;
                for (int e = start[i]; e < start[i + 1]; e++) deg += weight[e];
                invSqrtDegree[i] = 1 / Math.sqrt(deg);  // deg >= 1/2: every point has a neighbour
            }
        }

        /**
         * A = (G + Gᵀ)/2 for the 0/1 kNN matrix G (scikit-learn's symmetrisation in
         * SpectralClustering): 1 where each is among the other's neighbours, 1/2 where one way only.
         */
        static Graph knn(int[] neighbours, int n, int kk) {
            // Count each undirected pair once per direction it was found in.
            java.util.HashMap<Long, Integer> seen = new java.util.HashMap<>(n * kk * 2);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < kk; t++) {
                    int j = neighbours[i * kk + t];
                    long key = (long) Math.min(i, j) * n + Math.max(i, j);
                    seen.merge(key, 1, Integer::sum);
                }
            }
            int[] degreeCount = new int[n];
            for (long key : seen.keySet()) {
                degreeCount[(int) (key / n)]++;
                degreeCount[(int) (key % n)]++;
            }
            int[] start = new int[n + 1];
            for (int i = 0; i < n; i++) start[i + 1] = start[i] + degreeCount[i];
            int[] fill = Arrays.copyOf(start, n);
            int[] column = new int[start[n]];
            double[] weight = new double[start[n]];
            for (var e : seen.entrySet()) {
                int i = (int) (e.getKey() / n);
                int j = (int) (e.getKey() % n);
                double w = e.getValue() / 2.0;
                column[fill[i]] = j;
                weight[fill[i]++] = w;
                column[fill[j]] = i;
                weight[fill[j]++] = w;
            }
            // Sorted columns: the products below then add in an order independent of the hash map's.
            for (int i = 0; i < n; i++) sortRow(column, weight, start[i], start[i + 1]);
            return new Graph(n, start, column, weight);
        }

        private static void sortRow(int[] column, double[] weight, int from, int to) {
            for (int a = from + 1; a < to; a++) {
                int c = column[a];
                double w = weight[a];
                int b = a - 1;
                while (b >= from && column[b] > c) {
                    column[b + 1] = column[b];
                    weight[b + 1] = weight[b];
                    b--;
                }
                column[b + 1] = c;
                weight[b + 1] = w;
            }
        }

        /** D^-1/2 A D^-1/2, the matrix whose leading eigenvectors embed the points. */
        ScaledSparseMatrix normalised() {
            return new ScaledSparseMatrix(n, start, column, weight, invSqrtDegree);
        }
    }
}
