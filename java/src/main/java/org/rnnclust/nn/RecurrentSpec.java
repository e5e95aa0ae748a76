package org.rnnclust.nn;

import java.util.List;

/**
 * The shape of a {@link RecurrentStack}: PyTorch's constructor arguments, and a dilation per layer.
 *
 * @param inputSize  I, features per step
 * @param hiddenSize H
 * @param layers     L, stacked layers
 * @param dilations  per layer, the step of its recurrence (Chang et al., "Dilated recurrent neural
 *                   networks", NeurIPS 2017; DTCR's encoder uses 1, 4, 16): a layer of dilation d
 *                   connects step t to step t − d, that is it runs the same cell over the d
 *                   interleaved sub-sequences t ≡ r (mod d). Empty, or all 1: PyTorch's stack
 *                   (stored as empty, so that the two are equal).
 */
public record RecurrentSpec(CellType cell, int inputSize, int hiddenSize, int layers, boolean bidirectional,
                            List<Integer> dilations) {
    /** The largest dilation accepted. */
    public static final int MAX_DILATION = 4096;

    public RecurrentSpec {
        if (cell == null) throw new IllegalArgumentException("cell type missing");
        if (inputSize < 1 || hiddenSize < 1 || layers < 1) {
            throw new IllegalArgumentException("input size, hidden size and layers must be >= 1, got "
                    + inputSize + ", " + hiddenSize + ", " + layers);
        }
        dilations = List.copyOf(dilations);
        if (!dilations.isEmpty() && dilations.size() != layers) {
            throw new IllegalArgumentException(dilations.size() + " dilations for " + layers + " layers");
        }
        for (int d : dilations) {
            if (d < 1 || d > MAX_DILATION) {
                throw new IllegalArgumentException("dilations must be in 1.." + MAX_DILATION + ", got " + dilations);
            }
        }
        if (dilations.stream().allMatch(d -> d == 1)) dilations = List.of();
    }

    /** Without dilation (every layer 1): PyTorch's nn.RNN/LSTM/GRU. */
    public RecurrentSpec(CellType cell, int inputSize, int hiddenSize, int layers, boolean bidirectional) {
        this(cell, inputSize, hiddenSize, layers, bidirectional, List.of());
    }

    /** The dilation of {@code layer}. */
    public int dilation(int layer) {
        return dilations.isEmpty() ? 1 : dilations.get(layer);
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Features per step of the output: H·directions. */
    public int outputSize() {
        return hiddenSize * directions();
    }

    /** Whether some layer has a dilation above 1. */
    public boolean dilated() {
        return !dilations.isEmpty();
    }

    /**
     * Steps the layers run over for a batch of {@code steps}: rounded up to a multiple of every
     * dilation (their least common multiple), so that each layer's sub-sequences have equal
     * lengths; the added steps are padding. {@code steps} itself without dilation.
     */
    public int paddedSteps(int steps) {
        long multiple = 1;
        for (int d : dilations) multiple = lcm(multiple, d);
        return Math.toIntExact((steps + multiple - 1) / multiple * multiple);
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }
}
