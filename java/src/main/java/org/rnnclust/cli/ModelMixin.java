package org.rnnclust.cli;

import java.util.List;
import org.rnnclust.api.Cell;
import org.rnnclust.api.Objective;
import org.rnnclust.api.SequenceClusterer;
import picocli.CommandLine.Option;

/** Architecture and training flags of {@code train} (and of {@code demo} and {@code bench}). */
final class ModelMixin {
    @Option(names = "--cell", paramLabel = "CELL", defaultValue = "lstm",
            description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}.")
    String cell;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "" + SequenceClusterer.DEFAULT_HIDDEN,
            description = "Hidden size of every recurrent layer. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "" + SequenceClusterer.DEFAULT_LAYERS,
            description = "Recurrent layers in encoder and decoder. Default: ${DEFAULT-VALUE}.")
    int layers;

    @Option(names = "--bidirectional", description = "Bidirectional encoder.")
    boolean bidirectional;

    @Option(names = "--dilations", paramLabel = "D", split = ",",
            description = "Dilation of each encoder layer, as many as --layers (e.g. 1,4,16 with --layers 3, "
                    + "DTCR's encoder): a layer of dilation d runs its cell over the d interleaved sub-sequences. "
                    + "Default: none (every layer 1).")
    List<Integer> dilations = List.of();

    @Option(names = "--latent", paramLabel = "D", defaultValue = "" + SequenceClusterer.DEFAULT_LATENT,
            description = "Embedding size. Default: ${DEFAULT-VALUE}.")
    int latent;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "" + SequenceClusterer.DEFAULT_EPOCHS,
            description = "Epochs at most. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "" + SequenceClusterer.DEFAULT_BATCH,
            description = "Sequences per step. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + SequenceClusterer.DEFAULT_LEARNING_RATE,
            description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--weight-decay", paramLabel = "W", defaultValue = "0",
            description = "L2 weight decay (torch.optim.Adam's). Default: ${DEFAULT-VALUE}.")
    double weightDecay;

    @Option(names = "--clip", paramLabel = "NORM", defaultValue = "" + SequenceClusterer.DEFAULT_CLIP_NORM,
            description = "Clip the global gradient norm to NORM; 0 = off. Default: ${DEFAULT-VALUE}.")
    double clip;

    @Option(names = "--input-dropout", paramLabel = "P", defaultValue = "0",
            description = "Denoising pretraining: zero each input value with probability P, reconstruct the "
                    + "clean input (DEC pretrains with 0.2); 0 = off. Default: ${DEFAULT-VALUE}.")
    double inputDropout;

    @Option(names = "--objective", paramLabel = "O", defaultValue = "reconstruction",
            description = {"What pretraining minimises: reconstruction; contrastive (NT-Xent between two random views "
                    + "of each series: jitter, scaling, a masked span; the decoder is not trained); both "
                    + "(the clean series reconstructed from its second view, plus NT-Xent).",
                    "Default: ${DEFAULT-VALUE}."})
    String objective;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "" + SequenceClusterer.DEFAULT_TEMPERATURE,
            description = "NT-Xent's temperature, for --objective contrastive or both. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--real-fake", paramLabel = "W", defaultValue = "0",
            description = "DTCR's auxiliary task with weight W beside the reconstruction: a linear classifier on the "
                    + "embedding tells each series from a fake with 20%% of its steps shuffled; 0 = off. "
                    + "Default: ${DEFAULT-VALUE}.")
    double realFake;

    @Option(names = "--patience", paramLabel = "P", defaultValue = "" + SequenceClusterer.DEFAULT_PATIENCE,
            description = "Stop after P epochs without a 0.1%% loss improvement; 0 = never. Default: ${DEFAULT-VALUE}.")
    int patience;

    /** Sets these flags' settings on {@code b}. */
    SequenceClusterer.Builder applyTo(SequenceClusterer.Builder b) {
        return b.cell(Flags.parse("--cell", cell, Cell::parse)).hidden(hidden).layers(layers)
                .bidirectional(bidirectional).dilations(dilations).latent(latent).epochs(epochs).batchSize(batch).learningRate(lr)
                .weightDecay(weightDecay).clipNorm(clip).inputDropout(inputDropout)
                .objective(Flags.parse("--objective", objective, Objective::parse)).temperature(temperature)
                .realFakeTask(realFake)
                .patience(patience);
    }
}
