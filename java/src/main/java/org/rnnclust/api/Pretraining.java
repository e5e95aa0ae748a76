package org.rnnclust.api;

import java.util.List;
import org.rnnclust.cluster.KMeansModel;

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
 * @param start        the first clustering of the training sequences' embeddings that a fit of
 *                     several members chose ({@link SequenceClusterer.Builder#members}: the
 *                     consensus clusters), where a fit that starts from this pretraining with as
 *                     many clusters starts too, instead of clustering again; null for a
 *                     pretraining of one network, whose fits cluster its embeddings as usual
 * @param privacy      what a differentially private pretraining spent; null without privacy
 */
public record Pretraining(List<float[]> weights, int epochs, List<Double> lossHistory, boolean stoppedEarly,
                          double seconds, KMeansModel start, PrivacySummary privacy) {
    public Pretraining {
        weights = List.copyOf(weights);
        lossHistory = List.copyOf(lossHistory);
    }

    /** Without differential privacy. */
    public Pretraining(List<float[]> weights, int epochs, List<Double> lossHistory, boolean stoppedEarly,
                       double seconds, KMeansModel start) {
        this(weights, epochs, lossHistory, stoppedEarly, seconds, start, null);
    }

    /** A pretraining of one network: its fits cluster its embeddings. */
    public Pretraining(List<float[]> weights, int epochs, List<Double> lossHistory, boolean stoppedEarly,
                       double seconds) {
        this(weights, epochs, lossHistory, stoppedEarly, seconds, null);
    }

    /** The same pretraining, whose fits start at {@code clustering}. */
    Pretraining startingAt(KMeansModel clustering) {
        return new Pretraining(weights, epochs, lossHistory, stoppedEarly, seconds, clustering, privacy);
    }

    /** The last epoch's loss, or NaN when none ran. */
    public double finalLoss() {
        return lossHistory.isEmpty() ? Double.NaN : lossHistory.get(lossHistory.size() - 1);
    }
}
