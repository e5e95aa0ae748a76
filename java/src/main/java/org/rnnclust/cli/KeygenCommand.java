package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.api.ModelKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Makes the Ed25519 key pair that train signs models with and the other commands verify them by. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        header = "Make an Ed25519 key pair to sign and verify model files.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust keygen --out keys"},
        description = {"Make an Ed25519 key pair to sign and verify model files.",
                "Writes DIR/private.pem (readable by its owner only; keep it secret) and DIR/public.pem (give it to "
                        + "whoever loads the models). An existing key is never overwritten.",
                "Then: train --sign-key DIR/private.pem signs the model and its checkpoints; cluster, embed, export "
                        + "and train --resume with --verify-key DIR/public.pem refuse any model not signed by it."})
final class KeygenCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the two key files.")
    Path out;

    @Override
    public Integer call() {
        ModelKeys.generate(out);
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out.resolve("private.pem") + " (keep it secret: it signs models) and "
                + out.resolve("public.pem") + " (it verifies them)");
        w.flush();
        return Main.EXIT_OK;
    }
}
