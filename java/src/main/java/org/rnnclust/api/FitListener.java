package org.rnnclust.api;

/**
 * Hears how a fit progresses: the command line draws its progress bars from this, a service can
 * report it. Called on the fitting thread; keep the work small.
 *
 * <p>A fit runs in phases. Each phase is announced by {@link #phaseStarted} and always closed by
 * {@link #phaseEnded}, also when it stops early, converges, diverges or fails: a listener that
 * draws a bar per phase closes it there. Training phases report epochs and batches; the others
 * report steps (reservoirs, k-means restarts).
 */
public interface FitListener {
    /** What the fit is doing. */
    enum Phase {
        /** Fixed random reservoirs represent the series (the default representation); a step per reservoir. */
        RESERVOIRS("reservoirs"),
        /** The autoencoder learns to reconstruct the sequences; epochs and batches. */
        PRETRAINING("pretrain"),
        /** k-means of the embeddings; a step per restart. */
        KMEANS("kmeans restarts"),
        /** Spectral clustering of the embeddings; one step. */
        SPECTRAL("spectral"),
        /** DEC/IDEC refine the encoder and the centroids together; epochs and batches. */
        REFINEMENT("refine");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** The phase's name in progress output. */
        public String label() {
            return label;
        }
    }

    /**
     * One finished epoch: its mean loss, the last batch's gradient norm (before clipping), its time;
     * in refinement also the fraction of labels the last target update changed (NaN before the
     * first comparison, and in pretraining); in differentially private pretraining the ε spent so
     * far (NaN otherwise).
     */
    record Epoch(Phase phase, int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved,
                 double labelChange, double epsilon) {
        /** An epoch of training without differential privacy. */
        public Epoch(Phase phase, int epoch, int epochs, double loss, double gradNorm, double seconds, boolean improved,
                     double labelChange) {
            this(phase, epoch, epochs, loss, gradNorm, seconds, improved, labelChange, Double.NaN);
        }
    }

    /** A phase begins; {@code steps}: its epochs, reservoirs or restarts (the limit: it may end sooner). */
    default void phaseStarted(Phase phase, int steps) {}

    default void epochStarted(Phase phase, int epoch, int batches) {}

    /**
     * One finished batch; {@code loss} is its loss, or NaN where the loss stayed on the device
     * (pretraining's reconstruction: the host reads it once per epoch, in {@link #epochFinished}).
     */
    default void batchFinished(Phase phase, int epoch, int batch, double loss) {}

    default void epochFinished(Epoch epoch) {}

    /** {@code done} of the phase's steps are finished (phases without epochs). */
    default void stepFinished(Phase phase, int done) {}

    /** The phase is over, whichever way it ended. */
    default void phaseEnded(Phase phase) {}

    /** Hears nothing. */
    FitListener NONE = new FitListener() {};
}
