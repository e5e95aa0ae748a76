package org.rnnclust.data.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyBytes;
import org.rnnclust.fuzz.FuzzHarness;
import org.rnnclust.fuzz.FuzzHarness.Input;
import org.rnnclust.fuzz.Mutation;

/**
 * Fuzzing of every reader: a valid file of the format (random content), broken by one to three
 * {@link Mutation}s, must load or fail with a one-line InputException, within the time and
 * allocation bounds of {@link FuzzHarness}. Each format is tried plain and gzip-compressed; for gzip,
 * half the tries also damage the compressed bytes. IDX and NPY tries damage either the data file or
 * its labels file.
 *
 * <p>The text formats are also fuzzed streamed ({@code *StreamFuzz}): the same damaged file is read
 * in chunks ({@link Readers#streamRows}) and sampled in one pass ({@link Readers#sample}), which must
 * refuse it with the whole read's message, or give the whole read's sequences (and labels).
 *
 * <p>The default run tries {@code rnnclust.fuzz.tries} inputs per format (default 100, a few seconds
 * in all); the long run is {@code mvn -B test -Dtest='*FuzzTest' -Drnnclust.fuzz.tries=10000}
 * (docs/reliability.md).
 */
class ReaderFuzzTest {
    private static Path dir;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("rnnclust-fuzz-");
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }

    /** A valid input: the data file's bytes, its name, an optional labels file, and the read options. */
    record Seed(String fileName, byte[] content, String labelsName, byte[] labels, ReadOptions options) {
        @Override
        public String toString() {
            return fileName + " (" + content.length + " bytes)" + (labelsName == null ? "" : " + " + labelsName);
        }
    }

    /** Random data: n sequences of up to 12 steps by c channels, values with a few missing, labels 0..2. */
    record Data(int n, int length, int channels, boolean ragged, long seed) {
        double value(int i, int t, int c) {
            long h = seed ^ (i * 1_000_003L + t * 7919L + c * 31L);
            h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 32;
            return (h % 20_000) / 1000.0;
        }

        boolean missing(int i, int t) {
            return ((seed >>> 3) + i * 13 + t * 7) % 41 == 0;
        }

        int length(int i) {
            return ragged ? 1 + (int) Math.floorMod(seed + i * 5L, length) : length;
        }

        int label(int i) {
            return (int) Math.floorMod(seed + i, 3);
        }
    }

    static Data data(SplittableRandom r, boolean multichannel) {
        return new Data(FuzzHarness.between(r, 1, 6), FuzzHarness.between(r, 1, 12),
                multichannel ? FuzzHarness.between(r, 1, 3) : 1, r.nextBoolean(), r.nextLong());
    }

    // ---------------------------------------------------------------- the seeds, one writer per format

    static Seed ucr(Data d, String separator, String extension) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.n; i++) {
            sb.append(d.label(i) + 1);
            for (int t = 0; t < d.length(i); t++) {
                sb.append(separator).append(d.missing(i, t) && t > 0 ? "NaN" : String.format(Locale.ROOT, "%.4f", d.value(i, t, 0)));
            }
            sb.append('\n');
        }
        ReadOptions o = extension.equals(".csv") ? ReadOptions.defaults().withFormat(Format.UCR) : ReadOptions.defaults();
        return new Seed("data" + extension, sb.toString().getBytes(StandardCharsets.UTF_8), null, null, o);
    }

    static Seed ts(Data d) {
        StringBuilder sb = new StringBuilder("# fuzz seed\n@problemName Fuzz\n@timeStamps false\n@missing true\n");
        sb.append("@univariate ").append(d.channels == 1).append('\n');
        sb.append("@dimensions ").append(d.channels).append('\n');
        sb.append("@equalLength ").append(!d.ragged).append('\n');
        if (!d.ragged) sb.append("@seriesLength ").append(d.length).append('\n');
        sb.append("@classLabel true a b c\n@data\n");
        for (int i = 0; i < d.n; i++) {
            for (int c = 0; c < d.channels; c++) {
                for (int t = 0; t < d.length(i); t++) {
                    if (t > 0) sb.append(',');
                    sb.append(d.missing(i, t) ? "?" : String.format(Locale.ROOT, "%.3f", d.value(i, t, c)));
                }
                sb.append(':');
            }
            sb.append("abc".charAt(d.label(i))).append('\n');
        }
        return new Seed("data.ts", sb.toString().getBytes(StandardCharsets.UTF_8), null, null, ReadOptions.defaults());
    }

    /** Univariate: one numeric attribute per step; several channels: UEA's relational attribute. */
    static Seed arff(Data d) {
        StringBuilder sb = new StringBuilder("% fuzz seed\n@relation Fuzz\n");
        if (d.channels > 1) sb.append("@attribute series relational\n");
        for (int t = 0; t < d.length; t++) sb.append(d.channels > 1 ? "  " : "").append("@attribute t").append(t).append(" numeric\n");
        if (d.channels > 1) sb.append("@end series\n");
        sb.append("@attribute class {a,b,c}\n@data\n");
        for (int i = 0; i < d.n; i++) {
            if (d.channels > 1) sb.append('\'');
            for (int c = 0; c < d.channels; c++) {
                if (c > 0) sb.append("\\n");
                for (int t = 0; t < d.length; t++) {
                    if (t > 0) sb.append(',');
                    sb.append(d.missing(i, t) ? "?" : String.format(Locale.ROOT, "%.3f", d.value(i, t, c)));
                }
            }
            sb.append(d.channels > 1 ? "'," : ",").append("abc".charAt(d.label(i))).append('\n');
        }
        return new Seed("data.arff", sb.toString().getBytes(StandardCharsets.UTF_8), null, null, ReadOptions.defaults());
    }

    static Seed csv(Data d, boolean header, boolean labelled) {
        StringBuilder sb = new StringBuilder();
        if (header) {
            for (int t = 0; t < d.length; t++) sb.append("t").append(t).append(',');
            sb.append(labelled ? "label\n" : "end\n");
        }
        for (int i = 0; i < d.n; i++) {
            for (int t = 0; t < d.length; t++) {
                sb.append(d.missing(i, t) ? "" : String.format(Locale.ROOT, "%.4f", d.value(i, t, 0))).append(',');
            }
            sb.append(labelled ? "\"class" + d.label(i) + "\"" : "0").append('\n');
        }
        ReadOptions o = new ReadOptions(Format.AUTO, null, labelled ? (header ? "label" : "-1") : null, header ? Boolean.TRUE : null);
        return new Seed("data.csv", sb.toString().getBytes(StandardCharsets.UTF_8), null, null, o);
    }

    static final int[] IDX_TYPES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};

    static Seed idx(Data d, int typeChoice, boolean labelled) {
        int type = IDX_TYPES[typeChoice];
        int size = switch (type) { case 0x08, 0x09 -> 1; case 0x0B -> 2; case 0x0C, 0x0D -> 4; default -> 8; };
        int per = d.length * d.channels;
        ByteBuffer body = ByteBuffer.allocate(d.n * per * size).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < d.n; i++) {
            for (int k = 0; k < per; k++) {
                double v = d.value(i, k / d.channels, k % d.channels);
                switch (type) {
                    case 0x08, 0x09 -> body.put((byte) v);
                    case 0x0B -> body.putShort((short) (v * 100));
                    case 0x0C -> body.putInt((int) (v * 1000));
                    case 0x0D -> body.putFloat((float) v);
                    default -> body.putDouble(v);
                }
            }
        }
        int[] dims = d.channels == 1 ? new int[] {d.n, d.length} : new int[] {d.n, d.length, d.channels};
        byte[] labels = null;
        if (labelled) {
            byte[] l = new byte[d.n];
            for (int i = 0; i < d.n; i++) l[i] = (byte) d.label(i);
            labels = TestFiles.idx(0x08, new int[] {d.n}, l);
        }
        return new Seed("data-idx3-ubyte", TestFiles.idx(type, dims, body.array()),
                labelled ? "labels-idx1-ubyte" : null, labels, ReadOptions.defaults());
    }

    static final String[] NPY_TYPES = {"<f4", "<f8", ">f4", "<i4", "|u1", "<i8", "<u2", ">i2"};

    static Seed npy(Data d, int major, int typeChoice, boolean fortran, boolean labelled) {
        String descr = NPY_TYPES[typeChoice];
        int size = Integer.parseInt(descr.substring(2));
        ByteBuffer body = ByteBuffer.allocate(d.n * d.length * d.channels * size)
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        // written in file order; for Fortran order that is simply another arrangement of the same values
        for (int k = 0; k < d.n * d.length * d.channels; k++) {
            double v = d.value(k, k % 7, 0);
            switch (descr.substring(1)) {
                case "f4" -> body.putFloat((float) v);
                case "f8" -> body.putDouble(v);
                case "i4" -> body.putInt((int) v);
                case "u1" -> body.put((byte) v);
                case "i8" -> body.putLong((long) v);
                default -> body.putShort((short) v);
            }
        }
        String shape = d.channels == 1 ? "(" + d.n + ", " + d.length + ")" : "(" + d.n + ", " + d.length + ", " + d.channels + ")";
        byte[] labels = null;
        if (labelled) {
            ByteBuffer l = ByteBuffer.allocate(8 * d.n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < d.n; i++) l.putLong(d.label(i));
            labels = NpyBytes.npy(1, NpyBytes.dict("<i8", false, "(" + d.n + ",)"), l.array());
        }
        return new Seed("data.npy", NpyBytes.npy(major, NpyBytes.dict(descr, fortran, shape), body.array()),
                labelled ? "labels.npy" : null, labels, ReadOptions.defaults());
    }

    // ---------------------------------------------------------------- valid files, drawn

    static Seed ucrTsv(SplittableRandom r) { return ucr(data(r, false), "\t", ".tsv"); }

    static Seed ucrTxt(SplittableRandom r) { return ucr(data(r, false), FuzzHarness.oneOf(r, "  ", " ", ","), ".txt"); }

    static Seed ucrCsv(SplittableRandom r) { return ucr(data(r, false), ",", ".csv"); }

    static Seed tsFile(SplittableRandom r) { return ts(data(r, true)); }

    static Seed arffFile(SplittableRandom r) {
        Data d = data(r, true);
        return arff(new Data(d.n, d.length, d.channels, false, d.seed));
    }

    static Seed csvFile(SplittableRandom r) {
        Data d = data(r, false);
        return csv(new Data(d.n, d.length, 1, false, d.seed), r.nextBoolean(), r.nextBoolean());
    }

    static Seed idxFile(SplittableRandom r) {
        return idx(data(r, true), r.nextInt(IDX_TYPES.length), r.nextBoolean());
    }

    static Seed npyFile(SplittableRandom r) {
        return npy(data(r, true), r.nextInt(1, 4), r.nextInt(NPY_TYPES.length), r.nextBoolean(), r.nextBoolean());
    }

    // ---------------------------------------------------------------- the properties, one per format

    @Test void ucrTsvFuzz() { fuzz("ucr-tsv", ReaderFuzzTest::ucrTsv, false); }

    @Test void ucrTsvGzFuzz() { fuzz("ucr-tsv.gz", ReaderFuzzTest::ucrTsv, true); }

    @Test void ucrTxtFuzz() { fuzz("ucr-txt", ReaderFuzzTest::ucrTxt, false); }

    @Test void ucrTxtGzFuzz() { fuzz("ucr-txt.gz", ReaderFuzzTest::ucrTxt, true); }

    @Test void ucrCsvFuzz() { fuzz("ucr-csv", ReaderFuzzTest::ucrCsv, false); }

    @Test void ucrCsvGzFuzz() { fuzz("ucr-csv.gz", ReaderFuzzTest::ucrCsv, true); }

    @Test void tsFuzz() { fuzz("ts", ReaderFuzzTest::tsFile, false); }

    @Test void tsGzFuzz() { fuzz("ts.gz", ReaderFuzzTest::tsFile, true); }

    @Test void arffFuzz() { fuzz("arff", ReaderFuzzTest::arffFile, false); }

    @Test void arffGzFuzz() { fuzz("arff.gz", ReaderFuzzTest::arffFile, true); }

    @Test void csvFuzz() { fuzz("csv", ReaderFuzzTest::csvFile, false); }

    @Test void csvGzFuzz() { fuzz("csv.gz", ReaderFuzzTest::csvFile, true); }

    @Test void ucrTsvStreamFuzz() { fuzzStream("ucr-tsv-stream", ReaderFuzzTest::ucrTsv, false); }

    @Test void ucrTsvGzStreamFuzz() { fuzzStream("ucr-tsv.gz-stream", ReaderFuzzTest::ucrTsv, true); }

    @Test void tsStreamFuzz() { fuzzStream("ts-stream", ReaderFuzzTest::tsFile, false); }

    @Test void tsGzStreamFuzz() { fuzzStream("ts.gz-stream", ReaderFuzzTest::tsFile, true); }

    @Test void arffStreamFuzz() { fuzzStream("arff-stream", ReaderFuzzTest::arffFile, false); }

    @Test void arffGzStreamFuzz() { fuzzStream("arff.gz-stream", ReaderFuzzTest::arffFile, true); }

    @Test void csvStreamFuzz() { fuzzStream("csv-stream", ReaderFuzzTest::csvFile, false); }

    @Test void csvGzStreamFuzz() { fuzzStream("csv.gz-stream", ReaderFuzzTest::csvFile, true); }

    @Test void idxFuzz() { fuzz("idx", ReaderFuzzTest::idxFile, false); }

    @Test void idxGzFuzz() { fuzz("idx.gz", ReaderFuzzTest::idxFile, true); }

    @Test void npyFuzz() { fuzz("npy", ReaderFuzzTest::npyFile, false); }

    @Test void npyGzFuzz() { fuzz("npy.gz", ReaderFuzzTest::npyFile, true); }

    /**
     * Each input: a valid file drawn by {@code seeds}, one to three mutations of its bytes (of the
     * labels file instead, half the time, when it has one), and for gzip the compressed bytes left
     * intact half the time, else damaged by one or two mutations.
     */
    private static void fuzz(String format, Function<SplittableRandom, Seed> seeds, boolean gz) {
        FuzzHarness.forAll(format, r -> {
            Seed s = seeds.apply(r);
            List<Mutation> plain = Mutation.some(r);
            List<Mutation> compressed = !gz ? null : r.nextBoolean() ? List.of() : Mutation.random(r, 1, 2);
            boolean onLabels = r.nextBoolean();
            return input(s, plain, compressed, onLabels);
        });
    }

    /**
     * A text file's input as {@link #fuzz} draws it (the data file mutated), read whole and then in
     * chunks of 1 to 4 sequences (0: automatic) and sampled with {@code m} of 1 to 8 (the fuzzed files
     * hold at most 6 sequences before mutation): see {@link #streamedAsWhole}.
     */
    private static void fuzzStream(String format, Function<SplittableRandom, Seed> seeds, boolean gz) {
        FuzzHarness.forAll(format, r -> {
            Seed s = seeds.apply(r);
            List<Mutation> plain = Mutation.some(r);
            List<Mutation> compressed = !gz ? null : r.nextBoolean() ? List.of() : Mutation.random(r, 1, 2);
            int chunkRows = r.nextInt(5);
            int m = FuzzHarness.between(r, 1, 8);
            long seed = r.nextLong();
            Input whole = input(s, plain, compressed, false);
            Path file = dir.resolve(whole.fileName());
            return new Input(whole.description() + ", streamed in chunks of " + chunkRows + ", sampled " + m,
                    whole.bytes(), whole.fileName(), whole.basis(),
                    () -> refusedAlike(file, s.options, chunkRows, m, seed),
                    loaded -> streamedAsWhole((Dataset) loaded, file, s.options, chunkRows, m, seed));
        });
    }

    /** The whole read; when it refuses the file, the stream and the sample must refuse it with the same line. */
    private static Dataset refusedAlike(Path file, ReadOptions options, int chunkRows, int m, long seed) {
        try {
            return Readers.read(file, options);
        } catch (InputException whole) {
            String streamed = refusal(() -> Readers.streamRows(file, options, chunkRows, new Collected()));
            String sampled = refusal(() -> Readers.sample(file, options, m, seed));
            if (!whole.getMessage().equals(streamed) || !whole.getMessage().equals(sampled)) {
                throw new AssertionError("read whole: " + whole.getMessage() + "\n  streamed: " + streamed
                        + "\n  sampled: " + sampled);
            }
            throw whole;
        }
    }

    private static String refusal(Runnable read) {
        try {
            read.run();
            return "(accepted)";
        } catch (InputException e) {
            return e.getMessage();
        }
    }

    /**
     * What the whole read accepted, the stream gives in chunks of at most {@code chunkRows} whose
     * concatenation is the whole read's sequences, and a sample of {@code m} is the whole read (at
     * least its size) or {@code m} of its rows in its order, with their labels.
     */
    private static Object streamedAsWhole(Dataset whole, Path file, ReadOptions options, int chunkRows, int m, long seed) {
        Collected chunks = new Collected();
        Readers.streamRows(file, options, chunkRows, chunks);
        if (chunks.series.size() != whole.size()) {
            throw new AssertionError("streamed " + chunks.series.size() + " sequences, the whole read " + whole.size());
        }
        for (int i = 0; i < whole.size(); i++) {
            if (!Arrays.equals(whole.series(i), chunks.series.get(i))) throw new AssertionError("sequence " + i + " differs");
            String label = whole.hasLabels() ? TestFiles.labelOf(whole, i) : null;
            if (!java.util.Objects.equals(label, chunks.labels.get(i))) {
                throw new AssertionError("sequence " + i + " is labelled " + chunks.labels.get(i) + " in its chunk, " + label);
            }
        }
        if (chunks.channels != whole.channels()) throw new AssertionError("channels " + chunks.channels + " / " + whole.channels());
        if (chunkRows > 0 && chunks.largest > chunkRows) throw new AssertionError("a chunk of " + chunks.largest);
        Dataset sample = Readers.sample(file, options, m, seed);
        if (sample.size() != Math.min(m, whole.size()) || sample.channels() != whole.channels()
                || sample.hasLabels() != whole.hasLabels()) {
            throw new AssertionError("a sample of " + m + " of " + whole.size() + " holds " + sample.size());
        }
        for (int i = 0, row = -1; i < sample.size(); i++) {
            do {
                row++;
            } while (row < whole.size() && !Arrays.equals(whole.series(row), sample.series(i)));
            if (row == whole.size()) throw new AssertionError("sampled sequence " + i + " is not a later row of the file");
            if (whole.hasLabels() && !TestFiles.labelOf(whole, row).equals(TestFiles.labelOf(sample, i))) {
                throw new AssertionError("sampled sequence " + i + " has another label");
            }
        }
        return sample;
    }

    /** The chunks of a stream, concatenated. */
    private static final class Collected implements Readers.Rows {
        final List<float[]> series = new ArrayList<>();
        /** Each sequence's label name (null: an unlabelled chunk). */
        final List<String> labels = new ArrayList<>();
        int channels;
        int largest;

        @Override
        public void start(int sequences, int steps, int channels) {
            this.channels = channels;
        }

        @Override
        public void rows(Dataset chunk) {
            if (chunk.channels() != channels) throw new AssertionError("chunk channels " + chunk.channels());
            largest = Math.max(largest, chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                series.add(chunk.series(i));
                labels.add(chunk.hasLabels() ? TestFiles.labelOf(chunk, i) : null);
            }
        }
    }

    /**
     * Mutates the seed (its labels file when {@code onLabels} and it has one), gzips it when
     * {@code gz} is not null and applies those mutations to the compressed bytes, writes the files
     * and reads them through {@link Readers#read}, the path every command uses.
     */
    private static Input input(Seed s, List<Mutation> plain, List<Mutation> gz, boolean onLabels) {
        boolean labelsTarget = onLabels && s.labels != null;
        byte[] target = Mutation.applyAll(plain, labelsTarget ? s.labels : s.content);
        long basis = target.length;
        if (gz != null) {
            target = Mutation.applyAll(gz, TestFiles.gzip(target));
            basis = Math.max(basis, FuzzHarness.contentSize(target));
        }
        String suffix = gz != null ? ".gz" : "";
        byte[] data = labelsTarget ? s.content : target;
        byte[] labels = labelsTarget ? target : s.labels;
        Path dataFile = dir.resolve(s.fileName + (labelsTarget ? "" : suffix));
        Path labelsFile = s.labelsName == null ? null : dir.resolve(s.labelsName + (labelsTarget ? suffix : ""));
        long total = basis + (labelsTarget ? data.length : labels == null ? 0 : labels.length);
        try {
            Files.write(dataFile, data);
            if (labelsFile != null) Files.write(labelsFile, labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReadOptions options = labelsFile == null ? s.options : s.options.withLabelsFile(labelsFile);
        String description = s + ", " + (labelsTarget ? "labels file" : "data file") + " mutated by " + plain
                + (gz == null ? "" : ", compressed bytes by " + gz);
        return new Input(description, target,
                labelsTarget ? labelsFile.getFileName().toString() : dataFile.getFileName().toString(),
                total, () -> Readers.read(dataFile, options));
    }
}
