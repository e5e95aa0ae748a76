package org.rnnclust.train;

/** Hears about training progress (the CLI draws a progress bar or prints a line per epoch). */
public interface TrainingListener {
    /**
     * One finished epoch; {@code labelChange}: in refinement, the fraction of labels the last
     * target update changed (NaN where there is none).
     */
    record Epoch(int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved,
                 double labelChange) {
        Epoch withLabelChange(double change) {
            return new Epoch(epoch, epochs, loss, gradNorm, seconds, improved, change);
        }
    }

    default void epochStarted(int epoch, int batches) {}

    default void batchFinished(int epoch, int batch, double loss) {}

    default void epochFinished(Epoch e) {}

    TrainingListener NONE = new TrainingListener() {};
}
