package org.rnnclust.train;

/** Hears about training progress (the CLI draws a progress bar or prints a line per epoch). */
public interface TrainingListener {
    /** One finished epoch. */
    record Epoch(int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved) {}

    default void epochStarted(int epoch, int batches) {}

    default void batchFinished(int epoch, int batch, double loss) {}

    default void epochFinished(Epoch e) {}

    TrainingListener NONE = new TrainingListener() {};
}
