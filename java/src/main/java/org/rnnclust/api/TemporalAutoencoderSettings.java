package org.rnnclust.api;

import org.rnnclust.nn.WeightInit;

/**
 * How {@link Methods#temporalAutoencoder} pretrains DTC's temporal autoencoder
 * ({@link org.rnnclust.nn.TemporalAutoencoder}) before k-means clusters its embeddings.
 *
 * @param optimizerSteps Adam steps in all (rounded up to whole epochs), with no early stopping
 * @param batchSize      series per step
 * @param learningRate   Adam's learning rate; the gradients are not clipped
 * @param weightInit     whose default initialisers the network starts from
 */
public record TemporalAutoencoderSettings(int optimizerSteps, int batchSize, double learningRate, WeightInit weightInit) {
    public TemporalAutoencoderSettings {
        if (weightInit == null) throw new IllegalArgumentException("weight initialisation missing");
        if (optimizerSteps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("steps and batch size must be >= 1, got " + optimizerSteps + ", " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
    }

    /**
     * Lafabregue et al.'s pretraining of their biLSTM-AE (the defaults of their comparative study's
     * code, in Keras): 1,000 steps of Adam at 10⁻³ on batches of 10, from Keras's initialisers.
     */
    public static TemporalAutoencoderSettings lafabregue() {
        return new TemporalAutoencoderSettings(1000, 10, 1e-3, WeightInit.KERAS);
    }

    /** These settings with {@code steps} optimizer steps. */
    public TemporalAutoencoderSettings withOptimizerSteps(int steps) {
        return new TemporalAutoencoderSettings(steps, batchSize, learningRate, weightInit);
    }

    /** Whole epochs over {@code rows} training series that take at least {@link #optimizerSteps} steps. */
    public int epochs(int rows) {
        int batches = (rows + batchSize - 1) / batchSize;
        return (optimizerSteps + batches - 1) / batches;
    }
}
