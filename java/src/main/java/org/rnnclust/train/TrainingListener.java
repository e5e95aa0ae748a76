package org.rnnclust.train;

/** Hears about training progress (the CLI draws a progress bar or prints a line per epoch). */
public interface TrainingListener {
    /**
     * One finished epoch; {@code labelChange}: in refinement, the fraction of labels the last
     * target update changed (NaN where there is none); {@code epsilon}: in differentially private
     * training, the ε spent so far (NaN without privacy).
     */
    record Epoch(int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved,
                 double labelChange, double epsilon) {
        Epoch withLabelChange(double change) {
            return new Epoch(epoch, epochs, loss, gradNorm, seconds, improved, change, epsilon);
        }
    }

    default void epochStarted(int epoch, int batches) {}

    /** One finished batch; {@code loss} NaN where the loss stayed on the device (read once per epoch). */
    default void batchFinished(int epoch, int batch, double loss) {}

    default void epochFinished(Epoch e) {}

    TrainingListener NONE = new TrainingListener() {};
}
