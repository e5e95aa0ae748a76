package org.rnnclust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rnnclust.InputException;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.train.TrainConfig;
import picocli.CommandLine.Option;

/** Architecture and training flags of {@code train} (and of {@code demo}). */
final class ModelMixin {
    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "lstm",
            description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "32",
            description = "Hidden size of every recurrent layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "1",
            description = "Recurrent layers in encoder and decoder. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--bidirectional", description = "Bidirectional encoder.")
    boolean bidirectional;

    @Option(names = "--latent", paramLabel = "D", defaultValue = "8",
            description = "Embedding size. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + TrainConfig.DEFAULT_EPOCHS,
            description = "Epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + TrainConfig.DEFAULT_BATCH,
            description = "Sequences per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + TrainConfig.DEFAULT_LR,
            description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "L2 weight decay (torch.optim.Adam's). Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "" + TrainConfig.DEFAULT_CLIP,
            description = "Clip the global gradient norm to NORM; 0 = off. Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--input-dropout", paramLabel = "P", defaultValue = "0",
            description = "Denoising pretraining: zero each input value with probability P, reconstruct the "
                    + "clean input (DEC pretrains with 0.2); 0 = off. Default: ${DEFAULT-VALUE}.")
    double inputDropout;

    @Option(names = "--patience", paramLabel = "P", defaultValue = "" + TrainConfig.DEFAULT_PATIENCE,
            description = "Stop after P epochs without a 0.1%% loss improvement; 0 = never. Default: ${DEFAULT-VALUE}.")
    int patience;

    AutoencoderSpec spec(int channels) {
        try {
            return new AutoencoderSpec(CellType.parse(cell), channels, hidden, layers, bidirectional, latent);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    TrainConfig config(long seed) {
        try {
            return new TrainConfig(epochs, batch, lr, weightDecay, clip, patience, TrainConfig.DEFAULT_MIN_DELTA, seed,
                    inputDropout);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }

    /** What a resumed run must repeat exactly (saved in every checkpoint). */
    static ObjectNode describe(AutoencoderSpec spec, TrainConfig c, ObjectNode into) {
        into.put("cell", spec.cell().name().toLowerCase(java.util.Locale.ROOT));
        into.put("channels", spec.channels());
        into.put("hidden", spec.hidden());
        into.put("layers", spec.layers());
        into.put("bidirectional", spec.bidirectional());
        into.put("latent", spec.latent());
        into.put("epochs", c.epochs());
        into.put("batch", c.batchSize());
        into.put("lr", c.lr());
        into.put("weight_decay", c.weightDecay());
        into.put("clip", c.clipNorm());
        into.put("patience", c.patience());
        into.put("min_delta", c.minDelta());
        into.put("seed", c.seed());
        into.put("input_dropout", c.inputDropout());
        return into;
    }
}
