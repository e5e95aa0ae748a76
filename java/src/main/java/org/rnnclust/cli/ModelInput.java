package org.rnnclust.cli;

import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import picocli.CommandLine.Option;
import org.rnnclust.backend.Backend;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.Trainer;

/**
 * Applying a saved model (embed, cluster): --model, --data, --labels, the preprocessing fitted at
 * training time, and the embedding.
 */
final class ModelInput {
    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "The training output folder, or the model file itself.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Sequences to apply the model to.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels of --data in a separate file (IDX, .npy).")
    Path labels;

    TrainedModel load() {
        return TrainedModel.load(TrainedModel.resolve(model));
    }

    Dataset read() {
        return Readers.read(data, ReadOptions.defaults().withLabelsFile(labels));
    }

    /** The embeddings [N, D] of {@code data} under {@code model}. */
    static float[] embed(Backend backend, TrainedModel model, Dataset data) {
        if (data.channels() != model.spec().channels()) {
            throw new InputException(data.name() + ": has " + data.channels() + " channels, the model was trained on "
                    + model.spec().channels());
        }
        PaddedSequences padded = PaddedSequences.of(model.preprocessor().apply(data));
        try (SequenceAutoencoder net = model.instantiate(backend.tensorOps())) {
            return Trainer.embed(backend.tensorOps(), net, padded, 256);
        }
    }
}
