package org.rnnclust.nn;

/**
 * The shape of a {@link TemporalAutoencoder}.
 *
 * @param channels features per step of the input (C)
 * @param steps    steps of every series (L): the embedding's size and the decoder depend on it
 * @param filters  convolution filters (F)
 * @param taps     the convolution's width (K), in the encoder ("same" padding) and the decoder ("valid")
 * @param pool     steps per max-pooling window
 * @param stride   steps between pooling windows
 * @param slope    the leaky ReLU's slope below 0
 * @param hidden   units per direction of every bidirectional LSTM layer
 * @param layers   bidirectional LSTM layers
 */
public record TemporalAutoencoderSpec(int channels, int steps, int filters, int taps, int pool, int stride, float slope,
                                      int hidden, int layers) {
    public TemporalAutoencoderSpec {
        if (channels < 1 || steps < 1 || filters < 1 || taps < 1 || pool < 1 || stride < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("every size of a temporal autoencoder must be >= 1");
        }
        if (!(slope > 0) || !Float.isFinite(slope)) throw new IllegalArgumentException("slope must be > 0, got " + slope);
        if (steps < pool) {
            throw new IllegalArgumentException("series of " + steps + " steps are shorter than one pooling window of "
                    + pool);
        }
    }

    /**
     * Lafabregue et al.'s defaults for DTC's temporal autoencoder (their {@code bilstm_ae}): 100
     * filters of width 10, Keras's leaky ReLU (slope 0.3), pooling windows of 10 steps every 10
     * steps, two bidirectional LSTM layers of 50 units.
     */
    public static TemporalAutoencoderSpec dtc(int channels, int steps) {
        return new TemporalAutoencoderSpec(channels, steps, 100, 10, 10, 10, 0.3f, 50, 2);
    }

    /** Steps after pooling (P): the recurrent layers' length. */
    public int pooledSteps() {
        return (steps - pool) / stride + 1;
    }

    /** Numbers in one embedding: every pooled step's outputs of both directions, P · 2H. */
    public int embeddingSize() {
        return Math.multiplyExact(pooledSteps(), 2 * hidden);
    }

    /** The steps the decoder resamples the embedding to before its "valid" convolution: L + K − 1. */
    public int upsampledSteps() {
        return steps + taps - 1;
    }

    /** Zero steps before the series in the encoder's "same" convolution ((K − 1) / 2, as Keras and PyTorch pad). */
    public int padBefore() {
        return (taps - 1) / 2;
    }

    public RecurrentSpec recurrent() {
        return new RecurrentSpec(CellType.LSTM, filters, hidden, layers, true);
    }
}
