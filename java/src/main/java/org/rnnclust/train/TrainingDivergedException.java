package org.rnnclust.train;

import org.rnnclust.InputException;

/**
 * The loss or the gradients became NaN or infinite. The hyperparameters are the usual cause, so
 * the CLI treats it as bad input (exit 2); the last good checkpoint stays on disk.
 */
public final class TrainingDivergedException extends InputException {
    private final int epoch;

    public TrainingDivergedException(int epoch, String message) {
        super(message);
        this.epoch = epoch;
    }

    /** 1-based epoch in which it happened. */
    public int epoch() {
        return epoch;
    }
}
