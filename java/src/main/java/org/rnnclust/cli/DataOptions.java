package org.rnnclust.cli;

import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.Format;
import org.rnnclust.data.read.NpyLayout;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** The input files of a command: --data, --test and how to read them. */
final class DataOptions {
    private static final Logger LOG = LoggerFactory.getLogger(DataOptions.class);

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Training sequences (UCR .tsv/.txt, .ts, IDX, .csv, .npy; each may be .gz).")
    Path data;

    @Option(names = "--test", paramLabel = "FILE",
            description = "Test sequences: fit on --data, then assign and score these.")
    Path test;

    @Option(names = "--merge", description = "Concatenate --data and --test and fit and score on all of it.")
    boolean merge;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "auto",
            description = "auto (from the file name), ucr, ts, arff, idx, csv, npy. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Labels of --data in a separate file (IDX labels, .npy).")
    Path labels;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "Labels of --test in a separate file.")
    Path testLabels;

    @Option(names = "--label-column", paramLabel = "COL",
            description = "CSV: the label column, by header name or 0-based index (-1 = last).")
    String labelColumn;

    @Option(names = "--header", negatable = true,
            description = "CSV: the first row is (not) a header. Default: detected.")
    Boolean header;

    @Option(names = "--layout", paramLabel = "ntc|nct", defaultValue = "ntc",
            description = "NPY: a 3-d array is [N, T, C] (ntc: rnnclust, Keras) or [N, C, T] (nct: aeon, sktime, DL4J). "
                    + "Default: ${DEFAULT-VALUE}.")
    NpyLayout layout;

    /** The training data, or TRAIN+TEST when --merge. */
    Dataset train() {
        requireConsistentLabels();
        Dataset d = Readers.read(data, options(labels));
        warnIfChannelsFirst(data, layout, d);
        if (merge) {
            requireTest();
            Dataset t = Readers.read(test, options(testLabels));
            return Dataset.concat(data.getFileName() + "+" + test.getFileName(), d, t);
        }
        return d;
    }

    /**
     * {@link #train}, or a seeded uniform sample of {@code sample} of its sequences when {@code
     * sample} > 0 (an .npy streamed, so that it may be larger than the heap).
     */
    Dataset train(int sample, long seed) {
        if (sample == 0) return train();
        if (sample < 0) throw new InputException("--sample must be >= 0 (0: every sequence), got " + sample);
        if (merge) throw new InputException("--sample draws from --data alone; drop --merge or --sample");
        requireConsistentLabels();
        return Readers.sample(data, options(labels), sample, seed);
    }

    /**
     * An .npy read as [N, T, C] with more channels than steps is most likely an [N, C, T] array
     * (aeon, sktime and DL4J write that layout): say so once, and how to read it.
     */
    static void warnIfChannelsFirst(Path file, NpyLayout layout, Dataset d) {
        if (layout == NpyLayout.NTC && d.channels() > 1 && d.channels() > d.maxLength()
                && Readers.formatOf(file) == Format.NPY) {
            LOG.warn("{}: read as {} sequences of {} steps by {} channels; if it is an [N, C, T] array (aeon, sktime, "
                    + "DL4J), add --layout nct", file, d.size(), d.maxLength(), d.channels());
        }
    }

    /** The data to assign and score separately, or null (no --test, or --merge). */
    Dataset testSet() {
        if (test == null || merge) return null;
        return Readers.read(test, options(testLabels));
    }

    private void requireTest() {
        if (test == null) throw new InputException("--merge needs --test");
    }

    /** Labels files that would be ignored, or that would label only part of merged data, are refused. */
    private void requireConsistentLabels() {
        if (testLabels != null && test == null) {
            throw new InputException("--test-labels " + testLabels + " labels the --test file, and there is none");
        }
        if (merge && (labels != null) != (testLabels != null)) {
            throw new InputException("--merge with " + (labels != null ? "--labels" : "--test-labels")
                    + " needs " + (labels != null ? "--test-labels" : "--labels")
                    + " too: the merged data must be labelled throughout or not at all");
        }
    }

    private ReadOptions options(Path labelsFile) {
        return new ReadOptions(format, labelsFile, labelColumn, header, layout);
    }
}
