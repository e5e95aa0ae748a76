package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.api.Device;
import org.rnnclust.api.NpyFiles;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.data.Dataset;
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
        try (OutputClaim claim = Outputs.claimFile(out, "--out")) {
            return embed();
        }
    }

    private Integer embed() {
        ClusteringModel m = input.load();
        Dataset d = input.read();
        float[] emb;
        try (Device on = device.openForNetworks()) {
            emb = m.on(on).embed(d);
        }
        NpyFiles.write(out, new int[] {d.size(), m.latent()}, emb);
        spec.commandLine().getOut().println("wrote " + out + ": " + d.size() + " × " + m.latent());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
