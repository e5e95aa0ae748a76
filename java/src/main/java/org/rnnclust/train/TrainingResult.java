package org.rnnclust.train;

import java.util.List;

/**
 * @param epochs      epochs completed (including those before a resume)
 * @param lossHistory mean training loss of each completed epoch
 * @param stoppedEarly whether the loss plateau stopped training before the epoch limit
 * @param seconds     wall time of this call (not of epochs before a resume)
 * @param privacy     what a differentially private run spent; null for a run without privacy
 */
public record TrainingResult(int epochs, List<Double> lossHistory, boolean stoppedEarly, double seconds,
                             PrivacySpent privacy) {
    public TrainingResult(int epochs, List<Double> lossHistory, boolean stoppedEarly, double seconds) {
        this(epochs, lossHistory, stoppedEarly, seconds, null);
    }

    public double finalLoss() {
        return lossHistory.isEmpty() ? Double.NaN : lossHistory.get(lossHistory.size() - 1);
    }
}
