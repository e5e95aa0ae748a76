package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.backend.Backend;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;
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

    @Mixin ModelInput input;

    @Option(names = "--out", required = true, paramLabel = "E.npy", description = "Output .npy file.")
    Path out;

    @Override
    public Integer call() {
        TrainedModel m = input.load();
        Dataset d = input.read();
        float[] emb;
        try (Backend backend = device.openForNetworks()) {
            emb = ModelInput.embed(backend, m, d);
        }
        Npy.write(out, new NpyArray(new int[] {d.size(), m.spec().latent()}, emb));
        spec.commandLine().getOut().println("wrote " + out + ": " + d.size() + " × " + m.spec().latent());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
