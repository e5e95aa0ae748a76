package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.api.NpyFiles;
import org.rnnclust.api.UcrFiles;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.GeneratorSpec;
import org.rnnclust.data.gen.Generators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Writes a generated data set (the generators of {@link Generators}) to a file the readers take. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        header = "Write generated labelled series (CBF, Synthetic Control).",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust generate cbf --n 300 --seed 1 --out cbf_TRAIN.tsv",
                "  rnnclust generate synthetic-control --length 60 --seed 2 --out sc_TEST.tsv.gz",
                "  rnnclust generate cbf --n 30000 --out cbf.npy --labels-out cbf-labels.npy"},
        description = {"Write labelled synthetic series, to try rnnclust without downloading data:",
                "  cbf                Cylinder-Bell-Funnel (Saito 1994): 3 classes, 128 steps",
                "  synthetic-control  Synthetic Control Chart (Alcock and Manolopoulos 1999):",
                "                     6 classes, 60 steps",
                "The classes are equally frequent. --out chooses the format: .tsv or .txt",
                "(UCR: the class number 1..k, then the values; .gz compresses), or .npy",
                "(float32 [N, T]; the labels to --labels-out). Two seeds give two independent",
                "sets, such as TRAIN and TEST."})
final class GenerateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "GENERATOR", description = "cbf or synthetic-control.")
    String generator;

    @Option(names = "--n", paramLabel = "N",
            description = "Series in all, a multiple of the classes. Default: 100 per class.")
    Integer n;

    @Option(names = "--length", paramLabel = "T",
            description = "Steps per series. Default: 128 for cbf, 60 for synthetic-control.")
    Integer length;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of the generator: the same seed gives the same file. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "The file to write: .tsv, .txt, .tsv.gz, .txt.gz (UCR) or .npy.")
    Path out;

    @Option(names = "--labels-out", paramLabel = "FILE",
            description = "With an .npy --out: the class numbers 1..k as a float32 .npy of N values.")
    Path labelsOut;

    @Override
    public Integer call() {
        StringJoiner params = new StringJoiner(",", generator + ":", "");
        if (n != null) params.add("n=" + n);
        if (length != null) params.add("length=" + length);
        params.add("seed=" + seed);
        GeneratorSpec generated = Generators.byName(params.toString());
        Dataset data = generated.generate(seed);

        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean npy = name.endsWith(".npy");
        if (!npy && !name.matches(".*\\.(tsv|txt)(\\.gz)?")) {
            throw new InputException("--out " + out + ": expected a .tsv, .txt, .tsv.gz, .txt.gz or .npy file name");
        }
        if (labelsOut != null && !npy) {
            throw new InputException("--labels-out is for an .npy --out; a UCR file holds its labels");
        }
        if (labelsOut != null && !labelsOut.getFileName().toString().endsWith(".npy")) {
            throw new InputException("--labels-out " + labelsOut + ": expected an .npy file name");
        }
        int steps = generated.length();
        if (npy) {
            float[] values = new float[data.size() * steps];
            for (int i = 0; i < data.size(); i++) System.arraycopy(data.series(i), 0, values, i * steps, steps);
            NpyFiles.write(out, new int[] {data.size(), steps}, values);
            if (labelsOut != null) {
                float[] classes = new float[data.size()];
                for (int i = 0; i < classes.length; i++) classes[i] = data.labels()[i] + 1;
                NpyFiles.write(labelsOut, new int[] {classes.length}, classes);
            }
        } else {
            UcrFiles.write(out, data);
        }
        StringJoiner legend = new StringJoiner(", ");
        for (int c = 0; c < data.numClasses(); c++) legend.add((c + 1) + " " + data.labelNames().get(c));
        spec.commandLine().getOut().printf("%s: %d series of %d steps, %d classes (%s) in %s%s%n", generated.name(),
                data.size(), steps, data.numClasses(), legend, out, labelsOut == null ? "" : ", labels in " + labelsOut);
        return Main.EXIT_OK;
    }
}
