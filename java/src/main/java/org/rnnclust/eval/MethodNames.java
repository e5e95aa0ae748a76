package org.rnnclust.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainingListener;

/** The method names evaluate accepts, and the method each one builds under a budget. */
public final class MethodNames {
    public static final List<String> AVAILABLE = List.of("kmeans", "pca-kmeans", "forest", "rnn", "rnn-dec", "rnn-idec");

    private MethodNames() {}

    /** Parses a comma-separated list, in the order given, without repeats. */
    public static List<String> parse(String csv) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            if (!AVAILABLE.contains(name)) {
                throw new InputException("--methods: unknown method '" + part.strip() + "'; available: "
                        + String.join(",", AVAILABLE));
            }
            names.add(name);
        }
        if (names.isEmpty()) throw new InputException("--methods: no method named");
        return new ArrayList<>(names);
    }

    /** The method called {@code name} (one of AVAILABLE), with the budget's settings. */
    public static ClusteringMethod build(String name, EvaluationBudget b) {
        return build(name, b, null);
    }

    /**
     * The same, with the recurrent methods sharing pretrained autoencoders through {@code cache}
     * (null: each trains its own).
     */
    public static ClusteringMethod build(String name, EvaluationBudget b, Pretrained.Cache cache) {
        return switch (name) {
            case "kmeans" -> Methods.rawKMeans(b.nInit());
            case "pca-kmeans" -> Methods.pcaKMeans(b.pca(), b.nInit());
            case "forest" -> Methods.forest(b.forest(), b.nInit());
            case "rnn" -> Methods.onResampled(Methods.rnn(rnnSpec(b), rnnConfig(b), b.rnnMaxRows(), b.nInit(),
                    b.rnnSpectral(), TrainingListener.NONE, cache), b.rnnMaxSteps());
            // Refinement gets at most the pretraining's epoch budget, and at most its own default limit.
            case "rnn-dec", "rnn-idec" -> Methods.onResampled(Methods.rnnRefined(name.equals("rnn-dec") ? RefineMethod.DEC : RefineMethod.IDEC,
                    rnnSpec(b), rnnConfig(b),
                    (rows, steps) -> Math.min(RefineParams.DEFAULT_EPOCHS, b.rnnEpochs(rows, steps)),
                    b.rnnMaxRows(), b.nInit(), b.rnnSpectral(), TrainingListener.NONE, cache), b.rnnMaxSteps());
            default -> throw new InputException("unknown method " + name);
        };
    }

    private static java.util.function.IntFunction<AutoencoderSpec> rnnSpec(EvaluationBudget b) {
        return channels -> new AutoencoderSpec(CellType.LSTM, channels, b.rnnHidden(), 1, false, b.rnnLatent());
    }

    private static java.util.function.BiFunction<Integer, Integer, TrainConfig> rnnConfig(EvaluationBudget b) {
        return (rows, steps) -> new TrainConfig(b.rnnEpochs(rows, steps), TrainConfig.DEFAULT_BATCH,
                TrainConfig.DEFAULT_LR, 0, TrainConfig.DEFAULT_CLIP, b.rnnPatience(), TrainConfig.DEFAULT_MIN_DELTA, 0);
    }
}
