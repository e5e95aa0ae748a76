package org.rnnclust.train;

import java.util.Locale;

/** Joint refinement of encoder and centroids after pretraining. */
public enum RefineMethod {
    /** None: the pretrained embedding and its k-means centroids as they are. */
    NONE,
    /** DEC (Xie et al. 2016): KL(P‖Q) alone; the decoder is dropped during refinement. */
    DEC,
    /** IDEC (Guo et al. 2017): reconstruction loss + γ·KL(P‖Q), which keeps the embedding's local structure. */
    IDEC;

    public static RefineMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown refinement '" + s + "'; use dec, idec or none");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
