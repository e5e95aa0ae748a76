package org.rnnclust.cli;

import org.rnnclust.api.Refine;
import org.rnnclust.api.SequenceClusterer;
import picocli.CommandLine.Option;

/** DEC/IDEC refinement flags of {@code train} (and {@code demo}). */
final class RefineMixin {
    @Option(names = "--refine", paramLabel = "METHOD", defaultValue = "dec",
            description = "Joint refinement after pretraining: dec (KL alone), idec (reconstruction + γ·KL) or none. "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--refine-epochs", paramLabel = "E", defaultValue = "" + SequenceClusterer.DEFAULT_REFINE_EPOCHS,
            description = "Refinement epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--refine-weight", paramLabel = "GAMMA", defaultValue = "" + SequenceClusterer.DEFAULT_REFINE_WEIGHT,
            description = "IDEC's γ: loss = reconstruction + γ·KL. Default: ${DEFAULT-VALUE}.")
    double weight;

    @Option(names = "--update-interval", paramLabel = "BATCHES",
            defaultValue = "" + SequenceClusterer.DEFAULT_UPDATE_INTERVAL,
            description = "Batches between target-distribution updates; 0 = once per epoch. Default: ${DEFAULT-VALUE}.")
    int updateInterval;

    @Option(names = "--refine-tol", paramLabel = "FRACTION", defaultValue = "" + SequenceClusterer.DEFAULT_REFINE_TOL,
            description = "Stop refining when fewer than this fraction of labels change between target updates. "
                    + "Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--refine-lr", paramLabel = "LR", defaultValue = "" + SequenceClusterer.DEFAULT_REFINE_LEARNING_RATE,
            description = "Adam learning rate of the refinement. Default: ${DEFAULT-VALUE}.")
    double lr;

    /** Sets these flags' settings on {@code b}. */
    SequenceClusterer.Builder applyTo(SequenceClusterer.Builder b) {
        return b.refine(Flags.parse("--refine", method, Refine::parse)).refineEpochs(epochs).refineWeight(weight)
                .updateInterval(updateInterval).refineTolerance(tol).refineLearningRate(lr);
    }
}
