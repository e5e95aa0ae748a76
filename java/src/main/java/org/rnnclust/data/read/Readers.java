package org.rnnclust.data.read;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.RowSample;
import org.rnnclust.data.npy.NpyFormat;
import org.rnnclust.data.npy.NpyInput;

/**
 * Reads a dataset file of any supported format, gzip-compressed or not.
 *
 * <p>With {@link Format#AUTO} the format comes from the file name, after stripping a trailing
 * {@code .gz}: {@code .tsv} and {@code .txt} are UCR, {@code .csv} is plain CSV, {@code .ts} is
 * sktime/UEA, {@code .arff} is Weka ARFF, {@code .npy} is NumPy, and {@code *idx<N>-ubyte} or {@code .idx} is IDX. A UCR file
 * with commas saved as {@code .csv} therefore needs {@code --format ucr}. Compression is detected
 * from the gzip magic bytes, not from the name; a concatenation of gzip members is read whole,
 * and anything else after the last member is refused. Pipes and named pipes are read like files
 * (the format then comes from the name given, or is named explicitly).
 *
 * <p>What one read may take of the heap is bounded ({@link ReadLimits}), so a small file that
 * expands to gigabytes is refused with one line before it is read to the end. Every format can
 * also be read in chunks that hold a bounded part of it ({@link #streamRows}), and a seeded sample
 * of an .npy or a text file is drawn in one pass ({@link #sample}).
 *
 * <p>Every failure to read (missing file, permission, corrupt or truncated gzip, malformed content)
 * surfaces as an {@link InputException} with one line naming the file as given.
 */
public final class Readers {
    private static final Pattern IDX_NAME = Pattern.compile(".*idx[0-9]+-ubyte");
    private static final String ACCEPTED =
            ".tsv/.txt (UCR), .csv, .ts, .arff, .npy, *-idx<N>-ubyte or .idx (IDX), each optionally .gz";

    private Readers() {}

    /** Reads one file; {@code options} may be null for the defaults. */
    public static Dataset read(Path file, ReadOptions options) {
        return read(file, options, ReadLimits.ofThisJvm());
    }

    /** Reads one file within {@code limits} (tests pass small ones). */
    static Dataset read(Path file, ReadOptions options, ReadLimits limits) {
        ReadOptions opts = options == null ? ReadOptions.defaults() : options;
        Format format = opts.format() == null || opts.format() == Format.AUTO ? formatOf(file) : opts.format();
        checkOptions(file, format, opts);
        DatasetReader reader = switch (format) {
            case UCR, TS, CSV, ARFF -> textReader(format);
            case IDX -> new IdxReader();
            case NPY -> new NpyReader();
            case AUTO -> throw new IllegalStateException("AUTO resolved above");
        };
        return withStream(file, limits, input -> reader.read(input, opts));
    }

    /**
     * TRAIN followed by TEST as one dataset (see {@link Dataset#concat}). A separate labels file
     * cannot serve both, so {@code options.labelsFile()} must be null here.
     */
    public static Dataset readMerged(Path train, Path test, ReadOptions options) {
        if (options != null && options.labelsFile() != null) {
            throw new InputException(options.labelsFile() + ": one labels file cannot label both "
                    + train + " and " + test + "; read them separately");
        }
        Dataset a = read(train, options);
        Dataset b = read(test, options);
        return Dataset.concat(train + " + " + test, a, b);
    }

    /** What {@link #streamNpy} and {@link #streamRows} hand their caller. */
    public interface Rows {
        /**
         * Once, before any rows: sequences × steps × channels; −1 for what a text file tells only at
         * its end (its sequences) or not at all (the steps of variable-length series).
         */
        void start(int sequences, int steps, int channels) throws IOException;

        /**
         * The next rows of the file, in order: unlabelled, except a labelled text file's, whose
         * labels are numbered across the chunks ({@link #streamRows}).
         */
        void rows(Dataset chunk) throws IOException;
    }

    /**
     * Reads an {@code .npy} (or {@code .npy.gz}) of shape (N, T) or (N, T, C) in chunks of at most
     * {@code chunkRows} sequences (0: as many as hold {@value #AUTO_CHUNK_VALUES} values, at most
     * {@value #AUTO_CHUNK_MAX_ROWS}), so that the heap holds one chunk whatever the file's size:
     * {@code body} gets the shape, then the chunks in order. The file is read once, front to back
     * (a pipe too). A Fortran-order array, whose rows are not contiguous, is read whole and then
     * handed over in chunks.
     *
     * @throws InputException naming the file for anything malformed, or a chunk the heap cannot hold
     */
    public static void streamNpy(Path file, int chunkRows, Rows body) {
        streamNpy(file, NpyLayout.NTC, chunkRows, body);
    }

