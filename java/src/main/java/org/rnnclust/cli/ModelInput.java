package org.rnnclust.cli;

import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.Format;
import org.rnnclust.data.read.NpyLayout;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Applying a saved model (embed, cluster): --model, --data and --labels. */
final class ModelInput {
    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "The training output folder, or the model file itself.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Sequences to apply the model to.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels of --data in a separate file (IDX, .npy).")
    Path labels;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "0",
            description = {"Sequences read, processed and written at a time (any --data format, maybe .gz, without "
                    + "--labels): memory stays bounded whatever the file's size; 0 = as many as hold 2 Mi values "
                    + "(8 MiB), at most 65,536.",
                    "Default: ${DEFAULT-VALUE}."})
    int chunkRows;

    @Mixin VerifyKeyMixin verify;

    @Option(names = "--layout", paramLabel = "ntc|nct", defaultValue = "ntc",
            description = "NPY: a 3-d array is [N, T, C] (ntc: rnnclust, Keras) or [N, C, T] (nct: aeon, sktime, DL4J). "
                    + "Default: ${DEFAULT-VALUE}.")
    NpyLayout layout;

    /** The model, read and checked (with these flags) before any device opens. */
    ClusteringModel load() {
        if (chunkRows < 0) throw new InputException("--chunk-rows must be >= 0 (0: automatic), got " + chunkRows);
        return ClusteringModel.load(model, verify.keys());
    }

    Dataset read() {
        Dataset d = Readers.read(data, ReadOptions.defaults().withLabelsFile(labels).withLayout(layout));
        DataOptions.warnIfChannelsFirst(data, layout, d);
        return d;
    }

    /** --data as results name it. */
    String dataName() {
        return data.toString();
    }

    /**
     * Whether --data is read in chunks: an .npy, IDX data or a text file (UCR, .ts, CSV, ARFF; each
     * optionally .gz) without a labels file (a text file's chunks carry its labels).
     */
    boolean streamable() {
        return labels == null && Readers.streamable(data, Format.AUTO);
    }

    /** Reads --data --chunk-rows sequences at a time ({@link Readers#streamRows}). */
    void streamRows(Readers.Rows body) {
        Readers.streamRows(data, Format.AUTO, layout, chunkRows, body);
    }
}
