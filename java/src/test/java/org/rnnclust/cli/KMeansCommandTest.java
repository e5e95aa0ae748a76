package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.metrics.ClusteringScores;

/** The kmeans command end to end: outputs, their consistency, and bad input giving exit 2 and one line. */
class KMeansCommandTest {
    @TempDir Path tmp;

    /** Two shapes (rising ramp, falling ramp) plus noise: any sane k-means separates them. */
    Path twoShapes(String name, int perClass, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2 * perClass; i++) {
            int label = i % 2 == 0 ? 1 : -1;
            sb.append(label);
            for (int t = 0; t < 40; t++) {
                double v = label * t / 40.0 + 0.05 * rng.nextGaussian();
                sb.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        Path p = tmp.resolve(name);
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void writesAssignmentsAndMetricsThatAgree() throws IOException {
        Path train = twoShapes("train.tsv", 20, 1);
        Path test = twoShapes("test.tsv", 30, 2);
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("kmeans", "--data", train.toString(), "--test", test.toString(), "--out",
                out.toString(), "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("ACC"), run.out());

        List<String> rows = Files.readAllLines(out.resolve("assignments.csv"));
        assertEquals("index,cluster,label", rows.get(0));
        assertEquals(61, rows.size(), "one row per test sequence");
        int[] cluster = new int[60];
        int[] label = new int[60];
        for (int i = 0; i < 60; i++) {
            String[] f = rows.get(i + 1).split(",");
            assertEquals(i, Integer.parseInt(f[0]));
            cluster[i] = Integer.parseInt(f[1]);
            label[i] = f[2].equals("1") ? 0 : 1;
            assertEquals(i % 2 == 0 ? "1" : "-1", f[2], "labels as written in the file, in input order");
        }
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        ClusteringScores s = ClusteringScores.of(label, cluster);
        assertEquals(1.0, s.acc(), "two ramps are separable");
        assertEquals(s.acc(), m.get("acc").asDouble(), 1e-12);
        assertEquals(s.nmi(), m.get("nmi").asDouble(), 1e-12);
        assertEquals(s.ari(), m.get("ari").asDouble(), 1e-12);
        assertEquals(60, m.get("n").asInt());
        assertEquals(2, m.get("k").asInt(), "k defaults to the number of classes");
        assertTrue(m.get("inertia").asDouble() > 0);
        assertTrue(m.get("seconds").asDouble() > 0);
        try (var files = Files.list(out)) {
            // Beside the two results: the set's manifest and the lock file of the run, both hidden.
            assertEquals(List.of(".rnnclust-set.json", ".rnnclust.lock", "assignments.csv", "metrics.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no staging leftovers");
        }
    }

    @Test
    void unlabelledDataNeedK() throws IOException {
        Path csv = tmp.resolve("x.csv");
        Files.writeString(csv, "1,2,3\n4,5,6\n7,8,9\n");
        CliRun run = CliRun.of("kmeans", "--data", csv.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no labels, so the number of clusters must be given (flag: --k)"), run.err());
        CliRun ok = CliRun.of("kmeans", "--data", csv.toString(), "--k", "2", "--out", tmp.resolve("o").toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("index,cluster", Files.readAllLines(tmp.resolve("o/assignments.csv")).get(0));
        assertFalse(Files.readString(tmp.resolve("o/metrics.json")).contains("acc"));
    }

    /** Each malformed input: exit 2, one line naming the file and the problem, no output folder. */
    void assertRefused(Path data, String expected, String... extra) {
        Path out = tmp.resolve("refused-" + data.getFileName());
        List<String> args = new ArrayList<>(List.of("kmeans", "--data", data.toString(), "--k", "2",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), "one line: " + run.err());
        assertTrue(run.err().contains(data.getFileName().toString()), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void malformedInputsAreRefusedWithOneLine() throws IOException {
        Path missing = tmp.resolve("missing.tsv");
        Files.writeString(missing, "1\t1\t2\t3\n2\t1\tNaN\t3\n1\t0\t0\t1\n");
        assertRefused(missing, "record 2");

        Path nonNumeric = tmp.resolve("text.tsv");
        Files.writeString(nonNumeric, "1\t1\t2\n2\t1\tabc\n");
        assertRefused(nonNumeric, "line 2");

        Path empty = tmp.resolve("empty.tsv");
        Files.writeString(empty, "");
        assertRefused(empty, "empty.tsv");

        Path ragged = tmp.resolve("ragged.csv");
        Files.writeString(ragged, "1,2,3\n4,5\n6,7,8\n");
        assertRefused(ragged, "line 2");

        Path idx = tmp.resolve("images-idx3-ubyte");
        ByteBuffer header = ByteBuffer.allocate(16).putInt(2051).putInt(100).putInt(28).putInt(28);
        Files.write(idx, header.array()); // declares 100 images, holds none
        assertRefused(idx, "truncated");

        Path magic = tmp.resolve("wrong-idx3-ubyte");
        Files.write(magic, ByteBuffer.allocate(16).putInt(1234).putInt(1).putInt(2).putInt(2).array());
        assertRefused(magic, "magic");

        Path ts = tmp.resolve("bad.ts");
        Files.writeString(ts, "@problemName x\n@univariate true\n@bogusKey 3\n@classLabel true a b\n@data\n1,2,3:a\n");
        assertRefused(ts, "line 3");

        Path gz = tmp.resolve("broken.tsv.gz");
        var bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(bytes)) {
            z.write("1\t1\t2\t3\n".repeat(200).getBytes(StandardCharsets.UTF_8));
        }
        byte[] full = bytes.toByteArray();
        Files.write(gz, java.util.Arrays.copyOf(full, full.length / 2));
        assertRefused(gz, "broken.tsv.gz");
    }

    @Test
    void interpolationRepairsWhatRefuseRejects() throws IOException {
        Path p = tmp.resolve("gaps.tsv");
        Files.writeString(p, "1\t0\tNaN\t2\t3\n2\t3\t2\tNaN\t0\n1\t0\t1\t2\t3\n2\t3\t2\t1\t0\n");
        assertRefused(p, "interpolating missing values would fill it) (flag: --missing)");
        CliRun run = CliRun.of("kmeans", "--data", p.toString(), "--out", tmp.resolve("g").toString(),
                "--missing", "interpolate");
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void badUsageIsExitTwo() {
        CliRun run = CliRun.of("kmeans", "--no-such-flag");
        assertEquals(2, run.exitCode());
        // A device no machine has (DeviceSelectionTest covers cuda without a GPU, and with one).
        CliRun device = CliRun.of("demo", "--device", "tpu");
        assertEquals(2, device.exitCode());
        assertTrue(device.err().contains("device tpu: unknown device") && device.err().contains("(flag: --device)"),
                device.err());
        assertEquals(1, device.errLines(), device.err());
    }

    @Test
    void unwritableOutputFolderIsOneLine() throws IOException {
        Path train = twoShapes("t.tsv", 5, 3);
        Path blocker = tmp.resolve("file-not-folder");
        Files.writeString(blocker, "x");
        CliRun run = CliRun.of("kmeans", "--data", train.toString(), "--out", blocker.resolve("sub").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertEquals("x", Files.readString(blocker));
    }

    /**
     * kmeans --batch-size on an unlabelled .npy reads it from disk in chunks: the same partition as
     * in-memory Lloyd on separated blobs, an inertia within 1% of Lloyd's, the chunk size a memory
     * bound only; standardize takes its statistics pass; a NaN part-way leaves no output folder.
     */
    @Test
    void miniBatchOnAnUnlabelledNpyStreamsFromDisk() throws IOException {
        int n = 3_000;
        int steps = 8;
        int[] truth = new int[n];
        float[] x = org.rnnclust.testing.Blobs.labelled(n, steps, 4, 9, truth);
        Path npy = tmp.resolve("blobs.npy");
        org.rnnclust.io.Npy.write(npy, new org.rnnclust.data.npy.NpyArray(new int[] {n, steps}, x));
        Path lloydOut = tmp.resolve("lloyd");
        CliRun lloyd = CliRun.of("kmeans", "--data", npy.toString(), "--k", "4", "--normalize", "standardize",
                "--out", lloydOut.toString(), "--device", "cpu");
        assertEquals(0, lloyd.exitCode(), lloyd.err());
        JsonNode inMemory = new ObjectMapper().readTree(lloydOut.resolve("metrics.json").toFile());
        assertFalse(inMemory.has("streamed"), "without --batch-size the file is read whole");
        int[] whole = TrainCommandTest.clusters(lloydOut.resolve("assignments.csv"));
        for (String chunkRows : new String[] {"700", "0"}) {
            Path out = tmp.resolve("streamed-" + chunkRows);
            CliRun run = CliRun.of("kmeans", "--data", npy.toString(), "--k", "4", "--normalize", "standardize",
                    "--batch-size", "256", "--chunk-rows", chunkRows, "--out", out.toString(), "--device", "cpu");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("read in chunks"), run.out());
            JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            assertTrue(m.get("streamed").asBoolean());
            assertEquals("shuffled file", m.get("batches").asText(), "an uncompressed .npy is read anywhere");
            assertEquals(n, m.get("n").asInt());
            double ratio = m.get("inertia").asDouble() / inMemory.get("inertia").asDouble();
            assertTrue(ratio <= 1.01, "streamed inertia / Lloyd's = " + ratio);
            int[] streamed = TrainCommandTest.clusters(out.resolve("assignments.csv"));
            assertEquals(1.0, org.rnnclust.metrics.RandIndex.ari(whole, streamed), 1e-12, "chunks of " + chunkRows);
            assertEquals(1.0, org.rnnclust.metrics.RandIndex.ari(truth, streamed), 1e-12, "the blobs");
        }
        CliRun noK = CliRun.of("kmeans", "--data", npy.toString(), "--batch-size", "256", "--out",
                tmp.resolve("nok").toString());
        assertEquals(2, noK.exitCode(), noK.err());
        assertTrue(noK.err().contains("give --k"), noK.err());
        CliRun wholeWithChunks = CliRun.of("kmeans", "--data", npy.toString(), "--k", "4", "--chunk-rows", "100",
                "--out", tmp.resolve("whole").toString());
        assertEquals(2, wholeWithChunks.exitCode(), wholeWithChunks.err());
        assertTrue(wholeWithChunks.err().contains("--chunk-rows applies to mini-batch k-means"), wholeWithChunks.err());
        x[2_500 * steps + 3] = Float.NaN;
        Path bad = tmp.resolve("bad.npy");
        org.rnnclust.io.Npy.write(bad, new org.rnnclust.data.npy.NpyArray(new int[] {n, steps}, x));
        Path badOut = tmp.resolve("bad-out");
        CliRun refused = CliRun.of("kmeans", "--data", bad.toString(), "--k", "4", "--batch-size", "256",
                "--chunk-rows", "500", "--out", badOut.toString(), "--device", "cpu");
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("bad.npy: record 2501: missing value (NaN) at step 4"), refused.err());
        assertEquals(1, refused.errLines(), refused.err());
        assertFalse(Files.exists(badOut), "nothing half-written");
    }

    @Test
    void kMeansParallelSeedingIsRecordedAndAWrongNameRefused() throws IOException {
        Path train = twoShapes("seeding.tsv", 20, 3);
        Path out = tmp.resolve("seeding");
        CliRun run = CliRun.of("kmeans", "--data", train.toString(), "--seeding", "k-means||", "--out", out.toString(),
                "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals("k-means||", m.get("seeding").asText(), m.toString());
        assertEquals(1.0, m.get("acc").asDouble(), "two ramps are separable");

        CliRun wrong = CliRun.of("kmeans", "--data", train.toString(), "--seeding", "random", "--out",
                tmp.resolve("wrong").toString());
        assertEquals(2, wrong.exitCode(), wrong.err());
        assertEquals(1, wrong.errLines(), wrong.err());
        assertTrue(wrong.err().contains("unknown k-means seeding 'random'") && wrong.err().contains("--seeding"), wrong.err());
        assertFalse(Files.exists(tmp.resolve("wrong")), "nothing written");
    }
}