    /** {@link #streamNpy(Path, int, Rows)} of an array in {@code layout}; the chunks are rnnclust's (N, T, C). */
    public static void streamNpy(Path file, NpyLayout layout, int chunkRows, Rows body) {
        if (chunkRows < 0) throw new IllegalArgumentException("chunk rows must be >= 0, got " + chunkRows);
        withStream(file, ReadLimits.ofThisJvm(), input -> {
            String source = input.name();
            NpyInput npy = NpyInput.open(input.in(), source, input.size());
            int[] shape = NpyReader.sequenceShape(npy, source);
            int[] ntc = layout.sequencesStepsChannels(shape);
            int n = ntc[0];
            int channels = ntc[2];
            int steps = ntc[1];
            int rowSize = steps * channels;
            int rows = Math.min(chunkRows > 0 ? chunkRows : autoChunkRows(rowSize), n);
            // A Fortran-order array's rows are not contiguous in the file: it is read whole (as a
            // whole-file read would), then handed over in chunks alike.
            float[] whole = null;
            if (npy.fortranOrder()) {
                input.budget().declared(n, rowSize, 2, "array of shape " + NpyFormat.shapeText(shape));
                whole = npy.readFloat32(NpyInput.InexactIntegers.ROUND).data();
            } else {
                // The chunk's values, decoded and then split into sequences: twice its floats at the peak.
                HeapBudget.requireArray(2L * rows * rowSize, 4, source + ": a chunk of " + rows + " sequences");
            }
            body.start(n, steps, channels);
            float[] values = whole != null ? null : new float[Math.multiplyExact(rows, rowSize)];
            for (int from = 0; from < n; from += rows) {
                int count = Math.min(rows, n - from);
                float[] src = whole;
                int base = from * rowSize;
                if (whole == null) {
                    npy.readFloat32Into(values, count * rowSize, NpyInput.InexactIntegers.ROUND);
                    src = values;
                    base = 0;
                }
                float[][] series = new float[count][];
                for (int i = 0; i < count; i++) series[i] = layout.sequence(src, base + i * rowSize, steps, channels);
                body.rows(Dataset.unlabelled(source, series, channels).asRecordsFrom(from));
            }
            if (whole == null) npy.finish();
            return null;
        });
    }

    /**
     * The sequences, steps and channels of an {@code .npy} (or {@code .npy.gz}) of shape (N, T) or
     * (N, T, C), from its header alone: what {@link #streamNpy} will hand over, known before a pass.
     */
    public static int[] npyShape(Path file) {
        return npyShape(file, NpyLayout.NTC);
    }

    /** {@link #npyShape(Path)} of an array in {@code layout}. */
    public static int[] npyShape(Path file, NpyLayout layout) {
        return withStream(file, ReadLimits.ofThisJvm(), input -> layout.sequencesStepsChannels(
                NpyReader.sequenceShape(NpyInput.open(input.in(), input.name(), input.size()), input.name())));
    }

    /**
     * Whether {@link #streamRows} reads {@code file} in chunks: every format does (an .npy, IDX
     * data, and the text formats UCR, .ts, CSV and ARFF, each maybe .gz).
     */
    public static boolean streamable(Path file, Format format) {
        Format f = format == null || format == Format.AUTO ? formatOf(file) : format;
        return switch (f) {
            case NPY, IDX, UCR, TS, CSV, ARFF -> true;
            case AUTO -> false;
        };
    }

    /**
     * Reads a file {@code chunkRows} sequences at a time (0: as many as hold
     * {@value #AUTO_CHUNK_VALUES} values, at most {@value #AUTO_CHUNK_MAX_ROWS}), front to back,
     * holding one chunk whatever the file's size: an .npy as {@link #streamNpy} does, IDX data item
     * by item (its labels are in a file of their own, not read), and a text file (UCR, .ts, CSV,
     * ARFF) line by line (record by record for CSV), with the whole-file reader's parser, so that it
     * refuses what that one refuses, with the same line named. Concatenated, the chunks are the
     * sequences {@link #read} gives, in order. A labelled text file's chunks carry their labels,
     * numbered across the chunks (declared classes in the file's order, labels as written in
     * order of first appearance; each chunk names those seen so far), so that the same label has
     * the same number in every chunk and names the same class as in {@link #read}, whose numbering
     * may differ; other chunks are unlabelled. For a text file {@code start} gets −1 sequences (known only at
     * the end), its channels, and its steps when the format makes every sequence as long (CSV,
     * ARFF, a .ts file with {@code @equalLength true}; else −1); it is called once the first
     * sequence is read, before any chunk.
     *
     * @throws InputException naming the file (and the line) for anything malformed
     */
    public static void streamRows(Path file, Format format, int chunkRows, Rows body) {
        streamRows(file, format, NpyLayout.NTC, chunkRows, body);
    }

