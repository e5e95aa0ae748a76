package org.rnnclust.train;

import java.util.Locale;

/** What the autoencoder's pretraining minimises. */
public enum PretrainingObjective {
    /** The masked MSE of the reconstruction (rnnclust's default). */
    RECONSTRUCTION,
    /**
     * NT-Xent between the embeddings of two augmented views of each series
     * ({@link org.rnnclust.nn.ContrastiveLoss}, {@link ContrastiveViews}); the decoder is not trained.
     */
    CONTRASTIVE,
    /** Both: the reconstruction of the clean series from its second view, plus NT-Xent. */
    BOTH;

    public boolean reconstructs() {
        return this != CONTRASTIVE;
    }

    public boolean contrasts() {
        return this != RECONSTRUCTION;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the choices */
    public static PretrainingObjective parse(String s) {
        for (PretrainingObjective o : values()) if (o.label().equalsIgnoreCase(s.strip())) return o;
        throw new IllegalArgumentException("unknown objective '" + s + "'; use reconstruction, contrastive or both");
    }
}
