package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.data.read.TestFiles.labelOf;
import static org.rnnclust.data.read.TestFiles.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * The text formats other than UCR (.ts, CSV, ARFF) read in chunks and sampled in one pass, plain and
 * gzip-compressed: the chunks, concatenated, are the sequences the whole-file read gives (values,
 * lengths, channels), for any chunk size; a sample of at least the file's size is the whole file in
 * order with its labels, a smaller one the reservoir sample the documented rule draws, reproducible
 * for a seed, each row a row of the file with its label; a malformed line mid-file fails the stream
 * with the whole read's message, after the chunks before it.
 */
class TextStreamingTest {
    @TempDir Path dir;

    private static final String[] CLASSES = {"jump", "walk", "run"};

    /** A sktime .ts file of n cases of {@code dims} dimensions, equal-length or not, labelled from CLASSES. */
    static String ts(int n, int dims, boolean ragged, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("# streamed\n@problemName S\n@timeStamps false\n@missing true\n");
        sb.append("@univariate ").append(dims == 1).append("\n@dimensions ").append(dims).append('\n');
        sb.append("@equalLength ").append(!ragged).append('\n');
        if (!ragged) sb.append("@seriesLength 9\n");
        sb.append("@classLabel true ").append(String.join(" ", CLASSES)).append("\n@data\n");
        for (int i = 0; i < n; i++) {
            int length = ragged ? 1 + r.nextInt(14) : 9;
            for (int d = 0; d < dims; d++) {
                for (int t = 0; t < length; t++) {
                    if (t > 0) sb.append(',');
                    sb.append(r.nextInt(23) == 0 ? "?" : String.format(Locale.ROOT, "%.4f", r.nextGaussian()));
                }
                sb.append(':');
            }
            sb.append(CLASSES[r.nextInt(3)]).append('\n');
            if (i % 11 == 5) sb.append("\n# a comment between cases\n");
        }
        return sb.toString();
    }

