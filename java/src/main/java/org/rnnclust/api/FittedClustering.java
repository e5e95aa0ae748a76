package org.rnnclust.api;

import java.util.List;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;

/**
 * A fitted {@link ClusteringMethod}: how it embeds sequences, the centroids of the training
 * embeddings, and what the fit cost and learned. Close it to free what the embedding holds.
 */
public final class FittedClustering implements AutoCloseable {
    /** Turns sequences into the vectors the centroids live among (n × dimensions, row-major). */
    @FunctionalInterface
    interface Embedder {
        float[] embed(PaddedSequences data);
    }

    /**
     * Assigns sequences to the centroids under a method's own distance (k-Shape's shape-based
     * distance, DTW), for the methods whose centroids are series rather than points of an
     * embedding; the others assign by the squared Euclidean distance of the embeddings.
     */
    @FunctionalInterface
    interface Assigner {
        Assignment assign(PaddedSequences data);
    }

    private final String method;
    private final Device device;
    private final Embedder embedder;
    private final int dimensions;
    private final KMeansModel kmeans;
    private final long parameterCount;
    private final int steps;
    private final String stepUnit;
    private final List<Double> lossHistory;
    private final AutoCloseable closer;
    private final double reusedSeconds;
    /** null: the nearest centroid of the embedding. */
    private final Assigner assigner;

    FittedClustering(String method, Device device, Embedder embedder, int dimensions, KMeansModel kmeans,
                     long parameterCount, int steps, String stepUnit, List<Double> lossHistory, AutoCloseable closer,
                     double reusedSeconds) {
        this(method, device, embedder, dimensions, kmeans, parameterCount, steps, stepUnit, lossHistory, closer,
                reusedSeconds, null);
    }

    /**
     * A fit whose centroids are series ({@code kmeans} holds them flattened, its inertia the
     * method's own) and whose sequences are assigned by {@code assigner}; they are "embedded" as
     * the flattened series themselves.
     */
    static FittedClustering ofSeriesCentroids(String method, Device device, int rowSize, KMeansModel centroids,
                                              Assigner assigner) {
        return new FittedClustering(method, device, PaddedSequences::values, rowSize, centroids,
                (long) centroids.k() * rowSize, centroids.iterations(), "iterations", List.of(), () -> {}, 0,
                assigner);
    }

    private FittedClustering(String method, Device device, Embedder embedder, int dimensions, KMeansModel kmeans,
                             long parameterCount, int steps, String stepUnit, List<Double> lossHistory,
                             AutoCloseable closer, double reusedSeconds, Assigner assigner) {
        this.method = method;
        this.device = device;
        this.embedder = embedder;
        this.dimensions = dimensions;
        this.kmeans = kmeans;
        this.parameterCount = parameterCount;
        this.steps = steps;
        this.stepUnit = stepUnit;
        this.lossHistory = List.copyOf(lossHistory);
        this.closer = closer;
        this.reusedSeconds = reusedSeconds;
        this.assigner = assigner;
    }

    public String method() { return method; }

    /** Size of one embedding. */
    public int dimensions() { return dimensions; }

    public int clusters() { return kmeans.k(); }

    /** The centroids [k, dimensions], row-major (a copy). */
    public float[] centroids() { return kmeans.centroids().clone(); }

    /** The cluster of each training sequence. */
    public int[] trainingLabels() { return kmeans.labels().clone(); }

    /**
     * The inertia of the training embeddings' clustering (k-Shape: the sum of shape-based distances;
     * DTW k-means: of squared DTW distances).
     */
    public double fitInertia() { return kmeans.inertia(); }

    /** The winning k-means run's Lloyd iterations (or the refinement's epochs). */
    public int iterations() { return kmeans.iterations(); }

    /** Whether the clustering converged before its iteration limit. */
    public boolean converged() { return kmeans.converged(); }

    /** Numbers the fitted method stores (embedding and centroids). */
    public long parameterCount() { return parameterCount; }

    /**
     * The fit's iterations to converge: training epochs for a network (pretraining and refinement),
     * else the winning k-means restart's Lloyd iterations.
     */
    public int steps() { return steps; }

    /** "epochs" or "iterations". */
    public String stepUnit() { return stepUnit; }

    /** Training loss per epoch (empty for methods that do not train). */
    public List<Double> lossHistory() { return lossHistory; }

    /**
     * Time of work this fit reused rather than redid (a pretraining shared with another method),
     * to be added to its fit time so that each method's time is whole.
     */
    public double reusedSeconds() { return reusedSeconds; }

    /** The embeddings of {@code data}. */
    public float[] embed(PaddedSequences data) {
        return embedder.embed(data);
    }

    /** Each sequence of {@code data} to its nearest centroid (under the method's own distance). */
    public Assignment assign(PaddedSequences data) {
        if (assigner != null) return assigner.assign(data);
        return embedAndAssign(data).assignment();
    }

    /**
     * The embeddings of {@code data} and {@link #assign}'s clusters, embedding once where the method
     * assigns by its embedding.
     */
    public ClusteringModel.Embedded embedAndAssign(PaddedSequences data) {
        float[] z = embed(data);
        if (assigner != null) return new ClusteringModel.Embedded(z, assigner.assign(data));
        KMeansModel.Assignment a = kmeans.predict(device.backend(), z, data.n());
        return new ClusteringModel.Embedded(z, new Assignment(a.labels(), a.inertia()));
    }

    /** This fit seen through {@code view}: the same centroids, sequences transformed first (resampled, ...). */
    FittedClustering viewedThrough(java.util.function.UnaryOperator<PaddedSequences> view) {
        return new FittedClustering(method, device, data -> embedder.embed(view.apply(data)), dimensions, kmeans,
                parameterCount, steps, stepUnit, lossHistory, closer, reusedSeconds,
                assigner == null ? null : data -> assigner.assign(view.apply(data)));
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            throw new IllegalStateException("freeing " + method + ": " + e.getMessage(), e);
        }
    }
}
