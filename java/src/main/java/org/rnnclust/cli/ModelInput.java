package org.rnnclust.cli;

import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.Trainer;

/** Applying a saved model: --model, the data, preprocessing as fitted at training time, embedding. */
final class ModelInput {
    private ModelInput() {}

    static TrainedModel load(Path modelArg) {
        return TrainedModel.load(TrainedModel.resolve(modelArg));
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
