package org.rnnclust.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.Cell;
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.DtwKMeansSettings;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.KShapeSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.Objective;
import org.rnnclust.api.Pretraining;
import org.rnnclust.api.Refine;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.data.PaddedSequences;

/** The method names evaluate accepts, and the method each one builds under a budget. */
public final class MethodNames {
    public static final List<String> AVAILABLE = List.of("kmeans", "pca-kmeans", "forest", "kshape", "dtw-kmeans", "rnn",
            "rnn-ae", "rnn-ae-dec", "rnn-ae-idec", "rnn-ae-bi", "rnn-ae-dilated", "rnn-ae-realfake",
            "rnn-ae-contrastive", "rnn-contrastive", "rnn-tae");

    /** {@code rnn-ae-dilated}'s encoder: DTCR's three layers of dilations 1, 4 and 16. */
    static final List<Integer> DILATIONS = List.of(1, 4, 16);
    /**
     * {@code rnn-ae-dilated} sees the series resampled to at most this many steps, twice the other
     * autoencoders' 32: its top layer then still runs over sub-sequences of 4 steps.
     */
    static final int DILATED_MAX_STEPS = 64;

    /**
     * What evaluate runs unless told otherwise: the baselines and the default recurrent method. The
     * autoencoder methods are left out: on the 41 sets of docs/results.md they would nearly double
     * the suite's time.
     */
    public static final String DEFAULTS = "kmeans,pca-kmeans,forest,kshape,dtw-kmeans,rnn";

    private MethodNames() {}

