package org.rnnclust.eval;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainingListener;

/** The method names evaluate accepts, and the method each one builds under a budget. */
public final class MethodNames {
    public static final List<String> AVAILABLE = List.of("kmeans", "pca-kmeans", "forest", "rnn");
    /** Named by the issue, built on another branch (DEC/IDEC refinement); refused here, not skipped. */
    public static final List<String> NOT_IN_THIS_BUILD = List.of("rnn-dec", "rnn-idec");

    private MethodNames() {}

    /** Parses a comma-separated list, in the order given, without repeats. */
    public static List<String> parse(String csv) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : csv.split(",")) {
            String name = part.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            if (NOT_IN_THIS_BUILD.contains(name)) {
                throw new InputException("--methods " + name + ": DEC/IDEC refinement is not in this build; "
                        + "available: " + String.join(",", AVAILABLE));
            }
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
        return switch (name) {
            case "kmeans" -> Methods.rawKMeans(b.nInit());
            case "pca-kmeans" -> Methods.pcaKMeans(b.pca(), b.nInit());
            case "forest" -> Methods.forest(b.forest(), b.nInit());
            case "rnn" -> Methods.rnn(
                    channels -> new AutoencoderSpec(CellType.LSTM, channels, b.rnnHidden(), 1, false, b.rnnLatent()),
                    (rows, steps) -> new TrainConfig(b.rnnEpochs(rows, steps), TrainConfig.DEFAULT_BATCH,
                            TrainConfig.DEFAULT_LR, 0, TrainConfig.DEFAULT_CLIP, b.rnnPatience(),
                            TrainConfig.DEFAULT_MIN_DELTA, 0),
                    b.rnnMaxRows(), b.nInit(), TrainingListener.NONE);
            default -> throw new InputException("unknown method " + name);
        };
    }
}
