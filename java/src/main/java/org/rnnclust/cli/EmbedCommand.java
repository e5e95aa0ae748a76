package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.NpyFiles;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.Readers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Writes the embeddings of a dataset under a trained model as an .npy [N, D]. The input (an .npy,
 * IDX data, or a UCR, .ts, CSV or ARFF text file) is read, embedded and written in chunks (memory
 * bounded whatever its size); with a separate labels file it is read whole.
 */
@Command(name = "embed", mixinStandardHelpOptions = true,
        header = "Embed sequences with a trained model into an .npy file.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust embed --model run1 --data new.npy --out new-embeddings.npy"},
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
        int rows;
        if (input.streamable()) {
            rows = embedInChunks(m);
        } else {
            Dataset d = input.read();
            float[] emb;
            try (Device on = device.openForNetworks()) {
                emb = m.on(on).embed(d);
            }
            NpyFiles.write(out, new int[] {d.size(), m.latent()}, emb);
            rows = d.size();
        }
        spec.commandLine().getOut().println("wrote " + out + ": " + rows + " × " + m.latent());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    /**
     * Reads, embeds and writes --chunk-rows sequences at a time; the output appears atomically
     * when the last chunk is written, and not at all when a chunk fails.
     */
    private int embedInChunks(ClusteringModel m) {
        int[] total = {0};
        NpyFiles.RowWriter[] writer = {null};
        try (Device on = device.openForNetworks()) {
            ClusteringModel model = m.on(on);
            try {
                input.streamRows(new Readers.Rows() {
                    @Override
                    public void start(int sequences, int steps, int channels) {
                        // A text file's count is known at its end: the header is then patched.
                        writer[0] = sequences >= 0 ? NpyFiles.openRows(out, new int[] {sequences, model.latent()})
                                : NpyFiles.openRows(out, model.latent());
                    }

                    @Override
                    public void rows(Dataset chunk) {
                        float[] emb = model.embed(chunk);
                        writer[0].append(emb, emb.length);
                        total[0] += chunk.size();
                    }
                });
                writer[0].commit();
            } finally {
                if (writer[0] != null) writer[0].close();
            }
        }
        return total[0];
    }
}
