package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.spark.cli.Main;

/** The spark-submit commands end to end in local[2]: convert, cluster, embed, kmeans, and their failures. */
class SparkCommandsTest {
    @TempDir static Path dir;
    static Path ucr;
    static Path model;

    @BeforeAll
    static void writeDataAndModel() throws IOException {
        LocalSpark.session();  // the commands then run in the tests' local[2] session
        Dataset cbf = Cbf.generate(30, 48, 21);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cbf.size(); i++) {
            text.append(cbf.labels()[i] + 1);
            for (float v : cbf.series(i)) text.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            text.append('\n');
        }
        ucr = dir.resolve("CBF_TRAIN.tsv");
        Files.writeString(ucr, text);
        ReservoirSettings small = new ReservoirSettings(30, 0.9, 0.5, 0.25, true, 5, 1.0, 24, PcaSettings.defaults(), 2);
        try (ClusteringModel m = ReservoirClusterer.builder().settings(small).clusters(3).seed(1).device("cpu").build()
                .fit(Readers.read(ucr, ReadOptions.defaults()))) {
            model = dir.resolve("model.rnnclust");
            m.save(model);
        }
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void convertThenClusterGivesTheSingleProcessClusters() {
        String table = dir.resolve("cbf.parquet").toString();
        Run convert = run("convert", "--data", ucr.toString(), "--partitions", "3", "--out", table);
        assertEquals(0, convert.code(), convert.err());
        assertTrue(convert.out().contains("90 sequences, 1 channel(s), labelled"), convert.out());

        String clustered = dir.resolve("clusters.parquet").toString();
        Run cluster = run("cluster", "--model", model.toString(), "--data", table, "--device", "cpu",
                "--chunk-rows", "8", "--out", clustered);
        assertEquals(0, cluster.code(), cluster.err());
        SparkSession spark = LocalSpark.session();
        List<Row> rows = new ArrayList<>(spark.read().parquet(clustered).collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
        int[] expected;
        Dataset data = Readers.read(ucr, ReadOptions.defaults());
        try (ClusteringModel m = ClusteringModel.load(model); org.rnnclust.api.Device cpu = org.rnnclust.api.Device.cpu()) {
            expected = m.on(cpu).predict(data);
        }
        int[] got = rows.stream().mapToInt(r -> r.getInt(r.fieldIndex("cluster"))).toArray();
        assertArrayEquals(expected, got);
        assertEquals(data.labelNames().get(data.labels()[0]), rows.get(0).getString(rows.get(0).fieldIndex("label")));

        // A signed model with its key clusters alike; with another key, or unsigned, it is refused on the driver.
        org.rnnclust.api.ModelKeys.generate(dir.resolve("keys"));
        org.rnnclust.api.ModelKeys.generate(dir.resolve("other-keys"));
        Path signed = dir.resolve("signed.rnnclust");
        try (ClusteringModel m = ClusteringModel.load(model)) {
            m.save(signed, org.rnnclust.api.ModelKeys.signingWith(dir.resolve("keys/private.pem")));
        }
        String viaSigned = dir.resolve("clusters-signed.parquet").toString();
        Run verified = run("cluster", "--model", signed.toString(), "--data", table, "--device", "cpu", "--verify-key",
                dir.resolve("keys/public.pem").toString(), "--out", viaSigned);
        assertEquals(0, verified.code(), verified.err());
        List<Row> signedRows = new ArrayList<>(spark.read().parquet(viaSigned).collectAsList());
        signedRows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
        assertArrayEquals(expected, signedRows.stream().mapToInt(r -> r.getInt(r.fieldIndex("cluster"))).toArray());
        for (Path m : new Path[] {signed, model}) {
            String never = dir.resolve("never-signed.parquet").toString();
            Run refused = run("cluster", "--model", m.toString(), "--data", table, "--device", "cpu", "--verify-key",
                    dir.resolve("other-keys/public.pem").toString(), "--out", never);
            assertEquals(2, refused.code(), refused.err());
            assertEquals(1, refused.err().strip().lines().count(), refused.err());
            assertTrue(refused.err().contains(m + ": ") && (refused.err().contains("does not verify")
                    || refused.err().contains("not signed")), refused.err());
            assertFalse(Files.exists(Path.of(never)));
        }

        Run again = run("cluster", "--model", model.toString(), "--data", table, "--out", clustered);
        assertEquals(2, again.code());
        assertTrue(again.err().strip().endsWith("already exists; choose another path or remove it"), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
    }

    @Test
    void embedThenKMeansWritesTheTableAndItsCentres() throws IOException {
        String table = dir.resolve("cbf-embed-in.parquet").toString();
        assertEquals(0, run("convert", "--data", ucr.toString(), "--out", table).code());
        String embedded = dir.resolve("embedded.parquet").toString();
        Run embed = run("embed", "--model", model.toString(), "--data", table, "--out", embedded);
        assertEquals(0, embed.code(), embed.err());
        String clustered = dir.resolve("kmeans.parquet").toString();
        Run km = run("kmeans", "--data", embedded, "--k", "3", "--seed", "2", "--out", clustered);
        assertEquals(0, km.code(), km.err());
        JsonNode centres = new ObjectMapper().readTree(Path.of(clustered, "_centres.json").toFile());
        assertEquals(3, centres.get("k").asInt());
        assertEquals(3, centres.get("centres").size());
        JsonNode provenance = centres.get("provenance");
        assertEquals(3, provenance.get("settings").get("--k").asInt());
        assertEquals("kmeans", provenance.get("command_line").get(0).asText());
        assertTrue(provenance.get("commit").asText().matches("[0-9a-f]{7,40}(-dirty)?|unknown"), provenance.toString());
        assertTrue(provenance.get("device").asText().startsWith("Spark 4."), provenance.get("device").asText());
        assertTrue(Files.readString(Path.of(clustered, "_centres.json")).endsWith("}\n"));
        List<Row> rows = LocalSpark.session().read().parquet(clustered).collectAsList();
        assertEquals(90, rows.size());
        // Every row's cluster is its nearest centre.
        for (Row r : rows) {
            List<Float> z = r.getList(r.fieldIndex("embedding"));
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double d = 0;
                for (int j = 0; j < z.size(); j++) {
                    double e = z.get(j) - centres.get("centres").get(c).get(j).asDouble();
                    d += e * e;
                }
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            assertEquals(best, r.getInt(r.fieldIndex("cluster")));
        }
    }

    @Test
    void trainOnSparkWritesAModelThatEmbedAndClusterReadOnOneMachineToo() {
        String table = dir.resolve("cbf-train.parquet").toString();
        assertEquals(0, run("convert", "--data", ucr.toString(), "--partitions", "2", "--out", table).code());
        Path out = dir.resolve("spark-run");
        Run train = run("train", "--data", table, "--k", "3", "--epochs", "2", "--hidden", "8", "--latent", "4",
                "--batch", "16", "--seed", "4", "--device", "cpu", "--out", out.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("lstm autoencoder, 2 epochs"), train.out());
        assertTrue(train.err().contains("epoch 2/2 loss"), train.err());
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("checkpoints/last.ckpt")), "the synchronous run's checkpoint");
        Run noCheckpoint = run("train", "--data", table, "--k", "3", "--resume", dir.resolve("nothing-here").toString());
        assertEquals(2, noCheckpoint.code());
        assertTrue(noCheckpoint.err().contains("no checkpoint to resume from"), noCheckpoint.err());
        Dataset data = Readers.read(ucr, ReadOptions.defaults());
        int[] single;
        try (ClusteringModel m = ClusteringModel.load(out); org.rnnclust.api.Device cpu = org.rnnclust.api.Device.cpu()) {
            assertEquals("rnn-lstm", m.method());
            assertEquals(3, m.clusters());
            single = m.on(cpu).predict(data);
        }
        String clustered = dir.resolve("spark-run-clusters.parquet").toString();
        Run cluster = run("cluster", "--model", out.toString(), "--data", table, "--device", "cpu", "--out", clustered);
        assertEquals(0, cluster.code(), cluster.err());
        List<Row> rows = new ArrayList<>(LocalSpark.session().read().parquet(clustered).collectAsList());
        rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
        assertArrayEquals(single, rows.stream().mapToInt(r -> r.getInt(r.fieldIndex("cluster"))).toArray());
        assertTrue(java.util.Arrays.stream(single).distinct().count() > 1, "the clusters are not all one");

        Run averaging = run("train", "--data", table, "--k", "3", "--epochs", "2", "--hidden", "8", "--latent", "4",
                "--batch", "16", "--mode", "averaging", "--local-steps", "2", "--device", "cpu", "--out",
                dir.resolve("averaged").toString());
        assertEquals(0, averaging.code(), averaging.err());
        assertTrue(averaging.out().contains("averaging rounds of 2 local steps"), averaging.out());
        try (ClusteringModel m = ClusteringModel.load(dir.resolve("averaged"))) {
            assertEquals("rnn-lstm", m.method());
        }

        Run again = run("train", "--data", table, "--k", "3", "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds a model"), again.err());
        Run unknown = run("train", "--data", table, "--k", "3", "--normalize", "zscore", "--out",
                dir.resolve("other").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--normalize must be znorm, standardize, minmax or none, got 'zscore'"),
                unknown.err());
    }

    /**
     * A folder given as a Hadoop URI (file:// here, hdfs:// on a cluster: the same FileSystem
     * calls): the model and the checkpoint land in it, a resume reads the checkpoint from it and
     * ends with the uninterrupted run's weights, bit for bit, and its refusals name the URI.
     */
    @Test
    void aUriFolderHoldsTheCheckpointThatAResumeContinues() throws IOException {
        String table = dir.resolve("cbf-uri.parquet").toString();
        assertEquals(0, run("convert", "--data", ucr.toString(), "--partitions", "2", "--out", table).code());
        String[] flags = {"train", "--data", table, "--k", "3", "--hidden", "8", "--latent", "4", "--batch", "16",
                "--seed", "6", "--device", "cpu"};
        Path two = dir.resolve("uri-two");
        Run first = run(concat(flags, "--epochs", "2", "--out", two.toUri().toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.isRegularFile(two.resolve("model.rnnclust")));
        assertTrue(Files.isRegularFile(two.resolve("checkpoints/last.ckpt")));
        try (var left = Files.list(two.resolve("checkpoints"))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().contains(".partial")), "no partial copy left");
        }
        // A run stopped after epoch 2: its checkpoint, without a model.
        Path stopped = dir.resolve("uri-stopped");
        Files.createDirectories(stopped.resolve("checkpoints"));
        Files.copy(two.resolve("checkpoints/last.ckpt"), stopped.resolve("checkpoints/last.ckpt"));
        String stoppedUri = stopped.toUri().toString();
        Run other = run(concat(flags, "--epochs", "3", "--lr", "0.01", "--resume", stoppedUri));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains(stoppedUri.replaceAll("/$", "") + "/checkpoints/last.ckpt"), other.err());
        assertFalse(other.err().contains("rnnclust-train-"), "the local working copy is not named: " + other.err());
        Run resumed = run(concat(flags, "--epochs", "3", "--resume", stoppedUri));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("epoch 3/3") && !resumed.err().contains("epoch 1/3"), resumed.err());
        Path three = dir.resolve("uri-three");
        Run uninterrupted = run(concat(flags, "--epochs", "3", "--out", three.toUri().toString()));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());
        var a = org.rnnclust.train.TrainedModel.load(stopped.resolve("model.rnnclust")).weights();
        var b = org.rnnclust.train.TrainedModel.load(three.resolve("model.rnnclust")).weights();
        assertEquals(b.keySet(), a.keySet());
        for (String name : b.keySet()) assertArrayEquals(b.get(name), a.get(name), name);
        Run none = run(concat(flags, "--resume", dir.resolve("uri-none").toUri().toString()));
        assertEquals(2, none.code());
        assertTrue(none.err().contains("uri-none/checkpoints/last.ckpt: no checkpoint to resume from"), none.err());
    }

    /**
     * train --sign-key signs the model file and the checkpoints: the model loads with the key's
     * public half and not with another's, and a resume with --verify-key of another key is refused
     * (one line naming the checkpoint, exit 2, nothing written) while the right key continues it.
     */
    @Test
    void trainSignsItsModelAndCheckpointsAndAResumeVerifiesThem() throws IOException {
        String table = dir.resolve("cbf-signed.parquet").toString();
        assertEquals(0, run("convert", "--data", ucr.toString(), "--partitions", "2", "--out", table).code());
        org.rnnclust.api.ModelKeys.generate(dir.resolve("train-keys"));
        org.rnnclust.api.ModelKeys.generate(dir.resolve("train-other-keys"));
        String privateKey = dir.resolve("train-keys/private.pem").toString();
        Path publicKey = dir.resolve("train-keys/public.pem");
        Path otherKey = dir.resolve("train-other-keys/public.pem");
        String[] flags = {"train", "--data", table, "--k", "3", "--hidden", "8", "--latent", "4", "--batch", "16",
                "--seed", "7", "--device", "cpu", "--sign-key", privateKey};

        Path signed = dir.resolve("signed-run");
        Run first = run(concat(flags, "--epochs", "1", "--out", signed.toString()));
        assertEquals(0, first.code(), first.err());
        try (ClusteringModel m = ClusteringModel.load(signed, org.rnnclust.api.ModelKeys.verifyingWith(publicKey))) {
            assertEquals("rnn-lstm", m.method());
        }
        org.rnnclust.InputException wrong = org.junit.jupiter.api.Assertions.assertThrows(org.rnnclust.InputException.class,
                () -> ClusteringModel.load(signed, org.rnnclust.api.ModelKeys.verifyingWith(otherKey)).close());
        assertTrue(wrong.getMessage().contains("does not verify"), wrong.getMessage());

        // The run stopped after epoch 1: its signed checkpoint, without a model.
        Path stopped = dir.resolve("signed-stopped");
        Files.createDirectories(stopped.resolve("checkpoints"));
        Files.copy(signed.resolve("checkpoints/last.ckpt"), stopped.resolve("checkpoints/last.ckpt"));
        Run refused = run(concat(flags, "--epochs", "2", "--verify-key", otherKey.toString(), "--resume", stopped.toString()));
        assertEquals(2, refused.code(), refused.err());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains(stopped.resolve("checkpoints/last.ckpt") + ": ")
                && refused.err().contains("does not verify"), refused.err());
        assertFalse(Files.exists(stopped.resolve("model.rnnclust")));

        Run resumed = run(concat(flags, "--epochs", "2", "--verify-key", publicKey.toString(), "--resume", stopped.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("epoch 2/2") && !resumed.err().contains("epoch 1/2"), resumed.err());
        try (ClusteringModel m = ClusteringModel.load(stopped, org.rnnclust.api.ModelKeys.verifyingWith(publicKey))) {
            assertEquals(3, m.clusters());
        }

        // A public key given to sign with is one line naming it, before anything is trained.
        Run badKey = run("train", "--data", table, "--k", "3", "--sign-key", publicKey.toString(), "--out",
                dir.resolve("never-trained").toString());
        assertEquals(2, badKey.code(), badKey.err());
        assertTrue(badKey.err().contains(publicKey + ": no '-----BEGIN PRIVATE KEY-----' block"), badKey.err());
        assertEquals(1, badKey.err().strip().lines().count(), badKey.err());
        assertFalse(Files.exists(dir.resolve("never-trained/model.rnnclust")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * convert of an uncompressed .npy: the executors read their own rows of it, and the table holds
     * the rows, ids and values that reading it whole gives (a gzipped one, read whole, too); a NaN
     * fails naming its sequence, and nothing is written.
     */
    @Test
    void anNpyIsConvertedByTheExecutorsToTheRowsOfTheWholeFile() throws IOException {
        int n = 1000;
        float[] values = new float[n * 6 * 2];
        for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i * 0.37);
        Path npy = dir.resolve("three-d.npy");
        org.rnnclust.io.Npy.write(npy, new org.rnnclust.data.npy.NpyArray(new int[] {n, 6, 2}, values));
        Path gz = dir.resolve("three-d.npy.gz");
        try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(Files.readAllBytes(npy));
        }
        Dataset whole = Readers.read(npy, ReadOptions.defaults());
        for (Path input : new Path[] {npy, gz}) {
            String table = dir.resolve(input.getFileName() + ".parquet").toString();
            Run convert = run("convert", "--data", input.toString(), "--partitions", "3", "--out", table);
            assertEquals(0, convert.code(), convert.err());
            assertEquals(input == npy, convert.out().contains("read by the executors"), convert.out());
            List<Row> rows = new ArrayList<>(LocalSpark.session().read().parquet(table).collectAsList());
            rows.sort(Comparator.comparingLong(r -> r.getLong(r.fieldIndex("id"))));
            assertEquals(n, rows.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, rows.get(i).getLong(0));
                float[] got = RowSequence.read(rows.get(i), SequenceColumns.defaults(), 2, false);
                assertArrayEquals(whole.series(i), got, input.getFileName() + " row " + i);
            }
        }
        values[(700 * 6 + 2) * 2 + 1] = Float.NaN;
        Path bad = dir.resolve("nan.npy");
        org.rnnclust.io.Npy.write(bad, new org.rnnclust.data.npy.NpyArray(new int[] {n, 6, 2}, values));
        String never = dir.resolve("nan-npy.parquet").toString();
        Run refused = run("convert", "--data", bad.toString(), "--partitions", "3", "--out", never);
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("nan.npy: sequence 700 has a missing value (NaN) at step 3"), refused.err());
        assertFalse(Files.exists(Path.of(never)), "nothing written");
    }

    @Test
    void aBadRowIsOneLineAndExitTwoAndNothingIsWritten() throws IOException {
        Path withNaN = dir.resolve("nan.tsv");
        Files.writeString(withNaN, Files.readString(ucr) + "1\tNaN" + "\t0.5".repeat(47) + "\n");
        String table = dir.resolve("nan.parquet").toString();
        Run kept = run("convert", "--data", withNaN.toString(), "--missing", "keep", "--out", table);
        assertEquals(0, kept.code(), kept.err());
        String out = dir.resolve("never.parquet").toString();
        Run r = run("embed", "--model", model.toString(), "--data", table, "--device", "cpu", "--out", out);
        assertEquals(2, r.code(), r.err());
        assertEquals("rnnclust: row id=90: missing value (NaN) at step 1 (the model refuses missing values, as it was trained to)",
                r.err().strip());
        assertFalse(Files.exists(Path.of(out)));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".never.parquet")), "a staging folder was left");
        }
        Run skip = run("embed", "--model", model.toString(), "--data", table, "--on-bad-row", "skip", "--out", out);
        assertEquals(0, skip.code(), skip.err());
        assertTrue(skip.out().contains("skipped 1 bad row(s)"), skip.out());
        assertEquals(90, LocalSpark.session().read().parquet(out).count());

        Run refused = run("convert", "--data", withNaN.toString(), "--out", dir.resolve("refused.parquet").toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("sequence 90 has a missing value (NaN) at step 1"), refused.err());
    }
}