    /** Parses a comma-separated list, in the order given, without repeats. */
    public static List<String> parse(String csv) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            if (!AVAILABLE.contains(name)) {
                throw new InputException("unknown method '" + part.strip() + "'; available: " + String.join(",", AVAILABLE),
                        Setting.METHODS);
            }
            names.add(name);
        }
        if (names.isEmpty()) throw new InputException("no method named", Setting.METHODS);
        return new ArrayList<>(names);
    }

    /** The method called {@code name} (one of AVAILABLE), with the budget's settings. */
    public static ClusteringMethod build(String name, EvaluationBudget b) {
        return build(name, b, null);
    }

    /**
     * The same, with the recurrent methods sharing pretrained autoencoders through {@code pretrained}
     * (by seed; null: each trains its own).
     */
    public static ClusteringMethod build(String name, EvaluationBudget b, Map<Long, Pretraining> pretrained) {
        return build(name, b, pretrained, 0);
    }

    /** Whether {@code name} is one of the recurrent methods, the ones with initial weights. */
    public static boolean isRecurrent(String name) {
        return name.startsWith("rnn");
    }

    /**
     * The same, the recurrent methods with every initial weight moved up by
     * {@code initialWeightPerturbationUlps} ulps (the sensitivity probe; 0: none).
     *
     * @throws IllegalArgumentException when a perturbation is asked of a method without initial weights
     */
    public static ClusteringMethod build(String name, EvaluationBudget b, Map<Long, Pretraining> pretrained,
                                         int initialWeightPerturbationUlps) {
        if (initialWeightPerturbationUlps != 0 && !isRecurrent(name)) {
            throw new IllegalArgumentException(name + " has no initial weights to perturb");
        }
        int ulps = initialWeightPerturbationUlps;
        KMeansSettings kmeans = KMeansSettings.withRestarts(b.nInit());
        return switch (name) {
            case "kmeans" -> Methods.rawKMeans(kmeans);
            case "pca-kmeans" -> Methods.pcaKMeans(b.pca(), kmeans);
            case "forest" -> Methods.forest(b.forest(), kmeans);
            case "kshape" -> Methods.kShape(KShapeSettings.defaults());
            case "dtw-kmeans" -> Methods.dtwKMeans(DtwKMeansSettings.defaults());
            // The default recurrent representation: fixed random recurrent networks (echo state
            // networks), the model space of their states, the consensus of their clusterings.
            case "rnn" -> Methods.reservoir(b.reservoir(), kmeans, ulps);
            case "rnn-ae" -> autoencoder(name, b, Refine.NONE, pretrained, ulps, false);
            case "rnn-ae-dec" -> autoencoder(name, b, Refine.DEC, pretrained, ulps, false);
            case "rnn-ae-idec" -> autoencoder(name, b, Refine.IDEC, pretrained, ulps, false);
            // Another network: it trains its own, never the one rnn-ae, rnn-ae-dec and rnn-ae-idec share.
            case "rnn-ae-bi" -> autoencoder(name, b, Refine.NONE, null, ulps, true);
            case "rnn-ae-dilated" -> autoencoder(name, b, Refine.NONE, null, ulps, false, DILATIONS, DILATED_MAX_STEPS,
                    Objective.RECONSTRUCTION);
            // rnn-ae-dilated with DTCR's auxiliary task (weight 1, as DTCR's classification loss);
            // DTCR's k-means loss is not part of it.
            case "rnn-ae-realfake" -> {
                Function<PaddedSequences, SequenceClusterer> dilated =
                        autoencoderSettings(b, Refine.NONE, ulps, false, DILATIONS, Objective.RECONSTRUCTION);
                yield Methods.onResampled(Methods.recurrent(name,
                        train -> dilated.apply(train).toBuilder().realFakeTask(1).build(), null), DILATED_MAX_STEPS);
            }
            // rnn-ae's network and budget, pretrained on NT-Xent between augmented views, beside the
            // reconstruction or alone; each trains its own.
            case "rnn-ae-contrastive" -> autoencoder(name, b, Refine.NONE, null, ulps, false, List.of(1), b.rnnMaxSteps(),
                    Objective.BOTH);
            case "rnn-contrastive" -> autoencoder(name, b, Refine.NONE, null, ulps, false, List.of(1), b.rnnMaxSteps(),
                    Objective.CONTRASTIVE);
            // Lafabregue et al.'s biLSTM-AE + k-means, reproduced: their network, pretraining and length.
            case "rnn-tae" -> Methods.temporalAutoencoder(b.temporalAutoencoder(), kmeans, ulps);
            default -> throw new InputException("unknown method " + name, Setting.METHODS);
        };
    }

    /**
     * The budget's LSTM autoencoder on the series resampled to at most {@code rnnMaxSteps} steps:
     * its epochs follow the training set's size, and refinement gets at most the pretraining's
     * epoch budget and at most its own default limit.
     */
    private static ClusteringMethod autoencoder(String name, EvaluationBudget b, Refine refine,
                                              Map<Long, Pretraining> pretrained, int perturbationUlps,
                                              boolean bidirectional) {
        return autoencoder(name, b, refine, pretrained, perturbationUlps, bidirectional, List.of(1), b.rnnMaxSteps(),
                Objective.RECONSTRUCTION);
    }

    /**
     * The same with an encoder of {@code dilations.size()} layers of those dilations, on at most
     * {@code maxSteps} steps, pretrained on {@code objective}.
     */
    private static ClusteringMethod autoencoder(String name, EvaluationBudget b, Refine refine,
                                              Map<Long, Pretraining> pretrained, int perturbationUlps,
                                              boolean bidirectional, List<Integer> dilations, int maxSteps,
                                              Objective objective) {
        return Methods.onResampled(Methods.recurrent(name,
                autoencoderSettings(b, refine, perturbationUlps, bidirectional, dilations, objective), pretrained), maxSteps);
    }

    /** The budget's autoencoder settings for a training set (its epochs follow the set's size). */
    private static Function<PaddedSequences, SequenceClusterer> autoencoderSettings(EvaluationBudget b, Refine refine,
            int perturbationUlps, boolean bidirectional, List<Integer> dilations, Objective objective) {
        return train -> {
            int epochs = b.rnnEpochs(train.n(), train.maxLength());
            return SequenceClusterer.builder().cell(Cell.LSTM).hidden(b.rnnHidden()).layers(dilations.size())
                    .dilations(dilations).bidirectional(bidirectional).objective(objective)
                    .latent(b.rnnLatent())
                    .epochs(epochs).patience(b.rnnPatience()).kmeans(KMeansSettings.withRestarts(b.nInit()))
                    .clusterInit(b.rnnClusterInit()).members(b.rnnMembers()).refine(refine)
                    .refineEpochs(Math.min(SequenceClusterer.DEFAULT_REFINE_EPOCHS, epochs))
                    .maxTrainingRows(b.rnnMaxRows())
                    .initialWeightPerturbationUlps(perturbationUlps).build();
        };
    }
}