    /** {@link #streamRows(Path, Format, int, Rows)} with an .npy in {@code layout}. */
    public static void streamRows(Path file, Format format, NpyLayout layout, int chunkRows, Rows body) {
        streamRows(file, ReadOptions.defaults().withFormat(format == null ? Format.AUTO : format).withLayout(layout),
                chunkRows, body);
    }

    /**
     * {@link #streamRows(Path, Format, int, Rows)} with the options of {@link #read} (a CSV file's
     * label column and header; an .npy's layout). A labels file is not read: its data's chunks are unlabelled.
     */
    public static void streamRows(Path file, ReadOptions options, int chunkRows, Rows body) {
        if (chunkRows < 0) throw new IllegalArgumentException("chunk rows must be >= 0, got " + chunkRows);
        ReadOptions opts = options == null ? ReadOptions.defaults() : options;
        Format f = opts.format() == null || opts.format() == Format.AUTO ? formatOf(file) : opts.format();
        checkOptions(file, f, opts);
        switch (f) {
            case NPY -> streamNpy(file, opts.layout(), chunkRows, body);
            case IDX -> withStream(file, ReadLimits.ofThisJvm(), input -> {
                IdxReader.stream(input, chunkRows, body);
                return null;
            });
            case UCR, TS, CSV, ARFF -> withStream(file, ReadLimits.ofThisJvm(), input -> {
                textReader(f).stream(input, opts, chunkRows, AUTO_CHUNK_VALUES, body);
                return null;
            });
            case AUTO -> throw new IllegalStateException("AUTO resolved above");
        }
    }

    /** The reader of a text format, or null for a binary one. */
    private static TextReader textReader(Format format) {
        return switch (format) {
            case UCR -> new UcrReader();
            case TS -> new TsReader();
            case CSV -> new CsvReader();
            case ARFF -> new ArffReader();
            case NPY, IDX, AUTO -> null;
        };
    }

    /**
     * A seeded uniform sample of {@code m} sequences of a file (all of them, as {@link #read} gives
     * them, when it has no more), in the file's order, with their labels. An {@code .npy} is
     * streamed: its header gives N, so the rows to keep, those {@link RowSample#sorted} draws from N
     * with {@code seed}, are drawn before the first is read and kept as the file goes by, in one
     * pass, holding the sample and one chunk: the file may be larger than the heap. IDX data are
     * read whole, then sampled as an {@code .npy} is (the same rows as from the same data in an
     * {@code .npy}). A text file (UCR, .ts, CSV, ARFF), whose number of sequences is known only at
     * its end, is streamed with reservoir sampling (Algorithm R, {@link TextReader#sample}): another
     * uniform sample of the same size, the same for the same seed and file, holding the sample and
     * one line. Labels written as text (UCR, a CSV label column) are then numbered among the
     * sample's; declared classes (.ts, ARFF) keep the file's numbering.
     */
    public static Dataset sample(Path file, ReadOptions options, int m, long seed) {
        if (m < 1) throw new IllegalArgumentException("sample size must be >= 1, got " + m);
        ReadOptions opts = options == null ? ReadOptions.defaults() : options;
        Format format = opts.format() == null || opts.format() == Format.AUTO ? formatOf(file) : opts.format();
        checkOptions(file, format, opts);
        TextReader text = textReader(format);
        if (text != null) {
            return withStream(file, ReadLimits.ofThisJvm(), input -> text.sample(input, opts, m, new SplittableRandom(seed)));
        }
        if (format != Format.NPY) {
            Dataset all = read(file, opts);
            return select(all, RowSample.sorted(all.size(), Math.min(m, all.size()), new SplittableRandom(seed)));
        }
        List<float[]> kept = new ArrayList<>();
        int[][] keep = {null};
        int[] shape = new int[3];
        String[] source = {file.toString()};
        streamNpy(file, opts.layout(), 0, new Rows() {
            private int seen;
            private int next;

            @Override
            public void start(int sequences, int steps, int channels) {
                shape[0] = sequences;
                shape[2] = channels;
                keep[0] = RowSample.sorted(sequences, Math.min(m, sequences), new SplittableRandom(seed));
                HeapBudget.requireArray((long) keep[0].length * steps * channels, 4,
                        file + ": a sample of " + keep[0].length + " sequences");
            }

            @Override
            public void rows(Dataset chunk) {
                source[0] = chunk.name();
                int[] idx = keep[0];
                for (int i = 0; i < chunk.size(); i++, seen++) {
                    if (next < idx.length && idx[next] == seen) {
                        kept.add(chunk.series(i));
                        next++;
                    }
                }
            }
        });
        float[][] series = kept.toArray(new float[0][]);
        if (opts.labelsFile() == null) return Dataset.unlabelled(source[0], series, shape[2]);
        Labels.Indexed labels = NpyReader.readLabels(opts.labelsFile(), shape[0], source[0], ReadLimits.ofThisJvm());
        int[] picked = new int[series.length];
        for (int i = 0; i < picked.length; i++) picked[i] = labels.labels()[keep[0][i]];
        return new Dataset(source[0], series, shape[2], picked, labels.names());
    }

