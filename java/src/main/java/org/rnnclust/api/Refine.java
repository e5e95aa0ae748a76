package org.rnnclust.api;

import java.util.Locale;
import org.rnnclust.train.RefineMethod;

/** How the pretrained encoder and its starting centroids are refined together. */
public enum Refine {
    /** Not at all: the pretrained embedding and its first clustering as they are. */
    NONE(RefineMethod.NONE),
    /** DEC (Xie et al. 2016): KL(P‖Q) alone; the decoder is dropped during refinement. */
    DEC(RefineMethod.DEC),
    /** IDEC (Guo et al. 2017): reconstruction + γ·KL(P‖Q), which keeps the embedding's local structure. */
    IDEC(RefineMethod.IDEC);

    private final RefineMethod method;

    Refine(RefineMethod method) {
        this.method = method;
    }

    /** "none", "dec" or "idec", any case. */
    public static Refine parse(String name) {
        RefineMethod m = RefineMethod.parse(name);
        for (Refine r : values()) {
            if (r.method == m) return r;
        }
        throw new IllegalArgumentException("unknown refinement '" + name + "'");
    }

    /** "none", "dec" or "idec". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    RefineMethod method() {
        return method;
    }
}
