package org.rnnclust.api;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * How one fit runs, beside what it fits (the {@link SequenceClusterer}'s settings).
 *
 * @param listener     hears the epochs and batches
 * @param cancelled    polled before every optimizer step; when it answers true the fit saves its
 *                     position (within the epoch) in the checkpoint, when it has one, and stops
 *                     with an {@link org.rnnclust.CancelledException}
 * @param checkpoint   where to write a checkpoint after every epoch and on cancellation, or null
 *                     for none
 * @param resume       continue from {@code checkpoint}, which must hold a run with the same settings
 *                     (the epoch limits may be higher) on the same data, preprocessed the same way
 *                     (pretraining resumes where it stopped, within an epoch too; a finished
 *                     pretraining is reused, and a refinement with the same settings and start
 *                     resumes too); the resumed fit ends with the uninterrupted fit's model
 * @param startingFrom a pretraining to start from instead of training (null: train)
 * @param keys         the checkpoints are signed with its signing key, and a resumed one must carry
 *                     its verification key's signature (null: {@link ModelKeys#NONE})
 */
public record FitOptions(FitListener listener, BooleanSupplier cancelled, Path checkpoint, boolean resume,
                         Pretraining startingFrom, ModelKeys keys) {
    public FitOptions {
        if (listener == null) listener = FitListener.NONE;
        if (cancelled == null) cancelled = () -> false;
        if (keys == null) keys = ModelKeys.NONE;
        if (resume && checkpoint == null) throw new IllegalArgumentException("resuming needs a checkpoint file");
        if (resume && startingFrom != null) {
            throw new IllegalArgumentException("a fit resumes a checkpoint or starts from a pretraining, not both");
        }
    }

    /** No listener, no cancellation, no checkpoint. */
    public static FitOptions defaults() {
        return new FitOptions(null, null, null, false, null, null);
    }

    public FitOptions withListener(FitListener l) {
        return new FitOptions(l, cancelled, checkpoint, resume, startingFrom, keys);
    }

    public FitOptions withCancellation(BooleanSupplier c) {
        return new FitOptions(listener, c, checkpoint, resume, startingFrom, keys);
    }

    /** Checkpoints in {@code file} after every epoch; with {@code resume}, continues the run saved there. */
    public FitOptions withCheckpoint(Path file, boolean resumeIt) {
        return new FitOptions(listener, cancelled, file, resumeIt, startingFrom, keys);
    }

    public FitOptions startingFrom(Pretraining p) {
        return new FitOptions(listener, cancelled, checkpoint, resume, p, keys);
    }

    /** Checkpoints signed and verified with {@code k}. */
    public FitOptions withKeys(ModelKeys k) {
        return new FitOptions(listener, cancelled, checkpoint, resume, startingFrom, k);
    }
}
