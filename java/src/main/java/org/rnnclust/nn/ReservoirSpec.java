package org.rnnclust.nn;

/**
 * The shape of a {@link Reservoir} and of its {@link ReservoirModelSpace}.
 *
 * @param units          hidden units per direction
 * @param spectralRadius the recurrent matrix's spectral radius, approximately (below 1: the echo
 *                       state property, states that forget their start)
 * @param inputScaling   input weights are uniform in [−inputScaling, inputScaling]
 * @param density        fraction of nonzero recurrent weights
 * @param bidirectional  a second reservoir, with its own weights, reads each sequence backwards
 * @param components     principal axes of the states kept per direction (the model space has
 *                       components × (components + 1) coordinates per direction)
 * @param ridge          the ridge penalty of each sequence's state regression
 */
public record ReservoirSpec(int units, double spectralRadius, double inputScaling, double density,
                            boolean bidirectional, int components, double ridge) {
    public ReservoirSpec {
        if (units < 1 || components < 1) {
            throw new IllegalArgumentException("units and components must be >= 1, got " + units + ", " + components);
        }
        if (!(spectralRadius > 0) || !(inputScaling > 0) || !(density > 0 && density <= 1) || !(ridge > 0)
                || Double.isInfinite(spectralRadius) || Double.isInfinite(inputScaling) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("spectral radius, input scaling and ridge must be finite and > 0, density"
                    + " in (0, 1]");
        }
    }

    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** Coordinates of one sequence in the model space. */
    public int modelSpaceDimension(int keptComponents) {
        return directions() * keptComponents * (keptComponents + 1);
    }
}