    /** A CSV file with a header and a label column in the middle, one label quoted with a line break in it. */
    static String csv(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("t0,t1,t2,label,t3,t4\n");
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                if (k > 0) sb.append(',');
                if (k == 3) sb.append(i % 9 == 4 ? "\"two\nlines\"" : "\"c," + r.nextInt(3) + "\"");
                else if (r.nextInt(19) != 0) sb.append(String.format(Locale.ROOT, "%.3f", r.nextGaussian()));
            }
            sb.append(i % 2 == 0 ? "\r\n" : "\n");
            if (i % 13 == 7) sb.append('\n');
        }
        return sb.toString();
    }

    /** An unlabelled CSV file separated by ';', without a header. */
    static String csvPlain(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 7; k++) sb.append(k > 0 ? ";" : "").append(r.nextInt(100));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** An ARFF file: univariate (one numeric attribute per step), or UEA's relational layout with {@code dims} channels. */
    static String arff(int n, int dims, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("% streamed\n@relation S\n");
        if (dims > 1) sb.append("@attribute series relational\n");
        for (int t = 0; t < 8; t++) sb.append("@attribute t").append(t).append(" numeric\n");
        if (dims > 1) sb.append("@end series\n");
        sb.append("@attribute class {").append(String.join(",", CLASSES)).append("}\n@data\n");
        for (int i = 0; i < n; i++) {
            if (dims > 1) sb.append('\'');
            for (int d = 0; d < dims; d++) {
                if (d > 0) sb.append("\\n");
                for (int t = 0; t < 8; t++) {
                    sb.append(t > 0 ? "," : "").append(r.nextInt(29) == 0 ? "?" : String.format(Locale.ROOT, "%.4f", r.nextGaussian()));
                }
            }
            sb.append(dims > 1 ? "'," : ",").append(CLASSES[r.nextInt(3)]).append('\n');
        }
        return sb.toString();
    }

    /** One file of each kind: its content, read options and the steps {@code start} must get. */
    private record Kind(String extension, String content, ReadOptions options, int steps) {}

    private static Kind kind(String name) {
        return switch (name) {
            case "ts-multi" -> new Kind(".ts", ts(47, 3, false, 1), ReadOptions.defaults(), 9);
            case "ts-ragged" -> new Kind(".ts", ts(53, 1, true, 2), ReadOptions.defaults(), -1);
            case "ts-ragged-multi" -> new Kind(".ts", ts(41, 2, true, 3), ReadOptions.defaults(), -1);
            case "csv" -> new Kind(".csv", csv(45, 4), new ReadOptions(Format.AUTO, null, "label", null), 5);
            case "csv-plain" -> new Kind(".csv", csvPlain(38, 5), ReadOptions.defaults(), 7);
            case "arff" -> new Kind(".arff", arff(43, 1, 6), ReadOptions.defaults(), 8);
            case "arff-multi" -> new Kind(".arff", arff(39, 3, 7), ReadOptions.defaults(), 8);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static final String[] KINDS = {"ts-multi", "ts-ragged", "ts-ragged-multi", "csv", "csv-plain", "arff", "arff-multi"};

    /** What one stream handed over. */
    private static final class Recorded implements Readers.Rows {
        final List<int[]> starts = new ArrayList<>();
        final List<Dataset> chunks = new ArrayList<>();

        @Override
        public void start(int sequences, int steps, int channels) {
            assertTrue(chunks.isEmpty(), "start comes before any rows");
            starts.add(new int[] {sequences, steps, channels});
        }

        @Override
        public void rows(Dataset chunk) {
            assertEquals(1, starts.size(), "start comes first, once");
            chunks.add(chunk);
        }
    }

    /** The chunks, concatenated, are the whole read's sequences; each chunk numbers its records from the file's start. */
    private static void assertConcatenationIsWhole(Dataset whole, Recorded got, int steps, String what) {
        assertEquals(1, got.starts.size(), what);
        assertArrayEquals(new int[] {-1, steps, whole.channels()}, got.starts.get(0), what + ": start");
        int i = 0;
        for (Dataset chunk : got.chunks) {
            assertEquals(whole.hasLabels(), chunk.hasLabels(), what + ": chunks are labelled as the file is");
            assertEquals(whole.channels(), chunk.channels(), what);
            assertEquals(whole.name(), chunk.name(), what);
            for (int k = 0; k < chunk.size(); k++, i++) {
                assertEquals(i + 1, chunk.recordNumber(k), what + ": record number");
                if (whole.hasLabels()) {
                    assertEquals(labelOf(whole, i), labelOf(chunk, k), what + ": label of " + i);
                }
                assertEquals(whole.length(i), chunk.length(k), what + ": length of " + i);
                assertArrayEquals(whole.series(i), chunk.series(k), what + ": sequence " + i);
            }
        }
        assertEquals(whole.size(), i, what + ": every sequence once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ts-multi", "ts-ragged", "ts-ragged-multi", "csv", "csv-plain", "arff", "arff-multi"})
    void chunksConcatenatedAreTheWholeRead(String name) {
        Kind k = kind(name);
        for (String suffix : new String[] {"", ".gz"}) {
            Path file = text(dir, name + k.extension + suffix, k.content);
            Dataset whole = Readers.read(file, k.options);
            assertTrue(whole.size() > 30, "the file holds a few chunks");
            if (name.endsWith("multi")) assertTrue(whole.channels() > 1, name);
            if (name.contains("ragged")) assertTrue(whole.maxLength() > whole.length(0) || whole.length(0) > whole.length(1), name);
            for (int rows : new int[] {1, 2, 3, 7, whole.size() - 1, whole.size(), whole.size() + 5, 0}) {
                Recorded got = new Recorded();
                Readers.streamRows(file, k.options, rows, got);
                String what = file.getFileName() + " in chunks of " + rows;
                assertConcatenationIsWhole(whole, got, k.steps, what);
                int expected = rows == 0 ? whole.size() : rows;  // automatic: 2 Mi values, all of these small files
                for (int c = 0; c < got.chunks.size(); c++) {
                    int size = got.chunks.get(c).size();
                    if (c < got.chunks.size() - 1) assertEquals(expected, size, what + ": chunk " + c);
                    else assertTrue(size >= 1 && size <= expected, what + ": last chunk of " + size);
                }
            }
        }
    }

    /** With 0 rows a chunk closes once it holds the automatic number of values (here a small one): no sooner, no later. */
    @Test
    void automaticChunksCloseAtTheirValueCount() throws IOException {
        for (String name : KINDS) {
            Kind k = kind(name);
            Path file = text(dir, name + k.extension, k.content);
            Dataset whole = Readers.read(file, k.options);
            TextReader reader = switch (k.extension) {
                case ".ts" -> new TsReader();
                case ".csv" -> new CsvReader();
                default -> new ArffReader();
            };
            int auto = 50;
            Recorded got = new Recorded();
            Readers.withStream(file, ReadLimits.ofThisJvm(), input -> {
                reader.stream(input, k.options, 0, auto, got);
                return null;
            });
            assertConcatenationIsWhole(whole, got, k.steps, name + ", automatic chunks");
            assertTrue(got.chunks.size() > 2, name);
            for (int c = 0; c < got.chunks.size() - 1; c++) {
                Dataset chunk = got.chunks.get(c);
                long values = 0;
                for (int i = 0; i < chunk.size(); i++) values += chunk.series(i).length;
                long withoutLast = values - chunk.series(chunk.size() - 1).length;
                assertTrue(values >= auto && withoutLast < auto, name + ": chunk " + c + " holds " + values + " values");
            }
        }
    }

    /** The rows Algorithm R keeps of n with m slots and this seed, in the file's order: the documented rule. */
    static int[] reservoir(int n, int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] slots = new int[Math.min(n, m)];
        for (int i = 0; i < n; i++) {
            long slot = i < m ? i : random.nextLong(i + 1);
            if (slot < m) slots[(int) slot] = i;
        }
        Arrays.sort(slots);
        return slots;
    }

    private static void assertSameDataset(Dataset expected, Dataset actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        assertEquals(expected.channels(), actual.channels(), what);
        assertEquals(expected.hasLabels(), actual.hasLabels(), what);
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.series(i), actual.series(i), what + ": " + i);
        if (expected.hasLabels()) {
            assertArrayEquals(expected.labels(), actual.labels(), what);
            assertEquals(expected.labelNames(), actual.labelNames(), what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ts-multi", "ts-ragged", "ts-ragged-multi", "csv", "csv-plain", "arff", "arff-multi"})
    void aSampleIsTheReservoirsRowsWithTheirLabels(String name) {
        Kind k = kind(name);
        for (String suffix : new String[] {"", ".gz"}) {
            Path file = text(dir, name + k.extension + suffix, k.content);
            Dataset whole = Readers.read(file, k.options);
            int n = whole.size();
            assertSameDataset(whole, Readers.sample(file, k.options, n, 3), name + ": a sample of N is the file");
            assertSameDataset(whole, Readers.sample(file, k.options, n + 100, 3), name + ": a sample of more than N too");
            for (long seed : new long[] {0, 1, 42}) {
                int m = 10;
                Dataset sample = Readers.sample(file, k.options, m, seed);
                int[] rows = reservoir(n, m, seed);
                assertEquals(m, sample.size(), name);
                assertEquals(whole.channels(), sample.channels(), name);
                for (int i = 0; i < m; i++) {
                    assertArrayEquals(whole.series(rows[i]), sample.series(i), name + ", seed " + seed + ": row " + i);
                    if (whole.hasLabels()) assertEquals(labelOf(whole, rows[i]), labelOf(sample, i), name + ": the row's label");
                }
                assertFalse(whole.hasLabels() != sample.hasLabels(), name);
                if (k.extension.equals(".csv")) {
                    // numbered among the sample's labels
                    if (sample.hasLabels()) assertTrue(sample.labelNames().size() <= whole.labelNames().size(), name);
                } else {
                    assertEquals(whole.labelNames(), sample.labelNames(), name + ": declared classes keep the file's numbering");
                }
                assertSameDataset(sample, Readers.sample(file, k.options, m, seed), name + ": the same for the same seed");
            }
            assertNotEquals(Arrays.toString(reservoir(n, 10, 0)), Arrays.toString(reservoir(n, 10, 1)), "seeds differ");
        }
    }

    /** Over many seeds, every row of a .ts and a CSV file is drawn about m/N of the time, in the file's order. */
    @Test
    void theReservoirSampleIsUniform() {
        for (String name : new String[] {"ts-ragged", "csv"}) {
            Kind k = kind(name);
            Path file = text(dir, name + k.extension, k.content);
            Dataset whole = Readers.read(file, k.options);
            int n = whole.size();
            int m = 12;
            int seeds = 400;
            int[] drawn = new int[n];
            for (int seed = 0; seed < seeds; seed++) {
                Dataset sample = Readers.sample(file, k.options, m, seed);
                int previous = -1;
                for (int i = 0; i < m; i++) {
                    int row = indexOf(whole, sample.series(i), previous + 1);
                    assertTrue(row > previous, "in the file's order");
                    assertEquals(labelOf(whole, row), labelOf(sample, i), name + ": the row's label");
                    drawn[row]++;
                    previous = row;
                }
            }
            double expected = (double) seeds * m / n;
            for (int row = 0; row < n; row++) {
                assertTrue(drawn[row] > 0.6 * expected && drawn[row] < 1.4 * expected,
                        name + ": row " + row + " drawn " + drawn[row] + " times, expected about " + expected);
            }
        }
    }

    private static int indexOf(Dataset d, float[] series, int from) {
        for (int i = from; i < d.size(); i++) if (Arrays.equals(d.series(i), series)) return i;
        throw new AssertionError("not a row of the file after " + from);
    }

    /**
     * A malformed line in the middle of a streamed file: the chunks before it are handed over, then
     * the stream fails with the whole read's one line, naming the file and the line.
     */
    @ParameterizedTest
    @ValueSource(strings = {"m.ts", "m.ts.gz", "m.csv", "m.csv.gz", "m.arff", "m.arff.gz"})
    void aMalformedLineMidFileFailsTheStreamNamingIt(String name) {
        String good = name.contains(".ts") ? ts(30, 2, true, 8) : name.contains(".csv") ? csvPlain(30, 9) : arff(30, 1, 10);
        List<String> lines = new ArrayList<>(good.lines().toList());
        int bad = lines.size() - 12;  // a data line two thirds in
        String line = lines.get(bad);
        lines.set(bad, line.replaceFirst(name.contains(".csv") ? "^[0-9]+" : "-?[0-9]+\\.[0-9]+", "1.5x"));
        assertNotEquals(line, lines.get(bad));
        Path file = text(dir, name, String.join("\n", lines) + "\n");
        InputException whole = assertThrows(InputException.class, () -> Readers.read(file, null));
        assertTrue(whole.getMessage().startsWith(file + ": line " + (bad + 1) + ": "), whole.getMessage());
        assertTrue(whole.getMessage().contains("not a number: '1.5x'"), whole.getMessage());
        for (int rows : new int[] {1, 4, 0}) {
            Recorded got = new Recorded();
            InputException e = assertThrows(InputException.class, () -> Readers.streamRows(file, Format.AUTO, rows, got));
            assertEquals(whole.getMessage(), e.getMessage(), name + " in chunks of " + rows);
            int handed = got.chunks.stream().mapToInt(Dataset::size).sum();
            if (rows == 1) assertTrue(handed > 10, "the chunks before the bad line were handed over: " + handed);
            InputException sampled = assertThrows(InputException.class, () -> Readers.sample(file, null, 5, 1));
            assertEquals(whole.getMessage(), sampled.getMessage(), name + ", sampled");
        }
    }

    /** What a stream refuses before any row, it refuses as the whole read does, and start is never called. */
    @Test
    void aFileWithoutDataFailsAlike() {
        String[][] files = {
                {"e.ts", "@classLabel true a\n@data\n\n# nothing\n"},
                {"h.ts", "@classLabel true a\n"},
                {"e.csv", "a,b,c\n"},
                {"e.arff", "@relation x\n@attribute t numeric\n@data\n"},
                {"l.csv", "1,2\n1,2,3\n"}};
        for (String[] f : files) {
            Path file = text(dir, f[0], f[1]);
            ReadOptions options = f[0].equals("e.csv") ? new ReadOptions(Format.AUTO, null, null, true) : null;
            InputException whole = assertThrows(InputException.class, () -> Readers.read(file, options));
            Recorded got = new Recorded();
            InputException streamed = assertThrows(InputException.class, () -> Readers.streamRows(file, options, 2, got));
            assertEquals(whole.getMessage(), streamed.getMessage(), f[0]);
            InputException sampled = assertThrows(InputException.class, () -> Readers.sample(file, options, 2, 0));
            assertEquals(whole.getMessage(), sampled.getMessage(), f[0]);
            if (!f[0].equals("l.csv")) assertTrue(got.starts.isEmpty(), f[0]);
        }
    }

    /** Every format streams now; the options a format would ignore are refused in a stream as in a read. */
    @Test
    void everyFormatIsStreamableAndOptionsAreCheckedAlike() {
        for (String name : new String[] {"a.ts", "a.csv.gz", "a.arff", "a.tsv", "a.npy", "a-idx3-ubyte"}) {
            assertTrue(Readers.streamable(Path.of(name), Format.AUTO), name);
        }
        Path ts = text(dir, "o.ts", ts(5, 1, false, 11));
        ReadOptions labelColumn = new ReadOptions(Format.AUTO, null, "0", null);
        InputException whole = assertThrows(InputException.class, () -> Readers.read(ts, labelColumn));
        InputException streamed = assertThrows(InputException.class, () -> Readers.streamRows(ts, labelColumn, 2, new Recorded()));
        assertEquals(whole.getMessage(), streamed.getMessage());
        InputException sampled = assertThrows(InputException.class, () -> Readers.sample(ts, labelColumn, 2, 0));
        assertEquals(whole.getMessage(), sampled.getMessage());
    }
}
