package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.api.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A trained model's tensors as safetensors or npz, for PyTorch and NumPy ({@link ModelExport}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Write a trained model's tensors for PyTorch (safetensors, npz).",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust export --model out/cbf --out cbf.safetensors",
                "  rnnclust export --model out/cbf/model.rnnclust --format npz --out cbf.npz"},
        description = {"Write every tensor of a trained model under PyTorch's state_dict names,",
                "prefixed by the part of the network (encoder.weight_ih_l0, latent.weight,",
                "decoder..., output.bias), with the model's architecture, fitted preprocessing",
                "and clusters as JSON metadata (\"rnnclust\"). encoder.* loads into",
                "torch.nn.LSTM/GRU/RNN(batch_first=True), latent.* into torch.nn.Linear;",
                "rnn --weights FILE --prefix encoder. reads the file back."})
final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "The trained model: train's output folder or its model.rnnclust.")
    Path model;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "safetensors or npz. Default: from the --out file's extension.")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Mixin VerifyKeyMixin verify;

    @Override
    public Integer call() {
        ModelExport.Format f = ModelExport.Format.of(format, out);
        ModelExport.Written written = ModelExport.write(model, f, out, verify.keys());
        spec.commandLine().getOut().printf("%d tensors (%d values) and the model's metadata written to %s%n",
                written.tensors(), written.values(), out);
        return Main.EXIT_OK;
    }
}
