package org.rnnclust.nn;

/**
 * The shape of a {@link RecurrentStack}, as PyTorch's constructor arguments.
 *
 * @param inputSize  I, features per step
 * @param hiddenSize H
 * @param layers     L, stacked layers
 */
public record RecurrentSpec(CellType cell, int inputSize, int hiddenSize, int layers, boolean bidirectional) {
    public RecurrentSpec {
        if (cell == null) throw new IllegalArgumentException("cell type missing");
        if (inputSize < 1 || hiddenSize < 1 || layers < 1) {
            throw new IllegalArgumentException("input size, hidden size and layers must be >= 1, got "
                    + inputSize + ", " + hiddenSize + ", " + layers);
        }
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features per step of the output: H·directions. */
    public int outputSize() {
        return hiddenSize * directions();
    }
}