    private static Dataset select(Dataset all, int[] rows) {
        float[][] series = new float[rows.length][];
        int[] labels = all.hasLabels() ? new int[rows.length] : null;
        for (int i = 0; i < rows.length; i++) {
            series[i] = all.series(rows[i]);
            if (labels != null) labels[i] = all.labels()[rows[i]];
        }
        return labels == null ? Dataset.unlabelled(all.name(), series, all.channels())
                : new Dataset(all.name(), series, all.channels(), labels, all.labelNames());
    }

    /** The values in an automatic chunk: 8 MiB of float32 (the model's preprocessing copies it a few times). */
    static final int AUTO_CHUNK_VALUES = 1 << 21;
    static final int AUTO_CHUNK_MAX_ROWS = 65_536;

    static int autoChunkRows(int rowSize) {
        return Math.max(1, Math.min(AUTO_CHUNK_MAX_ROWS, AUTO_CHUNK_VALUES / rowSize));
    }

    /** The format AUTO picks for this file name; an unknown extension is an InputException. */
    public static Format formatOf(Path file) {
        Path fileName = file.getFileName();
        String name = fileName == null ? "" : fileName.toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        if (name.endsWith(".tsv") || name.endsWith(".txt")) return Format.UCR;
        if (name.endsWith(".csv")) return Format.CSV;
        if (name.endsWith(".ts")) return Format.TS;
        if (name.endsWith(".npy")) return Format.NPY;
        if (name.endsWith(".arff")) return Format.ARFF;
        if (name.endsWith(".idx") || IDX_NAME.matcher(name).matches()) return Format.IDX;
        throw new InputException(file + ": cannot tell the format from the file name; accepted: " + ACCEPTED
                + " (or name the format explicitly)");
    }

    /** Options that the chosen format would otherwise silently ignore. */
    private static void checkOptions(Path file, Format format, ReadOptions opts) {
        if (opts.labelsFile() != null && format != Format.IDX && format != Format.NPY) {
            throw new InputException(file + ": a separate labels file is only used with IDX and NPY data, not "
                    + format.name().toLowerCase(Locale.ROOT));
        }
        if ((opts.labelColumn() != null || opts.header() != null) && format != Format.CSV) {
            throw new InputException(file + ": a label column or header setting is only used with CSV data, not "
                    + format.name().toLowerCase(Locale.ROOT));
        }
        if (opts.layout() != NpyLayout.NTC && format != Format.NPY) {
            throw new InputException(file + ": the (N, C, T) layout is only used with NPY data, not "
                    + format.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Body of {@link #withStream}: reads the opened input. */
    @FunctionalInterface
    interface StreamBody<T> {
        T apply(SourceStream input) throws IOException;
    }

    /**
     * Opens {@code file} (a pipe or FIFO too: {@link InputFile}), decompresses it when it starts
     * with the gzip magic bytes ({@link GzipInput}), and runs {@code body} on the result, turning
     * every I/O failure into a one-line InputException. Also used for the labels files of IDX and
     * NPY data.
     */
    static <T> T withStream(Path file, ReadLimits limits, StreamBody<T> body) {
        if (Files.isDirectory(file)) throw new InputException(file + ": is a directory, not a data file");
        String source = file.toString();
        boolean gzip = false;
        try (InputStream raw = InputFile.open(file)) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            gzip = GzipInput.startsWithMagic(buffered);
            InputStream in = gzip ? new BufferedInputStream(GzipInput.of(buffered, source), 1 << 16) : buffered;
            in.mark(1);
            if (in.read() < 0) throw new InputException(file + ": empty file" + (gzip ? " (after gunzip)" : ""));
            in.reset();
            long size = gzip ? -1 : InputFile.sizeIfKnown(file);
            return body.apply(new SourceStream(in, source, size, limits));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new InputException(file + ": permission denied", e);
        } catch (EOFException e) {
            throw new InputException(file + (gzip ? ": truncated gzip data" : ": unexpected end of file"), e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
