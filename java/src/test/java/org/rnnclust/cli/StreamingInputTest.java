package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.io.Npy;
import org.rnnclust.testing.RelativeError;

/**
 * embed and cluster read an .npy (or .npy.gz) or IDX data in chunks of --chunk-rows sequences, and
 * embed writes the embeddings as they come: the file holds the embeddings of the whole dataset read at once (the same bits in
 * the deterministic mode, to float32's last bits otherwise), whatever the chunk size (one, several
 * with a short last one, more than the file, automatic); a damaged input leaves no output, not
 * even a partial one. cluster's assignments.csv holds the whole dataset's clusters and its
 * inertia their sum, and a damaged input leaves the folder's previous files as they were.
 */
class StreamingInputTest {
    @TempDir Path tmp;

    /**
     * train --sample N: a streamed .npy gives the rows RowSample.sorted draws from the whole file
     * with the seed (labels from the labels file alike), a streamed UCR file a uniform reservoir
     * sample with its labels, and the model trained on the sample is the one trained on a file of
     * exactly those rows.
     */
    @Test
    void aSampleIsTheSeededRowsOfTheWholeFileAndTrainsTheSameModel() throws IOException {
        Dataset data = Cbf.generate(35, 40, 9);  // 105 labelled series
        int n = data.size();
        float[] values = new float[n * 40];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.series(i), 0, values, i * 40, 40);
            labels[i] = data.labels()[i] + 1;
        }
        Path npy = tmp.resolve("all.npy");
        Npy.write(npy, new NpyArray(new int[] {n, 40}, values));
        Path labelsFile = tmp.resolve("labels.npy");
        Npy.write(labelsFile, NpyArray.of(labels));
        int[] rows = org.rnnclust.data.RowSample.sorted(n, 20, new java.util.SplittableRandom(4));
        Dataset whole = Readers.read(npy, ReadOptions.defaults().withLabelsFile(labelsFile));
        Dataset sample = Readers.sample(npy, ReadOptions.defaults().withLabelsFile(labelsFile), 20, 4);
        assertEquals(20, sample.size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(whole.series(rows[i]), sample.series(i));
            assertEquals(whole.labelNames().get(whole.labels()[rows[i]]), sample.labelNames().get(sample.labels()[i]));
        }
        assertEquals(n, Readers.sample(npy, ReadOptions.defaults(), 1000, 4).size(), "a sample larger than the file is all of it");
        // A UCR file: reservoir sampling as the lines go by. Each sampled row is a row of the file, in
        // the file's order, with its label; over 500 seeds every row is drawn about 20/105 of the time.
        Path text = TrainCommandTest.writeUcr(data, tmp.resolve("all.tsv"));
        Dataset wholeText = Readers.read(text, ReadOptions.defaults());
        int[] drawn = new int[n];
        for (int seed = 0; seed < 500; seed++) {
            Dataset fromText = Readers.sample(text, ReadOptions.defaults(), 20, seed);
            assertEquals(20, fromText.size());
            int previous = -1;
            for (int i = 0; i < 20; i++) {
                int row = indexOf(wholeText, fromText.series(i));
                assertTrue(row > previous, "in the file's order");
                assertEquals(wholeText.labelNames().get(wholeText.labels()[row]), fromText.labelNames().get(fromText.labels()[i]));
                drawn[row]++;
                previous = row;
            }
        }
        for (int row = 0; row < n; row++) {
            assertTrue(drawn[row] > 0.6 * 500 * 20 / n && drawn[row] < 1.4 * 500 * 20 / n, "row " + row + " drawn " + drawn[row] + " times");
        }
        assertEquals(n, Readers.sample(text, ReadOptions.defaults(), 1000, 4).size());

        float[] picked = new float[20 * 40];
        for (int i = 0; i < 20; i++) System.arraycopy(values, rows[i] * 40, picked, i * 40, 40);
        Path only = tmp.resolve("only.npy");
        Npy.write(only, new NpyArray(new int[] {20, 40}, picked));
        String[] flags = {"--k", "3", "--reservoir-units", "20", "--members", "2", "--seed", "4", "--device", "cpu"};
        CliRun sampled = CliRun.of(concat(new String[] {"train", "--data", npy.toString(), "--sample", "20", "--out",
                tmp.resolve("sampled").toString()}, flags));
        assertEquals(0, sampled.exitCode(), sampled.err());
        CliRun direct = CliRun.of(concat(new String[] {"train", "--data", only.toString(), "--out",
                tmp.resolve("direct").toString()}, flags));
        assertEquals(0, direct.exitCode(), direct.err());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("direct/assignments.csv")),
                Files.readAllBytes(tmp.resolve("sampled/assignments.csv")));
        try (ClusteringModel a = ClusteringModel.load(tmp.resolve("sampled")); ClusteringModel b = ClusteringModel.load(tmp.resolve("direct"));
             Device cpu = Device.open("cpu")) {
            assertArrayEquals(b.on(cpu).embed(whole), a.on(cpu).embed(whole), 0f, "the same model");
        }
        CliRun negative = CliRun.of("train", "--data", npy.toString(), "--sample", "-1", "--out", tmp.resolve("x").toString());
        assertEquals(Main.EXIT_BAD_INPUT, negative.exitCode());
        assertTrue(negative.err().contains("--sample must be >= 0"), negative.err());
    }

    /** A model of two 30-unit reservoirs trained by the CLI on 30 CBF series, in tmp/name ({@code extra}: more flags). */
    private Path smallModel(String name, String... extra) throws IOException {
        Path trainFile = TrainCommandTest.writeUcr(Cbf.generate(10, 40, 5), tmp.resolve(name + "-train.tsv"));
        Path run = tmp.resolve(name);
        CliRun trained = CliRun.of(concat(new String[] {"train", "--data", trainFile.toString(), "--out", run.toString(),
                "--reservoir-units", "30", "--members", "2", "--seed", "3", "--device", "cpu"}, extra));
        assertEquals(0, trained.exitCode(), trained.err());
        return run;
    }

    private static int indexOf(Dataset d, float[] series) {
        for (int i = 0; i < d.size(); i++) if (java.util.Arrays.equals(d.series(i), series)) return i;
        throw new AssertionError("not a row of the file");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void chunkedClustersAreTheWholeDatasetsAndAFailedReadKeepsThePreviousFiles() throws IOException {
        Path run = smallModel("run", "--deterministic");
        Dataset data = Cbf.generate(103, 40, 7);
        float[] values = new float[103 * 40];
        for (int i = 0; i < 103; i++) System.arraycopy(data.series(i), 0, values, i * 40, 40);
        Path npy = tmp.resolve("data.npy");
        Npy.write(npy, new NpyArray(new int[] {103, 40}, values));
        int[] whole;
        double inertia;
        try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
            var a = model.on(cpu).assign(Readers.read(npy, ReadOptions.defaults()));
            whole = a.labels();
            inertia = a.inertia();
        }
        Path out = tmp.resolve("clusters");
        Path idx = idx("data.idx", values, 103, 40);
        for (String rows : new String[] {"1", "10", "0", "idx:7"}) {
            Path input = rows.startsWith("idx:") ? idx : npy;
            rows = rows.replace("idx:", "");
            CliRun cluster = CliRun.of("cluster", "--model", run.toString(), "--data", input.toString(), "--out",
                    out.toString(), "--chunk-rows", rows, "--device", "cpu", "--deterministic");
            assertEquals(0, cluster.exitCode(), cluster.err());
            assertTrue(cluster.out().contains("read in chunks"), cluster.out());
            assertArrayEquals(whole, TrainCommandTest.clusters(out.resolve("assignments.csv")),
                    input.getFileName() + " in chunks of " + rows);
            var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("metrics.json").toFile());
            assertEquals(103, metrics.get("n").asInt());
            assertEquals(inertia, metrics.get("inertia").asDouble(), 1e-9 * inertia, "the chunks' inertias add up");
        }
        byte[] before = Files.readAllBytes(out.resolve("assignments.csv"));
        byte[] bytes = Files.readAllBytes(npy);
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4 * 40 * 30));
        CliRun failed = CliRun.of("cluster", "--model", run.toString(), "--data", cut.toString(), "--out", out.toString(),
                "--chunk-rows", "10", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains("cut.npy: truncated"), failed.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("assignments.csv")), "the previous files stay");
        try (var left = Files.list(out)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith(".staging")), "no staging folder left");
        }
    }

    /** The n × steps values as IDX data: big-endian float32 (type 0x0D), two dimensions. */
    private Path idx(String name, float[] values, int n, int steps) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(12 + 4 * values.length);
        bytes.putInt(0x00000D02).putInt(n).putInt(steps);
        for (float v : values) bytes.putFloat(v);
        return Files.write(tmp.resolve(name), bytes.array());
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    @Test
    void chunkedEmbeddingsEqualTheWholeDatasetsAndAFailedReadLeavesNothing() throws IOException {
        Path run = smallModel("run");

        Dataset data = Cbf.generate(103, 40, 7);
        float[] values = new float[103 * 40];
        for (int i = 0; i < 103; i++) System.arraycopy(data.series(i), 0, values, i * 40, 40);
        Path npy = tmp.resolve("data.npy");
        Npy.write(npy, new NpyArray(new int[] {103, 40}, values));
        Path gz = tmp.resolve("data.npy.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(npy));
        }
        Path idx = idx("data.idx", values, 103, 40);
        float[] whole;
        int latent;
        try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.of("cpu"))) {
            whole = model.on(cpu).embed(Readers.read(npy, ReadOptions.defaults()));
            latent = model.latent();
        }
        float[] wholeDeterministic;
        try (ClusteringModel model = ClusteringModel.load(run);
             Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
            wholeDeterministic = model.on(cpu).embed(Readers.read(npy, ReadOptions.defaults()));
        }
        for (Path input : new Path[] {npy, gz, idx}) {
            for (String rows : new String[] {"1", "10", "103", "500", "0"}) {
                Path out = tmp.resolve("e-" + input.getFileName() + "-" + rows + ".npy");
                CliRun embed = CliRun.of("embed", "--model", run.toString(), "--data", input.toString(), "--out",
                        out.toString(), "--chunk-rows", rows, "--device", "cpu");
                assertEquals(0, embed.exitCode(), embed.err());
                NpyArray e = Npy.read(out);
                assertArrayEquals(new int[] {103, latent}, e.shape());
                // OpenBLAS may round a product's row differently with other rows beside it (another kernel
                // for a single row): the same function, to float32's last bits.
                RelativeError.check(input.getFileName() + " in chunks of " + rows, e.data(), toDouble(whole), 1e-6);
                // The deterministic mode's products do not depend on the rows beside: the same bits.
                CliRun det = CliRun.of("embed", "--model", run.toString(), "--data", input.toString(), "--out",
                        out.toString(), "--chunk-rows", rows, "--device", "cpu", "--deterministic");
                assertEquals(0, det.exitCode(), det.err());
                assertArrayEquals(wholeDeterministic, Npy.read(out).data(), input.getFileName() + ", deterministic, " + rows);
            }
        }

        // A Fortran-order array (rows not contiguous) is read whole and embedded alike.
        float[] fortran = new float[103 * 40];
        for (int i = 0; i < 103; i++) {
            for (int t = 0; t < 40; t++) fortran[t * 103 + i] = values[i * 40 + t];
        }
        Path fortranFile = tmp.resolve("fortran.npy");
        byte[] header = org.rnnclust.data.npy.NpyFormat.float32Header(new int[] {103, 40});
        String text = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("'fortran_order': False", "'fortran_order': True ");
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(4 * fortran.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(fortran);
        try (OutputStream o = Files.newOutputStream(fortranFile)) {
            o.write(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            o.write(body.array());
        }
        Path fortranOut = tmp.resolve("e-fortran.npy");
        CliRun fromFortran = CliRun.of("embed", "--model", run.toString(), "--data", fortranFile.toString(), "--out",
                fortranOut.toString(), "--chunk-rows", "10", "--device", "cpu", "--deterministic");
        assertEquals(0, fromFortran.exitCode(), fromFortran.err());
        assertArrayEquals(wholeDeterministic, Npy.read(fortranOut).data());

        // Cut off in the middle of a chunk: one line, exit 2, and no file (nor a temporary one) left.
        byte[] bytes = Files.readAllBytes(npy);
        Path cut = tmp.resolve("cut.npy");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 4 * 40 * 30));
        Path out = tmp.resolve("dir/e.npy");
        Files.createDirectories(out.getParent());
        CliRun failed = CliRun.of("embed", "--model", run.toString(), "--data", cut.toString(), "--out", out.toString(),
                "--chunk-rows", "10", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains("cut.npy: truncated"), failed.err());
        assertEquals(1, failed.err().strip().lines().filter(l -> l.startsWith("rnnclust:")).count(), failed.err());
        try (var left = Files.list(out.getParent())) {
            assertFalse(left.findAny().isPresent(), "nothing may be left");
        }

        CliRun negative = CliRun.of("embed", "--model", run.toString(), "--data", npy.toString(), "--out",
                tmp.resolve("z.npy").toString(), "--chunk-rows", "-1", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, negative.exitCode(), negative.err());
        assertFalse(Files.exists(tmp.resolve("z.npy")));
    }

    /**
     * embed streams a UCR file (plain or .gz, series of different lengths) line by line: the .npy it
     * writes, whose row count is known only at the end, has the right header and the whole file's
     * embeddings bit for bit in the deterministic mode, whatever the chunk; a bad line leaves nothing.
     */
    @Test
    void aUcrFileIsEmbeddedLineByLineAndItsHeaderPatched() throws IOException {
        Path run = smallModel("ucr-run");
        Dataset data = Cbf.generate(41, 48, 8);  // 123 series
        int n = data.size();
        float[][] ragged = new float[data.size()][];
        for (int i = 0; i < ragged.length; i++) ragged[i] = java.util.Arrays.copyOf(data.series(i), 30 + i % 19);
        Path ucr = TrainCommandTest.writeUcr(data.withSeries(ragged), tmp.resolve("ragged.tsv"));
        Path gz = tmp.resolve("ragged.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(ucr));
        }
        float[] whole;
        int latent;
        try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
            whole = model.on(cpu).embed(Readers.read(ucr, ReadOptions.defaults()));
            latent = model.latent();
        }
        for (Path input : new Path[] {ucr, gz}) {
            for (String rows : new String[] {"1", "7", "123", "0"}) {
                Path out = tmp.resolve("u-" + input.getFileName() + "-" + rows + ".npy");
                CliRun embed = CliRun.of("embed", "--model", run.toString(), "--data", input.toString(), "--out",
                        out.toString(), "--chunk-rows", rows, "--device", "cpu", "--deterministic");
                assertEquals(0, embed.exitCode(), embed.err());
                assertTrue(embed.out().contains(n + " × " + latent), embed.out());
                NpyArray e = Npy.read(out);
                assertArrayEquals(new int[] {n, latent}, e.shape());
                assertArrayEquals(whole, e.data(), input.getFileName() + " in chunks of " + rows);
                assertEquals(0, (Files.size(out) - 4L * n * latent) % 64, "the patched header keeps its 64-byte alignment");
            }
        }
        Path bad = tmp.resolve("bad.tsv");
        Files.writeString(bad, Files.readString(ucr) + "1\t0.5\tnot-a-number\n");
        Path out = tmp.resolve("bad-dir/e.npy");
        Files.createDirectories(out.getParent());
        CliRun failed = CliRun.of("embed", "--model", run.toString(), "--data", bad.toString(), "--out", out.toString(),
                "--chunk-rows", "5", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains("line " + (n + 1)), failed.err());
        try (var left = Files.list(out.getParent())) {
            assertFalse(left.findAny().isPresent(), "nothing may be left");
        }
    }

    /**
     * embed streams a .ts file (unequal lengths, labelled; plain and .gz), a CSV file (with a header)
     * and an ARFF file: the .npy it writes is, bit for bit in the deterministic mode, the whole file's
     * embeddings, whatever the chunk; a malformed line in the middle of a streamed .ts file stops it
     * with exit 2 and one line naming the file and the line, after chunks were embedded, and leaves
     * nothing.
     */
    @Test
    void tsCsvAndArffFilesAreEmbeddedInChunksAsWhole() throws IOException {
        Path run = smallModel("text-run");
        Dataset data = Cbf.generate(41, 48, 8);  // 123 series
        int n = data.size();
        float[][] ragged = new float[n][];
        for (int i = 0; i < n; i++) ragged[i] = java.util.Arrays.copyOf(data.series(i), 30 + i % 19);
        Path ts = writeTs(data.withSeries(ragged), tmp.resolve("ragged.ts"));
        Path tsGz = tmp.resolve("ragged.ts.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tsGz))) {
            out.write(Files.readAllBytes(ts));
        }
        StringBuilder csv = new StringBuilder();
        for (int t = 0; t < 48; t++) csv.append(t > 0 ? "," : "").append("t").append(t);
        StringBuilder arff = new StringBuilder("@relation cbf\n");
        for (int t = 0; t < 48; t++) arff.append("@attribute t").append(t).append(" numeric\n");
        arff.append("@attribute class {").append(String.join(",", data.labelNames())).append("}\n@data\n");
        for (int i = 0; i < n; i++) {
            csv.append('\n');
            for (int t = 0; t < 48; t++) {
                String v = String.format(java.util.Locale.ROOT, "%.5f", data.series(i)[t]);
                csv.append(t > 0 ? "," : "").append(v);
                arff.append(v).append(',');
            }
            arff.append(data.labelNames().get(data.labels()[i])).append('\n');
        }
        Path csvFile = Files.writeString(tmp.resolve("cbf.csv"), csv.append('\n'));
        Path arffFile = Files.writeString(tmp.resolve("cbf.arff"), arff);
        int latent = 0;
        for (Path input : new Path[] {ts, tsGz, csvFile, arffFile}) {
            Dataset whole = Readers.read(input, ReadOptions.defaults());
            assertEquals(n, whole.size());
            float[] expected;
            try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
                expected = model.on(cpu).embed(whole);
                latent = model.latent();
            }
            for (String rows : new String[] {"1", "7", "0"}) {
                Path out = tmp.resolve("t-" + input.getFileName() + "-" + rows + ".npy");
                CliRun embed = CliRun.of("embed", "--model", run.toString(), "--data", input.toString(), "--out",
                        out.toString(), "--chunk-rows", rows, "--device", "cpu", "--deterministic");
                assertEquals(0, embed.exitCode(), embed.err());
                NpyArray e = Npy.read(out);
                assertArrayEquals(new int[] {n, latent}, e.shape());
                assertArrayEquals(expected, e.data(), input.getFileName() + " in chunks of " + rows);
            }
        }

        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(ts));
        int badLine = lines.size() - 40;  // a case two thirds in: chunks of 5 before it were embedded
        assertTrue(lines.get(badLine).contains(","), lines.get(badLine));
        lines.set(badLine, lines.get(badLine).replaceFirst(",", ",x1,"));
        Path bad = tmp.resolve("bad.ts");
        Files.write(bad, lines);
        Path out = tmp.resolve("bad-ts/e.npy");
        Files.createDirectories(out.getParent());
        CliRun failed = CliRun.of("embed", "--model", run.toString(), "--data", bad.toString(), "--out", out.toString(),
                "--chunk-rows", "5", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, failed.exitCode(), failed.err());
        assertTrue(failed.err().contains(bad + ": line " + (badLine + 1) + ": "), failed.err());
        assertTrue(failed.err().contains("not a number: 'x1'"), failed.err());
        assertEquals(1, failed.err().strip().lines().filter(l -> l.startsWith("rnnclust:")).count(), failed.err());
        try (var left = Files.list(out.getParent())) {
            assertFalse(left.findAny().isPresent(), "nothing may be left");
        }
    }

    /**
     * cluster streams a labelled text file (.ts with unequal lengths and declared classes, plain and
     * .gz; UCR with numeric labels): whatever the chunk, assignments.csv is, byte for byte, the file
     * that the whole read's clusters and labels make, and metrics.json holds the whole read's ACC,
     * NMI and ARI and its label-free scores (fewer sequences than the sample: all of them, in order).
     */
    @Test
    void labelledTextFilesAreClusteredInChunksWithTheWholeReadsScores() throws IOException {
        Path run = smallModel("labelled-run", "--deterministic");
        Dataset data = Cbf.generate(41, 48, 9);
        int n = data.size();
        float[][] ragged = new float[n][];
        for (int i = 0; i < n; i++) ragged[i] = java.util.Arrays.copyOf(data.series(i), 30 + i % 19);
        Path ts = writeTs(data.withSeries(ragged), tmp.resolve("labelled.ts"));
        Path tsGz = tmp.resolve("labelled.ts.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tsGz))) {
            out.write(Files.readAllBytes(ts));
        }
        Path ucr = TrainCommandTest.writeUcr(data, tmp.resolve("labelled.tsv"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Path input : new Path[] {ts, tsGz, ucr}) {
            Dataset whole = Readers.read(input, ReadOptions.defaults());
            ClusteringModel.Embedded both;
            int latent;
            try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
                both = model.on(cpu).embedAndAssign(whole);
                latent = model.latent();
            }
            int[] clusters = both.assignment().labels();
            Path expected = tmp.resolve("expected.csv");
            org.rnnclust.io.ResultFiles.writeAssignments(expected, clusters, whole.labels(), whole.labelNames());
            var scores = org.rnnclust.metrics.ClusteringScores.of(whole.labels(), clusters);
            var internal = org.rnnclust.api.KSweep.score(both.embeddings(), n, latent, clusters, 0);
            for (String rows : new String[] {"1", "7", "0"}) {
                Path out = tmp.resolve("c-" + input.getFileName() + "-" + rows);
                CliRun cluster = CliRun.of("cluster", "--model", run.toString(), "--data", input.toString(), "--out",
                        out.toString(), "--chunk-rows", rows, "--device", "cpu", "--deterministic");
                String what = input.getFileName() + " in chunks of " + rows;
                assertEquals(0, cluster.exitCode(), cluster.err());
                assertTrue(cluster.out().contains(n + " sequences, 1 channel(s), length " + (input == ucr ? "48" : "30..48")
                        + ", 3 classes (read in chunks)"), cluster.out());
                assertEquals(Files.readString(expected), Files.readString(out.resolve("assignments.csv")), what);
                var metrics = json.readTree(out.resolve("metrics.json").toFile());
                assertEquals(n, metrics.get("n").asInt(), what);
                assertEquals(both.assignment().inertia(), metrics.get("inertia").asDouble(), 1e-9 * both.assignment().inertia(), what);
                assertEquals(scores.acc(), metrics.get("acc").asDouble(), 1e-12, what);
                assertEquals(scores.nmi(), metrics.get("nmi").asDouble(), 1e-12, what);
                assertEquals(scores.ari(), metrics.get("ari").asDouble(), 1e-12, what);
                assertEquals(n, metrics.get("label_free_sample").asInt(), what);
                assertEquals(internal.silhouette(), metrics.get("silhouette").asDouble(), 1e-12, what);
                assertEquals(internal.daviesBouldin(), metrics.get("davies_bouldin").asDouble(), 1e-12, what);
                assertEquals(internal.calinskiHarabasz(), metrics.get("calinski_harabasz").asDouble(),
                        1e-9 * internal.calinskiHarabasz(), what);
            }
        }
    }

    /**
     * More sequences than the label-free scores' sample: they are computed on a uniform sample of
     * 2,000 embeddings, the one Algorithm R draws from seed 0 (redone here by its definition).
     */
    @Test
    void theLabelFreeScoresOfALargerFileAreOnAReservoirSampleOfItsEmbeddings() throws IOException {
        Path run = smallModel("sampled-run", "--deterministic");
        int n = 2300;
        int steps = 24;
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        float[] values = new float[n * steps];
        for (int i = 0; i < n; i++) {
            double f = 1 + i % 3;
            for (int t = 0; t < steps; t++) values[i * steps + t] = (float) (Math.sin(f * t / 4.0) + 0.2 * r.nextGaussian());
        }
        Path npy = tmp.resolve("many.npy");
        Npy.write(npy, new NpyArray(new int[] {n, steps}, values));
        ClusteringModel.Embedded both;
        int latent;
        try (ClusteringModel model = ClusteringModel.load(run); Device cpu = Device.open(DeviceOptions.deterministicCpu())) {
            both = model.on(cpu).embedAndAssign(Readers.read(npy, ReadOptions.defaults()));
            latent = model.latent();
        }
        int m = org.rnnclust.metrics.InternalScores.SILHOUETTE_SAMPLE;
        long[] slotOf = new long[m];
        java.util.SplittableRandom draw = new java.util.SplittableRandom(0);
        int[] kept = new int[m];
        for (int i = 0; i < n; i++) {
            long slot = i < m ? i : draw.nextLong(i + 1);
            if (slot < m) kept[(int) slot] = i;
        }
        int[] rows = java.util.Arrays.stream(kept).sorted().toArray();
        float[] z = new float[m * latent];
        int[] clusters = new int[m];
        for (int j = 0; j < m; j++) {
            System.arraycopy(both.embeddings(), rows[j] * latent, z, j * latent, latent);
            clusters[j] = both.assignment().labels()[rows[j]];
        }
        var internal = org.rnnclust.api.KSweep.score(z, m, latent, clusters, 0);
        Path out = tmp.resolve("sampled");
        CliRun cluster = CliRun.of("cluster", "--model", run.toString(), "--data", npy.toString(), "--out", out.toString(),
                "--chunk-rows", "300", "--device", "cpu", "--deterministic");
        assertEquals(0, cluster.exitCode(), cluster.err());
        assertTrue(cluster.out().contains("on the embeddings of 2000 sampled"), cluster.out());
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(m, metrics.get("label_free_sample").asInt());
        assertEquals(internal.silhouette(), metrics.get("silhouette").asDouble(), 1e-12);
        assertEquals(internal.daviesBouldin(), metrics.get("davies_bouldin").asDouble(), 1e-12);
        assertArrayEquals(both.assignment().labels(), TrainCommandTest.clusters(out.resolve("assignments.csv")));
    }

    /** A sktime .ts file of univariate series (of any lengths), labelled with the dataset's class names. */
    static Path writeTs(Dataset d, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("@problemName streamed\n@univariate true\n@equalLength false\n");
        sb.append("@classLabel true ").append(String.join(" ", d.labelNames())).append("\n@data\n");
        for (int i = 0; i < d.size(); i++) {
            float[] s = d.series(i);
            for (int t = 0; t < s.length; t++) sb.append(t > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "%.5f", s[t]));
            sb.append(':').append(d.labelNames().get(d.labels()[i])).append('\n');
        }
        return Files.writeString(file, sb);
    }
}
