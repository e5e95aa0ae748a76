package org.rnnclust.nn;

/**
 * The shape of a {@link SequenceAutoencoder}.
 *
 * @param cell           RNN, LSTM or GRU, for encoder and decoder alike
 * @param channels       features per time step of the input (C)
 * @param hidden         hidden size H of every recurrent layer
 * @param layers         recurrent layers in the encoder and in the decoder
 * @param bidirectional  whether the encoder reads both ways (the decoder always runs forward)
 * @param latent         size D of the embedding
 */
public record AutoencoderSpec(CellType cell, int channels, int hidden, int layers, boolean bidirectional, int latent) {
    public AutoencoderSpec {
        if (cell == null) throw new IllegalArgumentException("cell type missing");
        if (channels < 1 || hidden < 1 || layers < 1 || latent < 1) {
            throw new IllegalArgumentException("channels, hidden, layers and latent must be >= 1, got "
                    + channels + ", " + hidden + ", " + layers + ", " + latent);
        }
    }

    public RecurrentSpec encoder() {
        return new RecurrentSpec(cell, channels, hidden, layers, bidirectional);
    }

    public RecurrentSpec decoder() {
        return new RecurrentSpec(cell, latent, hidden, layers, false);
    }

    /** Width of the encoder's summary: the last layer's final hidden state, both directions. */
    public int summarySize() {
        return hidden * (bidirectional ? 2 : 1);
    }
}
