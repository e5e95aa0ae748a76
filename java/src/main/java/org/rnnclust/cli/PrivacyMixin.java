package org.rnnclust.cli;

import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.DifferentialPrivacy;
import org.rnnclust.api.SequenceClusterer;
import picocli.CommandLine.Option;

/** Differentially private pretraining (DP-SGD) flags of {@code train}. */
final class PrivacyMixin {
    @Option(names = "--dp-max-grad-norm", paramLabel = "C",
            description = "Train the autoencoder with DP-SGD: Poisson-sampled batches, each sequence's gradient "
                    + "clipped to norm C, Gaussian noise added; the epsilon spent is reported after every epoch. "
                    + "Needs --dp-noise-multiplier or --dp-target-epsilon, and --refine none. Default: off.")
    Double maxGradNorm;

    @Option(names = "--dp-noise-multiplier", paramLabel = "SIGMA",
            description = "DP-SGD's noise: standard deviation SIGMA·C on the sum of clipped gradients. Default: "
                    + "the smallest that keeps --epochs within --dp-target-epsilon.")
    Double noiseMultiplier;

    @Option(names = "--dp-delta", paramLabel = "DELTA", defaultValue = "" + DifferentialPrivacy.DEFAULT_DELTA,
            description = "The delta at which epsilon is reported; must be below 1/n. Default: ${DEFAULT-VALUE}.")
    double delta;

    @Option(names = "--dp-target-epsilon", paramLabel = "EPS",
            description = "Stop DP-SGD before a step that would spend more than EPS. Default: no limit.")
    Double targetEpsilon;

    /** Sets DP-SGD on {@code b} when --dp-max-grad-norm is given; the other flags alone are a mistake. */
    SequenceClusterer.Builder applyTo(SequenceClusterer.Builder b) {
        if (maxGradNorm == null) {
            if (noiseMultiplier != null || targetEpsilon != null) {
                throw new InputException("differentially private training needs a per-sequence clipping norm",
                        Setting.DP_MAX_GRAD_NORM);
            }
            return b;
        }
        return b.privacy(new DifferentialPrivacy(maxGradNorm, noiseMultiplier == null ? Double.NaN : noiseMultiplier,
                delta, targetEpsilon == null ? Double.NaN : targetEpsilon));
    }
}
