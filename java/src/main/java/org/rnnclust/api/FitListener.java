package org.rnnclust.api;

/**
 * Hears how a fit progresses: the command line draws its progress bar from this, a service can
 * report it. Called on the fitting thread; keep the work small.
 */
public interface FitListener {
    /** What is being trained. */
    enum Phase {
        /** The autoencoder learns to reconstruct the sequences. */
        PRETRAINING,
        /** DEC/IDEC refine the encoder and the centroids together. */
        REFINEMENT
    }

    /** One finished epoch: its mean loss, the last batch's gradient norm (before clipping), its time. */
    record Epoch(Phase phase, int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved) {}

    default void epochStarted(Phase phase, int epoch, int batches) {}

    default void batchFinished(Phase phase, int epoch, int batch, double loss) {}

    default void epochFinished(Epoch epoch) {}

    /** Hears nothing. */
    FitListener NONE = new FitListener() {};
}
