package org.rnnclust.nn;

import java.util.List;

/**
 * The shape of a {@link SequenceAutoencoder}.
 *
 * @param cell           RNN, LSTM or GRU, for encoder and decoder alike
 * @param channels       features per time step of the input (C)
 * @param hidden         hidden size H of every recurrent layer
 * @param layers         recurrent layers in the encoder and in the decoder
 * @param bidirectional  whether the encoder reads both ways (the decoder always runs forward)
 * @param latent         size D of the embedding
 * @param dilations      the encoder's dilation per layer ({@link RecurrentSpec#dilations}; DTCR's
 *                       encoder uses 1, 4, 16; empty or all 1: none, stored as empty); the
 *                       decoder is never dilated
 */
public record AutoencoderSpec(CellType cell, int channels, int hidden, int layers, boolean bidirectional, int latent,
                              List<Integer> dilations) implements java.io.Serializable {
    public AutoencoderSpec {
        if (cell == null) throw new IllegalArgumentException("cell type missing");
        if (channels < 1 || hidden < 1 || layers < 1 || latent < 1) {
            throw new IllegalArgumentException("channels, hidden, layers and latent must be >= 1, got "
                    + channels + ", " + hidden + ", " + layers + ", " + latent);
        }
        dilations = new RecurrentSpec(cell, channels, hidden, layers, bidirectional, dilations).dilations();  // checked
    }

    /** An undilated encoder. */
    public AutoencoderSpec(CellType cell, int channels, int hidden, int layers, boolean bidirectional, int latent) {
        this(cell, channels, hidden, layers, bidirectional, latent, List.of());
    }

    public RecurrentSpec encoder() {
        return new RecurrentSpec(cell, channels, hidden, layers, bidirectional, dilations);
    }

    public RecurrentSpec decoder() {
        return new RecurrentSpec(cell, latent, hidden, layers, false);
    }

    /** Whether some encoder layer is dilated. */
    public boolean dilated() {
        return encoder().dilated();
    }

    /** Width of the encoder's summary: the last layer's final hidden state, both directions. */
    public int summarySize() {
        return hidden * (bidirectional ? 2 : 1);
    }
}
