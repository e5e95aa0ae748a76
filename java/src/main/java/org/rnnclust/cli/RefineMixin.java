package org.rnnclust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rnnclust.InputException;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.TrainConfig;
import picocli.CommandLine.Option;

/** DEC/IDEC refinement flags of {@code train} (and {@code demo}). */
final class RefineMixin {
    @Option(names = "--refine", paramLabel = "METHOD", defaultValue = "dec",
            description = "Joint refinement after pretraining: dec (KL alone), idec (reconstruction + γ·KL) or none. "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--refine-epochs", paramLabel = "E", defaultValue = "" + RefineParams.DEFAULT_EPOCHS,
            description = "Refinement epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--refine-weight", paramLabel = "GAMMA", defaultValue = "" + RefineParams.DEFAULT_KL_WEIGHT,
            description = "IDEC's γ: loss = reconstruction + γ·KL. Default: ${DEFAULT-VALUE}.")
    double weight;

    @Option(names = "--update-interval", paramLabel = "BATCHES", defaultValue = "" + RefineParams.DEFAULT_UPDATE_INTERVAL,
            description = "Batches between target-distribution updates; 0 = once per epoch. Default: ${DEFAULT-VALUE}.")
    int updateInterval;

    @Option(names = "--refine-tol", paramLabel = "FRACTION", defaultValue = "" + RefineParams.DEFAULT_TOL,
            description = "Stop refining when fewer than this fraction of labels change between target updates. "
                    + "Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--refine-lr", paramLabel = "LR", defaultValue = "" + RefineParams.DEFAULT_LR,
            description = "Adam learning rate of the refinement. Default: ${DEFAULT-VALUE}.")
    double lr;

    RefineMethod method() {
        try {
            return RefineMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new InputException("--refine: " + e.getMessage());
        }
    }

    RefineParams params(TrainConfig training) {
        try {
            return new RefineParams(method(), epochs, weight, updateInterval, tol, lr, training.batchSize(),
                    training.clipNorm(), 1.0, training.seed());
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    static ObjectNode describe(RefineParams p, ObjectNode into) {
        into.put("method", p.method().label());
        into.put("epochs", p.epochs());
        into.put("weight", p.klWeight());
        into.put("update_interval", p.updateInterval());
        into.put("tol", p.tol());
        into.put("lr", p.lr());
        into.put("alpha", p.alpha());
        return into;
    }
}
