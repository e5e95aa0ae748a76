package org.rnnclust.api;

import java.util.Locale;
import org.rnnclust.nn.CellType;

/** The recurrent cell of the autoencoder, with PyTorch's parameter layout and gate order. */
public enum Cell {
    /** Long short-term memory: gates i, f, g, o. */
    LSTM(CellType.LSTM),
    /** Gated recurrent unit: gates r, z, n. */
    GRU(CellType.GRU),
    /** Elman network with tanh. */
    RNN(CellType.RNN);

    private final CellType type;

    Cell(CellType type) {
        this.type = type;
    }

    /** "lstm", "gru" or "rnn", any case. */
    public static Cell parse(String name) {
        return of(CellType.parse(name));
    }

    /** "lstm", "gru" or "rnn". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    CellType type() {
        return type;
    }

    static Cell of(CellType type) {
        for (Cell c : values()) {
            if (c.type == type) return c;
        }
        throw new IllegalArgumentException("no cell for " + type);
    }
}
