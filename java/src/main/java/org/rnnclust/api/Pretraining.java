package org.rnnclust.api;

import java.util.List;

/**
 * A pretrained autoencoder's weights with what its training reported: a fit can start from it
 * ({@link FitOptions#startingFrom}) instead of training again, so that several clusterings of
 * one pretraining (k-means, DEC, IDEC; other settings) are compared on the same network.
 *
 * @param weights      every parameter's values in the network's parameter order
 * @param epochs       epochs the pretraining ran
 * @param lossHistory  its mean loss per epoch
 * @param stoppedEarly whether the loss plateau ended it before its epoch limit
 * @param seconds      how long it took
 */
public record Pretraining(List<float[]> weights, int epochs, List<Double> lossHistory, boolean stoppedEarly,
                          double seconds) {
    public Pretraining {
        weights = List.copyOf(weights);
        lossHistory = List.copyOf(lossHistory);
    }

    /** The last epoch's loss, or NaN when none ran. */
    public double finalLoss() {
        return lossHistory.isEmpty() ? Double.NaN : lossHistory.get(lossHistory.size() - 1);
    }
}
