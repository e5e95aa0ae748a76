package org.rnnclust.data.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.npy.NpyBytes;
import org.rnnclust.fuzz.Bombs;
import org.rnnclust.fuzz.FuzzHarness;
import org.rnnclust.fuzz.FuzzHarness.Input;

/**
 * Compressed bombs for every reader: gzip files of a few megabytes that expand to 1 to 4 GiB, made
 * of a valid start (a UCR label, a .ts header, an IDX or .npy header whose sizes are drawn from
 * one to billions) and then zeros, one endless line of numbers, or endless short lines. Each must
 * be refused ({@link FuzzHarness.Input#bomb}) after reading at most a quarter of the file and
 * allocating a bounded amount. The reads run under the limits of a 64 MiB heap ({@link ReadLimits}),
 * so that a limit is reached after tens of megabytes rather than the test JVM's gigabytes.
 *
 * <p>The default run tries {@code rnnclust.fuzz.tries}/10 bombs per reader (at least 5; a few
 * seconds in all); the long run, {@code -Drnnclust.fuzz.tries=10000}, a thousand each.
 */
class ReaderBombFuzzTest {
    /** The heap the limits are taken from: 32 MiB of data, lines of 4 Mi characters (CSV 1 Mi). */
    static final ReadLimits LIMITS = ReadLimits.ofHeap(64L << 20);
    /** What a refused bomb may allocate: buffers, the data up to the limit, the strings of its fields. */
    static final long ALLOWED_ALLOCATION = FuzzHarness.FIXED_BYTES + 8 * LIMITS.dataBytes();

    @TempDir static Path dir;

    static int tries() {
        return Math.max(5, FuzzHarness.tries() / 10);
    }

    /** 1 to 4 GiB of repeated content: far beyond the limits, so the bomb must be refused early. */
    static int units(SplittableRandom r) {
        return FuzzHarness.between(r, (1 << 30) / Bombs.UNIT, 255);
    }

    /** A body for a text bomb: zeros, one endless line of values, or endless short lines. */
    static String textBody(SplittableRandom r, String separator, String line) {
        return FuzzHarness.oneOf(r, "", "0.5" + separator, line);
    }

    @Test
    void ucrBombs() {
        bombs("ucr-bomb", r -> {
            String sep = FuzzHarness.oneOf(r, "\t", ",", " ");
            String ext = sep.equals("\t") ? ".tsv" : ".txt";
            String start = FuzzHarness.oneOf(r, "", "1", "1" + sep + "0.25\n2");
            return new Bomb("data" + ext, start, textBody(r, sep, "1" + sep + "0.5" + sep + "0.25\n"), ReadOptions.defaults());
        });
    }

    @Test
    void tsBombs() {
        bombs("ts-bomb", r -> {
            String header = "@problemName Bomb\n@univariate true\n@equalLength false\n@classLabel true a b\n@data\n";
            String start = FuzzHarness.oneOf(r, "", header, header + "0.5,");
            return new Bomb("data.ts", start, textBody(r, ",", "0.5,0.25:a\n"), ReadOptions.defaults());
        });
    }

    @Test
    void csvBombs() {
        bombs("csv-bomb", r -> {
            String start = FuzzHarness.oneOf(r, "", "t0,t1,label\n", "0.5,\"", "t0,label\n\"");
            String body = FuzzHarness.oneOf(r, "", "0.5,", "0.5,0.25,a\n", "a\n");  // "a\n" inside a quote: one endless field
            ReadOptions o = start.contains("label") ? new ReadOptions(Format.AUTO, null, "label", null) : ReadOptions.defaults();
            return new Bomb("data.csv", start, body, o);
        });
    }

    @Test
    void idxBombs() {
        bombs("idx-bomb", r -> {
            int type = ReaderFuzzTest.IDX_TYPES[r.nextInt(ReaderFuzzTest.IDX_TYPES.length)];
            int[] dims = r.nextBoolean()
                    ? new int[] {size(r), size(r), size(r)}
                    : new int[] {size(r), size(r)};
            return new Bomb("data-idx3-ubyte", TestFiles.idx(type, dims, new byte[0]), "", ReadOptions.defaults());
        });
    }

