package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.api.Cell;
import org.rnnclust.api.Device;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.TorchRecurrent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a recurrent stack given PyTorch state_dict tensors: the interoperability check users run when
 * they move a model between PyTorch and rnnclust. Sizes and layer count come from the weights.
 */
@Command(name = "rnn", mixinStandardHelpOptions = true,
        header = "Run a PyTorch LSTM/GRU/RNN from its state_dict on a .npy.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust rnn --cell lstm --weights state.npz --input x.npy --output y.npy"},
        description = {"Run an nn.LSTM/GRU/RNN(batch_first=True) from its state_dict (numpy.savez) on X (N,T,C);",
                "writes the output sequence (N,T,H·directions)."})
final class RnnCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--cell", required = true, paramLabel = "CELL", description = "lstm, gru or rnn.")
    String cell;

    @Option(names = "--weights", required = true, paramLabel = "W.npz|W.safetensors",
            description = "state_dict tensors: an .npz (numpy.savez) or a .safetensors file (also rnnclust export's).")
    Path weights;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
            description = "Read the tensors whose names start with P, without it: encoder. for an exported "
                    + "rnnclust autoencoder. Default: none.")
    String prefix;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input, shape (N,T,C).")
    Path input;

    @Option(names = "--lengths", paramLabel = "L.npy",
            description = "Valid steps of each sequence, shape (N,) (as pack_padded_sequence); default all T.")
    Path lengths;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Output file.")
    Path output;

    @Option(names = "--bidirectional", description = "Expect _reverse weights (inferred from the file anyway).")
    boolean bidirectional;

    @Override
    public Integer call() {
        Cell type = Flags.parse("--cell", cell, Cell::parse);
        TorchRecurrent.Run run;
        try (OutputClaim claim = Outputs.claimFile(output, "--output"); Device on = device.openForNetworks()) {
            run = TorchRecurrent.run(on, type, weights, prefix, input, lengths, output, bidirectional);
        }
        spec.commandLine().getOut().printf("wrote %s: %d × %d × %d (%s, %d layer(s)%s)%n", output, run.n(), run.t(),
                run.outputSize(), cell, run.layers(), run.bidirectional() ? ", bidirectional" : "");
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
