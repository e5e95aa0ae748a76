package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirClusteringModel;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.ReservoirViews;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;
import org.rnnclust.metrics.ClusteringScores;
import picocli.CommandLine;

/**
 * train's default representation, the reservoir: the library's clusters and embeddings, a model
 * file that cluster and embed apply, and the other representation's flags refused.
 */
class TrainReservoirCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Dataset train;
    Dataset test;
    Path trainFile;
    Path testFile;

    @BeforeEach
    void data() throws IOException {
        train = Cbf.generate(10, 40, 5);
        test = Cbf.generate(8, 40, 6);
        trainFile = TrainCommandTest.writeUcr(train, tmp.resolve("train.tsv"));
        testFile = TrainCommandTest.writeUcr(test, tmp.resolve("test.tsv"));
    }

    @Test
    void theDefaultIsTheLibrarysReservoirClusteringAndItsModelAppliesAgain() throws IOException {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", trainFile.toString(), "--test", testFile.toString(), "--out",
                out.toString(), "--reservoir-units", "30", "--members", "2", "--seed", "3", "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("rnn-esn", metrics.get("method").asText());
        assertEquals(2, metrics.get("reservoirs").asInt());
        assertEquals(30, metrics.get("units").asInt());
        int[] written = TrainCommandTest.clusters(out.resolve("assignments.csv"));

        // The same fit through the library, from the files as read (values rounded to 5 decimals).
        ReservoirSettings d = ReservoirSettings.defaults();
        ReservoirSettings settings = new ReservoirSettings(30, d.spectralRadius(), d.inputScaling(), d.density(), true,
                d.components(), d.ridge(), d.maxSteps(), PcaSettings.defaults(), 2, d.views());
        Dataset trainRead = org.rnnclust.data.read.Readers.read(trainFile, org.rnnclust.data.read.ReadOptions.defaults());
        Dataset testRead = org.rnnclust.data.read.Readers.read(testFile, org.rnnclust.data.read.ReadOptions.defaults());
        try (Device cpu = Device.open(DeviceOptions.of("cpu"));
             ReservoirClusteringModel model = ReservoirClusterer.builder().settings(settings).seed(3).build()
                     .fit(cpu, trainRead)) {
            int[] expected = model.predict(testRead);
            assertArrayEquals(expected, written);
            assertEquals(ClusteringScores.of(testRead.labels(), expected).nmi(), metrics.get("nmi").asDouble(), 0);

            CliRun again = CliRun.of("cluster", "--model", out.toString(), "--data", testFile.toString(), "--out",
                    tmp.resolve("again").toString(), "--device", "cpu");
            assertEquals(0, again.exitCode(), again.err());
            assertArrayEquals(written, TrainCommandTest.clusters(tmp.resolve("again/assignments.csv")));

            Path npy = tmp.resolve("e.npy");
            CliRun embed = CliRun.of("embed", "--model", out.toString(), "--data", testFile.toString(), "--out",
                    npy.toString(), "--device", "cpu");
            assertEquals(0, embed.exitCode(), embed.err());
            NpyArray e = Npy.read(npy);
            assertArrayEquals(new int[] {testRead.size(), model.latent()}, e.shape());
            assertArrayEquals(model.embed(testRead), e.data());
        }
    }

    /** The flags' defaults are the library's. */
    @Test
    void withoutFlagsTheSettingsAreTheLibrarysDefaults() {
        ReservoirMixin flags = new ReservoirMixin();
        new CommandLine(flags).parseArgs();
        assertEquals(ReservoirSettings.defaults(), flags.settings(ReservoirSettings.DEFAULT_MEMBERS));
        // Each view can be turned off: one value of steps for all, no difference channel.
        ReservoirMixin plain = new ReservoirMixin();
        new CommandLine(plain).parseArgs("--reservoir-steps", "64", "--no-reservoir-differences");
        ReservoirSettings p = plain.settings(ReservoirSettings.DEFAULT_MEMBERS);
        assertEquals(ReservoirViews.NONE, p.views());
        assertEquals(64, p.maxSteps());
        ReservoirMixin on = new ReservoirMixin();
        new CommandLine(on).parseArgs("--reservoir-differences");
        assertTrue(on.settings(1).views().differences(), "the flag turns the difference channel on");
    }

    /** The views' flags reach the fit and the model file: cluster applies them as the library does. */
    @Test
    void severalStepsAndTheDifferenceChannelReachTheModelFile() throws IOException {
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", trainFile.toString(), "--out", out.toString(), "--reservoir-units",
                "30", "--members", "3", "--reservoir-steps", "20,40,0", "--reservoir-differences", "--seed", "4",
                "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        int[] written = TrainCommandTest.clusters(out.resolve("assignments.csv"));
        ReservoirSettings d = ReservoirSettings.defaults();
        ReservoirSettings settings = new ReservoirSettings(30, d.spectralRadius(), d.inputScaling(), d.density(), true,
                d.components(), d.ridge(), d.maxSteps(), PcaSettings.defaults(), 3,
                new ReservoirViews(true, List.of(20, 40, 0), 0));
        Dataset trainRead = org.rnnclust.data.read.Readers.read(trainFile, org.rnnclust.data.read.ReadOptions.defaults());
        try (Device cpu = Device.open(DeviceOptions.of("cpu"));
             ReservoirClusteringModel model = ReservoirClusterer.builder().settings(settings).seed(4).build()
                     .fit(cpu, trainRead)) {
            assertArrayEquals(model.predict(trainRead), written);
            assertEquals(settings, ReservoirClusteringModel.load(out).settings());
            CliRun again = CliRun.of("cluster", "--model", out.toString(), "--data", testFile.toString(), "--out",
                    tmp.resolve("again").toString(), "--device", "cpu");
            assertEquals(0, again.exitCode(), again.err());
            Dataset testRead = org.rnnclust.data.read.Readers.read(testFile, org.rnnclust.data.read.ReadOptions.defaults());
            assertArrayEquals(model.predict(testRead), TrainCommandTest.clusters(tmp.resolve("again/assignments.csv")));
        }
    }

    @Test
    void theOtherRepresentationsFlagsAreRefusedWithOneLineAndNothingWritten() {
        String[][] cases = {
            {"--epochs", "3"},
            {"--refine", "idec"},
            {"--cluster-init", "spectral"},
            {"--representation", "autoencoder", "--reservoir-units", "20"},
            {"--representation", "autoencoder", "--reservoir-forward-only"},
            {"--representation", "lstm"},
            {"--members", "0"},
            {"--reservoir-radius", "-1"},
            {"--reservoir-steps", "32,-1"},
        };
        for (String[] flags : cases) {
            Path out = tmp.resolve("x");
            String[] args = new String[flags.length + 5];
            System.arraycopy(new String[] {"train", "--data", trainFile.toString(), "--out", out.toString()}, 0, args, 0, 5);
            System.arraycopy(flags, 0, args, 5, flags.length);
            CliRun run = CliRun.of(args);
            String what = String.join(" ", flags);
            assertEquals(2, run.exitCode(), what + ": " + run.err());
            assertEquals(1, run.errLines(), what + ": " + run.err());
            assertTrue(run.err().contains(flags[flags.length > 2 ? 2 : 0]) || run.err().contains(flags[flags.length - 1]),
                    what + ": " + run.err());
            assertFalse(Files.exists(out), what + " wrote " + out);
        }
    }

    /** --refine none asks for what the reservoir does anyway: accepted, with the same clusters as without it. */
    @Test
    void refineNoneIsAcceptedWithTheReservoir() throws IOException {
        Path plain = tmp.resolve("plain");
        Path none = tmp.resolve("none");
        String[] common = {"train", "--data", trainFile.toString(), "--reservoir-units", "20", "--members", "1"};
        CliRun a = CliRun.of(concat(common, "--out", plain.toString()));
        CliRun b = CliRun.of(concat(common, "--refine", "none", "--out", none.toString()));
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(0, b.exitCode(), b.err());
        assertEquals(Files.readString(plain.resolve("assignments.csv")), Files.readString(none.resolve("assignments.csv")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void oneTrainingSequenceIsRefusedWithOneLine() throws IOException {
        Path one = tmp.resolve("one.tsv");
        Files.writeString(one, "1\t0.1\t0.2\t0.3\t0.5\n");
        CliRun run = CliRun.of("train", "--data", one.toString(), "--k", "1", "--out", tmp.resolve("x").toString(),
                "--device", "cpu");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("at least 2 training sequences"), run.err());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void unlabelledDataNeedOnlyTheNumberOfClusters() throws IOException {
        // The training file's series (as read: 5 decimals) without their labels, as an N × T array.
        Dataset read = org.rnnclust.data.read.Readers.read(trainFile, org.rnnclust.data.read.ReadOptions.defaults());
        int n = read.size();
        int t = read.length(0);
        float[] values = new float[n * t];
        for (int i = 0; i < n; i++) System.arraycopy(read.series(i), 0, values, i * t, t);
        Path npy = tmp.resolve("unlabelled.npy");
        Npy.write(npy, new NpyArray(new int[] {n, t}, values));
        CliRun refused = CliRun.of("train", "--data", npy.toString(), "--out", tmp.resolve("x").toString(), "--device",
                "cpu");
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("no labels") && refused.err().contains("--k"), refused.err());
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", npy.toString(), "--k", "3", "--reservoir-units", "30", "--members", "2",
                "--seed", "3", "--out", out.toString(), "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertFalse(metrics.has("nmi"), "no labels, no scores");
        // The same clusters as with the labelled file: labels play no part in the fit.
        CliRun labelled = CliRun.of("train", "--data", trainFile.toString(), "--k", "3", "--reservoir-units", "30",
                "--members", "2", "--seed", "3", "--out", tmp.resolve("labelled").toString(), "--device", "cpu");
        assertEquals(0, labelled.exitCode(), labelled.err());
        int[] a = TrainCommandTest.clusters(out.resolve("assignments.csv"));
        int[] b = TrainCommandTest.clusters(tmp.resolve("labelled/assignments.csv"));
        assertEquals(ClusteringScores.of(a, b).ari(), 1.0, 1e-12, "the same partition");
    }
}
