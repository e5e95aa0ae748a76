package org.rnnclust.nn;

import java.util.Locale;

/** The recurrent cell of a layer, with PyTorch's gate count (rows of W_ih are gates·H). */
public enum CellType {
    /** Elman RNN with tanh. */
    RNN(1, 0),
    /** Gates i, f, g, o. */
    LSTM(4, 4),
    /** Gates r, z, n. */
    GRU(3, 4);

    private final int gates;
    private final int workspaceGates;

    CellType(int gates, int workspaceGates) {
        this.gates = gates;
        this.workspaceGates = workspaceGates;
    }

    public int gates() {
        return gates;
    }

    /** Floats per (row, hidden unit) that a forward step saves for backward (see RecurrentCellOps). */
    int workspaceGates() {
        return workspaceGates;
    }

    /** "rnn", "lstm", "gru", any case. */
    public static CellType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown cell type '" + name + "' (expected rnn, lstm or gru)");
        }
    }
}
