package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.SharedData;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.DtwKMeansSettings;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KShapeSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.metrics.ClusteringScores;

/**
 * The kshape and dtw-kmeans commands against the library: the same labels, inertia and scores as
 * {@link Methods#kShape} and {@link Methods#dtwKMeans} called with the same settings, seed and
 * preprocessing (the methods themselves are checked against numpy in org.rnnclust.baseline), the
 * settings recorded, and bad flags refused before any work.
 */
class TimeSeriesBaselineCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /**
     * 3 × perClass labelled series of 48 steps in the UCR format: a bump, a dip then a bump, or a
     * ramp, each at a random offset in a flat series with Gaussian noise of deviation {@code noise}
     * (the shifts are what k-Shape and DTW absorb; the patterns' height is 3).
     */
    static Path shiftedShapes(Path file, int perClass, long seed, double noise) throws IOException {
        int length = 48;
        int pattern = 12;
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 * perClass; i++) {
            int cls = i % 3;
            int offset = random.nextInt(length - pattern + 1);
            sb.append(cls + 1);
            for (int t = 0; t < length; t++) {
                double v = noise * random.nextGaussian();
                if (t >= offset && t < offset + pattern) {
                    double u = (double) (t - offset) / (pattern - 1);
                    v += 3 * switch (cls) {
                        case 0 -> Math.sin(Math.PI * u);
                        case 1 -> -Math.sin(2 * Math.PI * u);
                        default -> 2 * u - 1;
                    };
                }
                sb.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    /** What the library gives for {@code method} on the files, preprocessed as the commands' defaults do. */
    static Assignment library(ClusteringMethod method, Path train, Path test, int k, long seed) {
        Dataset trainSet = Readers.read(train, ReadOptions.defaults());
        Dataset testSet = test == null ? null : Readers.read(test, ReadOptions.defaults());
        PreparedData prepared = PreparedData.prepare(trainSet, testSet, PreprocessOptions.defaults());
        try (Device cpu = Device.open(new DeviceOptions("cpu", 0, false, 0, false));
             FittedClustering fit = method.fit(cpu, prepared.train(), k, seed)) {
            return test == null ? new Assignment(fit.trainingLabels(), fit.fitInertia()) : fit.assign(prepared.test());
        }
    }

    /** The cluster column of assignments.csv. */
    static int[] clusters(Path out) throws IOException {
        List<String> rows = Files.readAllLines(out.resolve("assignments.csv"));
        return rows.stream().skip(1).mapToInt(r -> Integer.parseInt(r.split(",")[1])).toArray();
    }

    static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Runs {@code command} with {@code flags} on train (and test, if not null) and checks its
     * outputs against {@code expected}: labels, inertia, scores, the output set; returns metrics.json.
     */
    JsonNode runAndCompare(String command, String[] flags, Path train, Path test, Assignment expected)
            throws IOException {
        Path out = tmp.resolve(command + "-" + Math.abs(Arrays.hashCode(flags)) + (test == null ? "" : "-test"));
        List<String> args = new ArrayList<>(List.of(command, "--data", train.toString(), "--device", "cpu",
                "--out", out.toString()));
        if (test != null) args.addAll(List.of("--test", test.toString()));
        args.addAll(List.of(flags));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(Main.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().contains(command) && run.out().contains("NMI"), run.out());

        int[] labels = clusters(out);
        assertArrayEquals(expected.labels(), labels, command + " " + String.join(" ", flags) + ": the library's labels");
        JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(command, m.get("method").asText());
        assertEquals(expected.inertia(), m.get("inertia").asDouble(), 1e-9 * Math.abs(expected.inertia()));
        Dataset scored = Readers.read(test != null ? test : train, ReadOptions.defaults());
        assertEquals(scored.size(), m.get("n").asInt());
        ClusteringScores s = ClusteringScores.of(scored.labels(), labels);
        assertEquals(s.acc(), m.get("acc").asDouble(), 1e-12);
        assertEquals(s.nmi(), m.get("nmi").asDouble(), 1e-12);
        assertEquals(s.ari(), m.get("ari").asDouble(), 1e-12);
        try (var files = Files.list(out)) {
            assertEquals(List.of(".rnnclust-set.json", ".rnnclust.lock", "assignments.csv", "metrics.json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the output set, no staging leftovers");
        }
        return m;
    }

    @Test
    void kshapeGivesTheLibrarysLabels() throws IOException {
        // Noisy enough that a short run ends elsewhere than the defaults' long ones.
        Path train = shiftedShapes(tmp.resolve("train.tsv"), 12, 1, 1.0);
        Path test = shiftedShapes(tmp.resolve("test.tsv"), 15, 2, 1.0);
        KShapeSettings custom = new KShapeSettings(1, 1);
        String[] flags = {"--n-init", "1", "--max-iter", "1", "--seed", "7"};

        Assignment expected = library(Methods.kShape(custom), train, test, 3, 7);
        // The flags must reach the method: on these data its defaults give other labels.
        assertFalse(Arrays.equals(expected.labels(),
                library(Methods.kShape(KShapeSettings.defaults()), train, test, 3, 7).labels()));
        JsonNode m = runAndCompare("kshape", flags, train, test, expected);
        assertEquals(3, m.get("k").asInt(), "k defaults to the number of classes");
        assertEquals(7, m.get("seed").asLong());
        assertEquals(1, m.get("n_init").asInt());
        assertEquals(1, m.get("max_iter").asInt());

        // Without --test: the fit's own clusters of --data, and its inertia.
        Assignment fitted = library(Methods.kShape(KShapeSettings.defaults()), train, null, 2, 0);
        JsonNode d = runAndCompare("kshape", new String[] {"--k", "2"}, train, null, fitted);
        assertEquals(d.get("fit_inertia").asDouble(), d.get("inertia").asDouble());
        assertEquals(KShapeSettings.DEFAULT_RESTARTS, d.get("n_init").asInt());
        assertEquals(KShapeSettings.DEFAULT_MAX_ITERATIONS, d.get("max_iter").asInt());
    }

    @Test
    void dtwKMeansGivesTheLibrarysLabels() throws IOException {
        Path train = shiftedShapes(tmp.resolve("train.tsv"), 12, 3, 0.1);
        Path test = shiftedShapes(tmp.resolve("test.tsv"), 15, 4, 0.1);
        DtwKMeansSettings custom = new DtwKMeansSettings(0.5, 2, 10, 2);
        String[] flags = {"--window", "0.5", "--n-init", "2", "--max-iter", "10", "--dba-iter", "2", "--seed", "3"};

        Assignment expected = library(Methods.dtwKMeans(custom), train, test, 3, 3);
        // The flags must reach the method: on these data its defaults give other labels.
        assertFalse(Arrays.equals(expected.labels(),
                library(Methods.dtwKMeans(DtwKMeansSettings.defaults()), train, test, 3, 3).labels()));
        JsonNode m = runAndCompare("dtw-kmeans", flags, train, test, expected);
        assertEquals(0.5, m.get("window").asDouble());
        assertEquals(3, m.get("seed").asLong());
        assertEquals(2, m.get("n_init").asInt());
        assertEquals(10, m.get("max_iter").asInt());
        assertEquals(2, m.get("dba_iter").asInt());

        Assignment fitted = library(Methods.dtwKMeans(DtwKMeansSettings.defaults()), train, null, 3, 0);
        JsonNode d = runAndCompare("dtw-kmeans", new String[] {}, train, null, fitted);
        assertEquals(d.get("fit_inertia").asDouble(), d.get("inertia").asDouble());
        assertEquals(DtwKMeansSettings.DEFAULT_WINDOW, d.get("window").asDouble());
    }

    /** CBF (UCR archive), fit on TRAIN and score TEST with the defaults, as the evaluation does. */
    @Test
    void onARealDatasetBothCommandsGiveTheLibrarysLabels() throws IOException {
        Path train = SharedData.require("CBF/CBF_TRAIN.tsv.gz");
        Path test = SharedData.require("CBF/CBF_TEST.tsv.gz");
        runAndCompare("kshape", new String[] {}, train, test,
                library(Methods.kShape(KShapeSettings.defaults()), train, test, 3, 0));
        runAndCompare("dtw-kmeans", new String[] {"--seed", "1"}, train, test,
                library(Methods.dtwKMeans(DtwKMeansSettings.defaults()), train, test, 3, 1));
    }

    @Test
    void unlabelledDataNeedK() throws IOException {
        Path labelled = shiftedShapes(tmp.resolve("l.tsv"), 4, 5, 0.1);
        StringBuilder csv = new StringBuilder();
        for (String row : Files.readAllLines(labelled)) {
            csv.append(row.substring(row.indexOf('\t') + 1).replace('\t', ',')).append('\n');
        }
        Path data = Files.writeString(tmp.resolve("x.csv"), csv);
        for (String command : new String[] {"kshape", "dtw-kmeans"}) {
            Path out = tmp.resolve("u-" + command);
            CliRun refused = CliRun.of(command, "--data", data.toString(), "--out", out.toString());
            assertEquals(Main.EXIT_BAD_INPUT, refused.exitCode(), refused.err());
            assertTrue(refused.err().contains("the number of clusters must be given (flag: --k)"), refused.err());
            assertFalse(Files.exists(out.resolve("metrics.json")));
            CliRun ok = CliRun.of(command, "--data", data.toString(), "--k", "3", "--out", out.toString());
            assertEquals(Main.EXIT_OK, ok.exitCode(), ok.err());
            assertEquals("index,cluster", Files.readAllLines(out.resolve("assignments.csv")).get(0));
            JsonNode m = JSON.readTree(out.resolve("metrics.json").toFile());
            assertNull(m.get("acc"), "no scores without labels");
            assertEquals(12, m.get("n").asInt());
        }
    }

    /** Each bad value: exit 2, one line naming the flag, no output folder. */
    @Test
    void badFlagsAreRefusedBeforeAnyWork() throws IOException {
        Path train = shiftedShapes(tmp.resolve("train.tsv"), 4, 6, 0.1);
        String[][] cases = {
            {"kshape", "--n-init", "0", "(flag: --n-init)"},
            {"kshape", "--max-iter", "0", "(flag: --max-iter)"},
            {"kshape", "--max-iter", "many", "'--max-iter'"},
            {"kshape", "--k", "0", "--k must be >= 1"},
            {"kshape", "--k", "13", "exceed the number of training sequences (12) (flag: --k)"},
            {"kshape", "--window", "0.5", "Unknown options: '--window'"},
            {"dtw-kmeans", "--window", "1.5", "DTW window must be in [0, 1], got 1.5 (flag: --window)"},
            {"dtw-kmeans", "--window", "-0.1", "(flag: --window)"},
            {"dtw-kmeans", "--window", "NaN", "(flag: --window)"},
            {"dtw-kmeans", "--n-init", "0", "(flag: --n-init)"},
            {"dtw-kmeans", "--max-iter", "-3", "(flag: --max-iter)"},
            {"dtw-kmeans", "--dba-iter", "0", "(flag: --dba-iter)"},
            {"dtw-kmeans", "--tol", "0.1", "Unknown options: '--tol'"},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("refused");
            CliRun run = CliRun.of(c[0], "--data", train.toString(), c[1], c[2], "--out", out.toString());
            String what = String.join(" ", Arrays.copyOf(c, 3));
            assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), what + ": " + run.err());
            assertEquals(1, run.errLines(), what + ": " + run.err());
            assertTrue(run.err().contains(c[3]), what + ": expected '" + c[3] + "' in " + run.err());
            assertFalse(Files.exists(out), what + ": nothing written");
        }
    }
}
