package org.rnnclust.train;

import org.rnnclust.InputException;
import org.rnnclust.Setting;

/**
 * The loss or the gradients became NaN or infinite, or the loss exploded. The hyperparameters are
 * the usual cause, so the CLI treats it as bad input (exit 2); the last good checkpoint stays on
 * disk. The message says what to lower in words; {@link #settings()} names those settings.
 */
public final class TrainingDivergedException extends InputException {
    private final int epoch;

    public TrainingDivergedException(int epoch, String message, Setting... settings) {
        super(message, settings);
        this.epoch = epoch;
    }

    /** 1-based epoch in which it happened. */
    public int epoch() {
        return epoch;
    }

    /** The same exception with {@code note} appended to its message (where the checkpoint stands). */
    TrainingDivergedException withNote(String note) {
        TrainingDivergedException e = new TrainingDivergedException(epoch, getMessage() + note,
                settings().toArray(new Setting[0]));
        e.setStackTrace(getStackTrace());
        return e;
    }
}
