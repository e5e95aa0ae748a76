package org.rnnclust.api;

import org.rnnclust.train.PretrainingObjective;

/** What the autoencoder's pretraining minimises. */
public enum Objective {
    /** The reconstruction error (the default). */
    RECONSTRUCTION(PretrainingObjective.RECONSTRUCTION),
    /**
     * SimCLR's NT-Xent between the embeddings of two random views of each series (jitter, scaling,
     * a masked span); the decoder is not trained.
     */
    CONTRASTIVE(PretrainingObjective.CONTRASTIVE),
    /** Both: the clean series reconstructed from its second view, plus NT-Xent. */
    BOTH(PretrainingObjective.BOTH);

    private final PretrainingObjective objective;

    Objective(PretrainingObjective objective) {
        this.objective = objective;
    }

    /** "reconstruction", "contrastive" or "both", any case. */
    public static Objective parse(String name) {
        PretrainingObjective o = PretrainingObjective.parse(name);
        for (Objective v : values()) if (v.objective == o) return v;
        throw new IllegalArgumentException("unknown objective '" + name + "'");
    }

    public String label() {
        return objective.label();
    }

    PretrainingObjective objective() {
        return objective;
    }
}