    @Test
    void idxLabelBombs() {
        bombs("idx-labels-bomb", r -> {
            int n = FuzzHarness.between(r, 1, 4);
            Path data = write("labelled-idx3-ubyte", TestFiles.idx(0x08, new int[] {n, 2, 2}, new byte[4 * n]));
            int count = r.nextBoolean() ? n : size(r);
            byte[] header = TestFiles.idx(0x08, new int[] {count}, new byte[0]);
            return new Bomb("labels-idx1-ubyte", header, "", ReadOptions.defaults()).labelling(data);
        });
    }

    @Test
    void npyBombs() {
        bombs("npy-bomb", r -> {
            String descr = ReaderFuzzTest.NPY_TYPES[r.nextInt(ReaderFuzzTest.NPY_TYPES.length)];
            String shape = r.nextBoolean() ? "(" + size(r) + ", " + size(r) + ")" : "(" + size(r) + ", " + size(r) + ", " + size(r) + ")";
            byte[] header = NpyBytes.npy(r.nextInt(1, 4), NpyBytes.dict(descr, r.nextBoolean(), shape), new byte[0]);
            return new Bomb("data.npy", header, "", ReadOptions.defaults());
        });
    }

    @Test
    void npyLabelBombs() {
        bombs("npy-labels-bomb", r -> {
            int n = FuzzHarness.between(r, 1, 4);
            ByteBuffer values = ByteBuffer.allocate(4 * 2 * n).order(ByteOrder.LITTLE_ENDIAN);
            Path data = write("labelled.npy", NpyBytes.npy(1, NpyBytes.dict("<f4", false, "(" + n + ", 2)"), values.array()));
            int count = r.nextBoolean() ? n : size(r);
            byte[] header = NpyBytes.npy(1, NpyBytes.dict("<i8", false, "(" + count + ",)"), new byte[0]);
            return new Bomb("labels.npy", header, "", ReadOptions.defaults()).labelling(data);
        });
    }

    /** A size for a header: one to two billion, spread over the orders of magnitude. */
    static int size(SplittableRandom r) {
        return (int) Math.min(Integer.MAX_VALUE, Math.round(Math.pow(10, r.nextDouble(0, 9.4))));
    }

    /**
     * What a try reads: the bomb file (named {@code fileName}, starting with {@code start} and
     * going on with {@code repeated}); with {@code data} set, the bomb is the labels file of that
     * small valid data file.
     */
    record Bomb(String fileName, byte[] start, String repeated, ReadOptions options, Path data) {
        Bomb(String fileName, String start, String repeated, ReadOptions options) {
            this(fileName, start.getBytes(StandardCharsets.UTF_8), repeated, options, null);
        }

        Bomb(String fileName, byte[] start, String repeated, ReadOptions options) {
            this(fileName, start, repeated, options, null);
        }

        Bomb labelling(Path dataFile) {
            return new Bomb(fileName, start, repeated, options, dataFile);
        }
    }

    private static void bombs(String property, Function<SplittableRandom, Bomb> draw) {
        FuzzHarness.forAll(property, tries(), r -> input(draw.apply(r), units(r)));
    }

    private static Input input(Bomb b, int units) {
        byte[] bytes = Bombs.gzip(b.start, b.repeated, units);
        Path file = write(b.fileName + ".gz", bytes);
        ReadOptions options = b.data == null ? b.options : b.options.withLabelsFile(file);
        Path read = b.data == null ? file : b.data;
        String description = b.fileName + ".gz: " + printable(new String(b.start, StandardCharsets.ISO_8859_1)) + " then "
                + units + " × " + (Bombs.UNIT >> 20) + " MiB of " + (b.repeated.isEmpty() ? "zeros" : "'" + printable(b.repeated) + "'")
                + " (" + bytes.length + " bytes compressed)";
        return Input.bomb(description, bytes, file.getFileName().toString(), () -> Readers.read(read, options, LIMITS),
                ALLOWED_ALLOCATION, bytes.length / 4);
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replace("\n", "\\n").replace("\t", "\\t").replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
