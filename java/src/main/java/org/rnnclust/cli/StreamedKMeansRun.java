package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.rnnclust.InputException;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.Device;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.StreamedKMeans;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.data.read.Format;
import org.rnnclust.data.read.NpyLayout;
import org.rnnclust.data.read.NpyRows;
import org.rnnclust.data.read.Readers;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kmeans --batch-size B} on an unlabelled .npy: mini-batch k-means read from disk
 * ({@link StreamedKMeans}), for files larger than the heap. An uncompressed file gives each batch
 * from anywhere in it, as in memory; a gzipped one is read in passes, in order. Per-series
 * preprocessing is applied to each chunk as it is read; per-channel statistics (standardize,
 * minmax) take one pass of their own first. assignments.csv grows in the output's staging folder during the last pass,
 * and the folder's files appear together when it is done, as for every command.
 */
final class StreamedKMeansRun {
    private StreamedKMeansRun() {}

    /** Whether {@code kmeans} streams: mini-batch, one unlabelled .npy, nothing else to read or score. */
    static boolean applies(DataOptions data, KMeansSettings settings) {
        Format format = data.format == Format.AUTO ? Readers.formatOf(data.data) : data.format;
        // An [N, C, T] array goes the in-memory way: the streamed one reads rows in rnnclust's layout.
        return settings.batchSize() > 0 && format == Format.NPY && data.layout == NpyLayout.NTC && data.labels == null
                && data.test == null
                && !data.merge;
    }

    static int run(CommandSpec spec, DataOptions data, PreprocessOptions prep, DeviceMixin device, ClusteringMixin clustering,
                   KMeansSettings settings, int chunkRows, Path out) {
        if (chunkRows < 0) throw new InputException("--chunk-rows must be >= 0 (0: automatic), got " + chunkRows);
        int k = clustering.clusters();
        if (k == 0) throw new InputException(data.data + ": an .npy holds no labels to count classes from; give --k");
        PrintWriter w = spec.commandLine().getOut();
        try (OutputClaim claim = Outputs.claimFolder(out, "--out")) {
            long start = System.nanoTime();
            int[] shape = Readers.npyShape(data.data);
            if (k > shape[0]) throw new InputException("--k " + k + " exceeds the " + shape[0] + " sequences of " + data.data);
            Preprocessor preprocessor = fitPreprocessing(data.data, prep, chunkRows, shape[2]);
            double inertia;
            double seconds;
            try (FileSequences sequences = new FileSequences(data.data, chunkRows, preprocessor, shape);
                 Device on = device.open(); OutputFolder output = OutputFolder.open(out)) {
                StreamedKMeans fit = StreamedKMeans.fit(on, sequences, k, settings, clustering.seed);
                double[] total = {0};
                try (OutputFolder.AssignmentRows rows = output.openAssignments(false)) {
                    sequences.pass(chunk -> {
                        Assignment a = fit.assign(chunk);
                        rows.append(a.labels());
                        total[0] += a.inertia();
                    });
                }
                inertia = total[0];
                seconds = (System.nanoTime() - start) / 1e9;
                Map<String, Object> metrics = new LinkedHashMap<>();
                metrics.put("method", "kmeans");
                metrics.put("data", data.data.toString());
                metrics.put("n", shape[0]);
                metrics.put("k", k);
                metrics.put("inertia", inertia);
                metrics.put("iterations", fit.iterations());
                metrics.put("epochs", fit.epochs());
                metrics.put("converged", fit.converged());
                metrics.put("streamed", true);
                metrics.put("batches", sequences.randomAccess() ? "shuffled file" : "chunks in order");
                metrics.put("seed_sample", fit.sampleSize());
                metrics.put("seed", clustering.seed);
                metrics.put("n_init", settings.nInit());
                metrics.put("seeding", settings.seedingName());
                metrics.put("batch_size", settings.batchSize());
                metrics.put("chunk_rows", chunkRows);
                metrics.put("seconds", seconds);
                metrics.put("provenance", Provenance.of(spec, on.description()));
                output.writeJson(OutputFolder.METRICS, metrics);
                output.commit();
            }
            w.println(Table.describe(data.data.toString(), shape[0], shape[2], shape[1], shape[1], 0)
                    + " (mini-batch k-means read in chunks)");
            Table.header(w);
            Table.row(w, "kmeans", shape[0], k, inertia, null, seconds);
            w.println("wrote " + out.resolve(OutputFolder.ASSIGNMENTS) + " and " + out.resolve(OutputFolder.METRICS));
            w.flush();
            return Main.EXIT_OK;
        }
    }

    /** The preprocessing fitted on the file: a pass of its own only when it needs dataset-wide statistics. */
    private static Preprocessor fitPreprocessing(Path file, PreprocessOptions options, int chunkRows, int channels) {
        Preprocessor.Fitting fitting = new Preprocessor.Fitting(options, channels);
        boolean needsPass = options.normalization() == Normalization.STANDARDIZE
                || options.normalization() == Normalization.MINMAX
                || options.length() == LengthPolicy.RESAMPLE && options.resampleLength() == 0;
        if (needsPass) Readers.streamNpy(file, chunkRows, new ChunkBody(fitting::add));
        return fitting.fitted();
    }

    /**
     * The file's sequences, preprocessed chunk by chunk, each pass a fresh read; an uncompressed
     * C-order .npy also gives rows from anywhere ({@link NpyRows}).
     */
    private static final class FileSequences implements StreamedKMeans.Sequences, AutoCloseable {
        private final Path file;
        private final NpyRows rows;
        private final int chunkRows;
        private final Preprocessor preprocessor;
        private final int count;
        private final int steps;
        private final int channels;

        FileSequences(Path file, int chunkRows, Preprocessor preprocessor, int[] shape) {
            this.file = file;
            this.chunkRows = chunkRows;
            this.preprocessor = preprocessor;
            this.count = shape[0];
            this.steps = preprocessor.resampleSteps() > 0 ? preprocessor.resampleSteps() : shape[1];
            this.channels = shape[2];
            this.rows = NpyRows.openIfSeekable(file);
        }

        @Override public int count() { return count; }

        @Override public int rowSize() { return steps * channels; }

        @Override
        public void pass(Consumer<PaddedSequences> chunk) {
            Readers.streamNpy(file, chunkRows,
                    new ChunkBody(raw -> chunk.accept(PaddedSequences.of(preprocessor.apply(raw), steps))));
        }

        @Override public boolean randomAccess() { return rows != null; }

        @Override
        public PaddedSequences read(int[] indices) {
            return PaddedSequences.of(preprocessor.apply(rows.read(indices)), steps);
        }

        @Override
        public void close() {
            if (rows != null) rows.close();
        }
    }

    /** Hands each chunk of a pass to {@code body}. */
    private record ChunkBody(Consumer<Dataset> body) implements Readers.Rows {
        @Override public void start(int sequences, int steps, int channels) { }

        @Override public void rows(Dataset chunk) { body.accept(chunk); }
    }
}
