package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.SharedData;
import org.rnnclust.data.npy.NpyBytes;
import org.rnnclust.fuzz.Bombs;
import org.rnnclust.fuzz.ThreadIo;

/**
 * Inputs that broke the readers, through the command line: compressed bombs, a byte-order mark,
 * pipes and named pipes, data after a gzip stream, a labels file of the wrong rank. Each ends with
 * exit 0 and the same results as a plain file, or with one line and exit 2 or 4 without reading
 * the whole input.
 */
class HostileInputCommandTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir Path tmp;

    private Path cbfTrain() throws IOException {
        Path gz = SharedData.require("CBF/CBF_TRAIN.tsv.gz");
        Path plain = tmp.resolve("CBF_TRAIN.tsv");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.write(plain, in.readAllBytes());
        }
        return plain;
    }

    private CliRun kmeans(Path data, String... more) {
        List<String> args = new ArrayList<>(List.of("kmeans", "--device", "cpu", "--data", data.toString(),
                "--out", tmp.resolve("out-" + data.getFileName()).toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private String assignments(Path data) throws IOException {
        return Files.readString(tmp.resolve("out-" + data.getFileName()).resolve("assignments.csv"));
    }

    /** The run failed with {@code code}, one line naming {@code file} and containing each fragment. */
    private static void refused(CliRun run, int code, Path file, String... fragments) {
        assertEquals(code, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(file.toString()), run.err());
        for (String f : fragments) assertTrue(run.err().contains(f), () -> "lacks '" + f + "': " + run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    // ---------------------------------------------------------------- item 3: a byte-order mark

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstLabel() throws IOException {
        Path plain = cbfTrain();
        Path marked = tmp.resolve("marked.tsv");
        Files.write(marked, concat(BOM, Files.readAllBytes(plain)));
        CliRun run = kmeans(marked);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, new ObjectMapper().readTree(tmp.resolve("out-marked.tsv").resolve("metrics.json").toFile()).get("k").asInt(),
                "CBF has three classes");
        assertEquals(0, kmeans(plain).exitCode());
        assertEquals(assignments(plain), assignments(marked), "the mark changes nothing");
        assertFalse(assignments(marked).contains("\uFEFF"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.ts", "x.csv", "x.ts.gz", "x.tsv.gz"})
    void aByteOrderMarkIsSkippedByEveryTextReader(String name) throws IOException {
        String text = name.startsWith("x.ts") && !name.startsWith("x.tsv")
                ? "@problemName x\n@univariate true\n@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n"
                        + "1,2,3:a\n3,2,1:b\n1,2,4:a\n4,2,1:b\n"
                : name.startsWith("x.csv") ? "1,2,3,a\n3,2,1,b\n1,2,4,a\n4,2,1,b\n" : "a\t1\t2\t3\nb\t3\t2\t1\na\t1\t2\t4\nb\t4\t2\t1\n";
        String[] labelColumn = name.startsWith("x.csv") ? new String[] {"--label-column", "-1"} : new String[0];
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        boolean gz = name.endsWith(".gz");
        Path plain = write("plain-" + name, gz ? gzip(bytes) : bytes);
        Path marked = write("marked-" + name, gz ? gzip(concat(BOM, bytes)) : concat(BOM, bytes));
        CliRun run = kmeans(marked, labelColumn);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(0, kmeans(plain, labelColumn).exitCode());
        assertEquals(assignments(plain), assignments(marked));
    }

    // ---------------------------------------------------------------- item 11: pipes and named pipes

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aNamedPipeReadsLikeTheFile(boolean gzip) throws Exception {
        Path plain = cbfTrain();
        Path fifo = fifo("pipe-" + gzip + ".tsv");
        byte[] content = gzip ? gzip(Files.readAllBytes(plain)) : Files.readAllBytes(plain);
        Thread writer = writeLater(fifo, content);
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> kmeans(fifo));
        writer.join(10_000);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(0, kmeans(plain).exitCode());
        assertEquals(assignments(plain), assignments(fifo), "the same data through a pipe");
    }

    @Test
    void aNamedPipeWithoutWriterFailsAfterTheTimeout() throws Exception {
        Path fifo = fifo("nobody.tsv");
        String saved = System.getProperty("rnnclust.fifo.timeout-s");
        System.setProperty("rnnclust.fifo.timeout-s", "1");
        try {
            CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> kmeans(fifo));
            refused(run, 2, fifo, "no program opened this named pipe for writing within 1 s");
        } finally {
            if (saved == null) System.clearProperty("rnnclust.fifo.timeout-s");
            else System.setProperty("rnnclust.fifo.timeout-s", saved);
            try (OutputStream release = new FileOutputStream(fifo.toFile())) {
                // lets the abandoned open finish, so that no thread stays blocked
            }
        }
    }

    // ---------------------------------------------------------------- item 12: gzip tails, label ranks

    @Test
    void dataAfterTheGzipStreamIsRefusedButMembersAreRead() throws IOException {
        Path plain = cbfTrain();
        byte[] bytes = Files.readAllBytes(plain);
        byte[] gz = gzip(bytes);
        Path garbage = write("garbage.tsv.gz", concat(gz, "trailing text\n".getBytes(StandardCharsets.US_ASCII)));
        refused(kmeans(garbage), 2, garbage, "data after the end of the gzip data");
        Path zeros = write("zeros.tsv.gz", concat(gz, new byte[512]));
        refused(kmeans(zeros), 2, zeros, "data after the end of the gzip data");

        int cut = bytes.length / 3;  // mid-line: members split the bytes, not the lines
        Path members = write("members.tsv.gz", concat(gzip(Arrays.copyOf(bytes, cut)),
                gzip(Arrays.copyOfRange(bytes, cut, bytes.length))));
        CliRun run = kmeans(members);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(0, kmeans(plain).exitCode());
        assertEquals(assignments(plain), assignments(members));
    }

    @Test
    void labelsOfShapeNByOneAreRefused() {
        ByteBuffer values = ByteBuffer.allocate(8 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 24; i++) values.putFloat(i % 7);
        Path data = write("x.npy", NpyBytes.npy(1, NpyBytes.dict("<f4", false, "(8, 3)"), values.array()));
        Path labels = write("y.npy", NpyBytes.npy(1, NpyBytes.dict("<i8", false, "(8, 1)"), new byte[64]));
        refused(kmeans(data, "--labels", labels.toString()), 2, labels, "(8, 1)");
    }

    // ---------------------------------------------------------------- items 1 and 6: bombs

    @ParameterizedTest
    @ValueSource(strings = {"z.tsv.gz", "z.csv.gz", "z.ts.gz", "z.npy.gz", "z-idx3-ubyte.gz"})
    void aGzipOfZerosIsRefusedAtOnce(String name) {
        byte[] bomb = Bombs.gzip(new byte[0], "", 64);  // 1 GiB of zeros in about 1 MB
        Path file = write(name, bomb);
        long before = ThreadIo.bytesRead();
        CliRun run = kmeans(file);
        long read = ThreadIo.bytesRead() - before;
        assertTrue(run.exitCode() == 2 || run.exitCode() == 4, run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(file.toString()), run.err());
        assertReadLittle(before, read, bomb.length);
    }

    @Test
    void zerosFromADeviceAreRefusedAtOnce() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.isReadable(zero));
        CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> kmeans(zero, "--format", "ucr"));
        refused(run, 2, zero);
    }

    @Test
    void aValidHeaderOverAHugeCompressedBodyIsRefusedBeforeTheBody() {
        ByteBuffer idx = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putInt(0x0803).putInt(2_000_000).putInt(28).putInt(28);
        byte[] idxBomb = Bombs.gzip(idx.array(), "", 64);
        Path idxFile = write("big-idx3-ubyte.gz", idxBomb);
        long before = ThreadIo.bytesRead();
        CliRun run = kmeans(idxFile);
        assertReadLittle(before, ThreadIo.bytesRead() - before, idxBomb.length);
        refused(run, 4, idxFile, "2000000 items of 28×28", "heap");

        byte[] npyBomb = Bombs.gzip(NpyBytes.npy(1, NpyBytes.dict("<f4", false, "(2000000, 784)"), new byte[0]), "", 64);
        Path npyFile = write("big.npy.gz", npyBomb);
        before = ThreadIo.bytesRead();
        run = kmeans(npyFile);
        assertReadLittle(before, ThreadIo.bytesRead() - before, npyBomb.length);
        refused(run, 4, npyFile, "(2000000, 784)", "heap");
    }

    /** Less than a quarter of the file was read (skipped where the kernel does not say). */
    private static void assertReadLittle(long before, long read, long fileBytes) {
        if (before < 0) return;
        assertTrue(read < fileBytes / 4, "read " + read + " bytes of a " + fileBytes + "-byte bomb");
    }

    // ---------------------------------------------------------------- helpers

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(tmp.resolve(name), bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path fifo = tmp.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no mkfifo here: " + e.getMessage());
            throw e;
        }
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        return fifo;
    }

    /** Writes {@code content} into the named pipe from another thread, as a producer process would. */
    private static Thread writeLater(Path fifo, byte[] content) {
        Thread t = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write(content);
            } catch (IOException e) {
                // the reader went away: the test's assertions say what happened
            }
        }, "fifo-writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
