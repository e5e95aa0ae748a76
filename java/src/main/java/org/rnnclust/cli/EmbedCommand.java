package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.backend.Backend;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.io.Npy;
import org.rnnclust.io.NpyArray;
import org.rnnclust.train.TrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes the embeddings of a dataset under a trained model as an .npy [N, D]. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed sequences with a trained model; writes an .npy of shape [N, latent].")
final class EmbedCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "The training output folder, or the model file itself.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Sequences to embed.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels in a separate file (IDX, .npy); unused here but allowed.")
    Path labels;

    @Option(names = "--out", required = true, paramLabel = "E.npy", description = "Output .npy file.")
    Path out;

    @Override
    public Integer call() {
        TrainedModel m = ModelInput.load(model);
        Dataset d = Readers.read(data, ReadOptions.defaults().withLabelsFile(labels));
        float[] emb;
        try (Backend backend = device.open()) {
            emb = ModelInput.embed(backend, m, d);
        }
        Npy.write(out, new NpyArray(new int[] {d.size(), m.spec().latent()}, emb));
        spec.commandLine().getOut().println("wrote " + out + ": " + d.size() + " × " + m.spec().latent());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
