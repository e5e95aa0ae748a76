package org.rnnclust.eval;

import java.util.List;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;

/**
 * A fitted method: how it embeds sequences, the k-means model on those embeddings, and what the fit
 * cost and learned. Close it to free what the embedding holds (a network's device buffers).
 *
 * @param method          the method's name
 * @param embedder        sequences → embeddings (n × dimensions, row-major)
 * @param dimensions      size of one embedding
 * @param kmeans          k-means fitted on the training embeddings
 * @param parameterCount  numbers the fitted model stores (embedding and centroids)
 * @param steps           the fit's iterations to converge: training epochs for a network, else the
 *                        winning k-means restart's Lloyd iterations
 * @param stepUnit        "epochs" or "iterations"
 * @param lossHistory     training loss per epoch (empty for methods that do not train)
 * @param closer          frees the embedder's resources (may be a no-op)
 * @param reusedSeconds   time of work this fit reused rather than redid (a pretraining shared with
 *                        another method), added to its fit time so that each method's time is whole
 */
public record FittedClustering(String method, Embedder embedder, int dimensions, KMeansModel kmeans,
                               long parameterCount, int steps, String stepUnit, List<Double> lossHistory,
                               AutoCloseable closer, double reusedSeconds) implements AutoCloseable {

    public FittedClustering(String method, Embedder embedder, int dimensions, KMeansModel kmeans, long parameterCount,
                            int steps, String stepUnit, List<Double> lossHistory, AutoCloseable closer) {
        this(method, embedder, dimensions, kmeans, parameterCount, steps, stepUnit, lossHistory, closer, 0);
    }

    /** Turns sequences into the vectors k-means clusters. */
    @FunctionalInterface
    public interface Embedder {
        float[] embed(Backend backend, PaddedSequences data);
    }

    public float[] embed(Backend backend, PaddedSequences data) {
        return embedder.embed(backend, data);
    }

    /** The cluster of every sequence of {@code data}. */
    public int[] assign(Backend backend, PaddedSequences data) {
        return kmeans.predict(backend, embed(backend, data), data.n()).labels();
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
