package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.eval.DatasetCatalog;
import org.rnnclust.eval.Evaluation;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.report.ReportWriterTest;

class EvaluateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A UCR pair (two shapes, noisy) in its own folder, a CSV of 4×4 "images" without split, and a README. */
    static Path tinyDataDir(Path root) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        Path ucr = Files.createDirectories(root.resolve("Shapes"));
        for (String split : new String[] {"TRAIN", "TEST"}) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                int label = i % 2 + 1;
                b.append(label);
                for (int t = 0; t < 24; t++) {
                    double v = label == 1 ? Math.sin(t * 0.5) : (t > 8 && t < 16 ? 1 : -1);
                    b.append('\t').append(String.format(Locale.ROOT, "%.4f", v + 0.2 * r.nextGaussian()));
                }
                b.append('\n');
            }
            Files.writeString(ucr.resolve("Shapes_" + split + ".tsv"), b);
        }
        Files.writeString(ucr.resolve("README.md"), "not data\n");
        Path img = Files.createDirectories(root.resolve("blocks"));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            int label = i % 3;
            for (int p = 0; p < 16; p++) {
                int on = (p / 4 == label || p % 4 == label) ? 12 : 0;
                b.append(on + r.nextInt(3)).append(',');
            }
            b.append(label).append('\n');
        }
        Files.writeString(img.resolve("blocks.csv"), b);
        return root;
    }

    @Test
    void sameSeedsGiveTheSameTableTwiceAndTheReportLinksItsChart(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data"));
        String[] common = {"evaluate", "--data-dir", data.toString(), "--seeds", "2", "--quick", "--device", "cpu",
                "--methods", "kmeans,pca-kmeans,forest,rnn-ae,rnn-ae-dec,rnn-ae-idec"};
        CliRun a = CliRun.of(concat(common, "--out", tmp.resolve("a").toString(), "--report",
                tmp.resolve("rep").toString()));
        assertEquals(0, a.exitCode(), a.err());
        CliRun b = CliRun.of(concat(common, "--out", tmp.resolve("b").toString()));
        assertEquals(0, b.exitCode(), b.err());

        JsonNode ja = withoutSeconds(JSON.readTree(tmp.resolve("a/results.json").toFile()));
        JsonNode jb = withoutSeconds(JSON.readTree(tmp.resolve("b/results.json").toFile()));
        assertEquals(ja, jb, "same seeds, same results (timings aside)");
        assertEquals(scores(tmp.resolve("a/results.md")), scores(tmp.resolve("b/results.md")));

        JsonNode sets = ja.get("datasets");
        assertEquals(2, sets.size());
        assertEquals("blocks", sets.get(0).get("name").asText());
        assertEquals("fit and score the same set", sets.get(0).get("protocol").asText());
        assertEquals(4, sets.get(0).get("channels").asInt(), "16 pixels read as 4 rows of 4");
        assertEquals("Shapes", sets.get(1).get("name").asText());
        assertEquals(24, sets.get(1).get("scored_size").asInt());
        for (JsonNode ds : sets) {
            assertEquals(6, ds.get("methods").size());
            for (JsonNode m : ds.get("methods")) {
                assertEquals(2, m.get("runs").size());
                double nmi = m.get("nmi_mean").asDouble();
                assertTrue(nmi >= 0 && nmi <= 1, m.toString());
                assertTrue(m.get("parameters").asLong() > 0, m.toString());
            }
        }
        // The two shapes are far apart: raw k-means separates them.
        assertTrue(sets.get(1).get("methods").get(0).get("acc_mean").asDouble() > 0.9);
        assertTrue(ReportWriterTest.checkLinkedPngs(tmp.resolve("rep/index.html")).contains("nmi.png"));
    }

    /**
     * A job array's two tasks, each evaluating one dataset, combined: the same results.md tables
     * and results.json scores as one run over both datasets (the seconds and provenance aside);
     * and mixtures that would make one table wrong are refused in one line.
     */
    @Test
    void combiningTwoHalvesGivesTheSingleRunsTable(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data"));
        String[] common = {"evaluate", "--data-dir", data.toString(), "--seeds", "2", "--quick", "--device", "cpu",
                "--methods", "kmeans,rnn,rnn-ae"};
        assertEquals(0, CliRun.of(concat(common, "--out", tmp.resolve("all").toString())).exitCode());
        assertEquals(0, CliRun.of(concat(common, "--datasets", "Shapes", "--out", tmp.resolve("part1").toString()))
                .exitCode());
        assertEquals(0, CliRun.of(concat(common, "--datasets", "blocks", "--out", tmp.resolve("part2").toString()))
                .exitCode());
        CliRun combined = CliRun.of("evaluate", "--combine", tmp.resolve("part1").toString(),
                tmp.resolve("part2").toString(), "--out", tmp.resolve("combined").toString(), "--report",
                tmp.resolve("rep").toString());
        assertEquals(0, combined.exitCode(), combined.err());

        assertEquals(scores(tmp.resolve("all/results.md")), scores(tmp.resolve("combined/results.md")));
        JsonNode all = withoutSeconds(JSON.readTree(tmp.resolve("all/results.json").toFile()));
        JsonNode joined = withoutSeconds(JSON.readTree(tmp.resolve("combined/results.json").toFile()));
        assertEquals(all.get("datasets"), joined.get("datasets"));
        assertEquals(all.get("budget"), joined.get("budget"));
        assertEquals(2, JSON.readTree(tmp.resolve("combined/results.json").toFile()).get("provenance")
                .get("combined_from").size());
        assertTrue(ReportWriterTest.checkLinkedPngs(tmp.resolve("rep/index.html")).contains("nmi.png"));

        // Other seeds, or the same dataset twice, would make one table wrong: refused.
        String[] otherSeeds = concat(common, "--datasets", "blocks", "--out", tmp.resolve("seeds3").toString());
        otherSeeds[java.util.Arrays.asList(otherSeeds).indexOf("--seeds") + 1] = "3";
        assertEquals(0, CliRun.of(otherSeeds).exitCode());
        String[][] refused = {
                {"evaluate", "--combine", tmp.resolve("part1").toString(), tmp.resolve("seeds3").toString(), "--out",
                        tmp.resolve("x").toString()},
                {"evaluate", "--combine", tmp.resolve("part1").toString(), tmp.resolve("all").toString(), "--out",
                        tmp.resolve("x").toString()},
                {"evaluate", "--combine", tmp.resolve("data").toString(), "--out", tmp.resolve("x").toString()},
                {"evaluate", "--out", tmp.resolve("x").toString()},
        };
        for (String[] args : refused) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines(), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("x/results.md")));
    }

    @Test
    void theSensitivityProbeAddsItsColumnsAndChangesNoScore(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data"));
        String[] common = {"evaluate", "--data-dir", data.toString(), "--datasets", "Shapes", "--seeds", "2", "--quick",
                "--device", "cpu", "--methods", "kmeans,rnn"};
        CliRun plain = CliRun.of(concat(common, "--out", tmp.resolve("plain").toString()));
        assertEquals(0, plain.exitCode(), plain.err());
        CliRun probed = CliRun.of(concat(common, "--sensitivity", "--out", tmp.resolve("probed").toString(),
                "--report", tmp.resolve("rep").toString()));
        assertEquals(0, probed.exitCode(), probed.err());
        JsonNode a = JSON.readTree(tmp.resolve("plain/results.json").toFile());
        JsonNode b = JSON.readTree(tmp.resolve("probed/results.json").toFile());
        assertEquals(0, a.get("sensitivity_ulps").asInt());
        assertEquals(1, b.get("sensitivity_ulps").asInt());
        for (int m = 0; m < 2; m++) {
            JsonNode ma = a.get("datasets").get(0).get("methods").get(m);
            JsonNode mb = b.get("datasets").get(0).get("methods").get(m);
            for (String key : new String[] {"nmi_mean", "nmi_std", "nmi_min", "nmi_max", "acc_mean", "ari_mean",
                    "seed_agreement_ari"}) {
                assertEquals(ma.get(key), mb.get(key), ma.get("method") + " " + key + ": the probe changes no score");
            }
            assertTrue(ma.get("sensitivity").isNull());
        }
        JsonNode kmeans = b.get("datasets").get(0).get("methods").get(0);
        JsonNode rnn = b.get("datasets").get(0).get("methods").get(1);
        assertTrue(kmeans.get("sensitivity").isNull(), "k-means has no initial weights");
        JsonNode s = rnn.get("sensitivity");
        assertEquals(2, s.get("perturbed_nmi").size());
        double sum = 0;
        double max = 0;
        for (int i = 0; i < 2; i++) {
            double change = Math.abs(s.get("perturbed_nmi").get(i).asDouble() - rnn.get("runs").get(i).get("nmi").asDouble());
            sum += change;
            max = Math.max(max, change);
        }
        assertEquals(sum / 2, s.get("nmi_change_mean_abs").asDouble(), 1e-15);
        assertEquals(max, s.get("nmi_change_max_abs").asDouble(), 0);
        String md = Files.readString(tmp.resolve("probed/results.md"));
        assertTrue(md.contains("## Sensitivity") && md.contains("## Agreement between seeds"), md);
        assertFalse(Files.readString(tmp.resolve("plain/results.md")).contains("## Sensitivity"));
        assertTrue(Files.readString(tmp.resolve("rep/index.html")).contains("sensitivity probe"));
    }

    @Test
    void theDefaultRecurrentMethodIsTheLibrarysReservoirWithItsDefaults(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data"));
        CliRun run = CliRun.of("evaluate", "--data-dir", data.toString(), "--datasets", "Shapes", "--seeds", "2",
                "--device", "cpu", "--methods", "rnn", "--out", tmp.resolve("out").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode m = JSON.readTree(tmp.resolve("out/results.json").toFile()).get("datasets").get(0).get("methods").get(0);
        assertEquals("rnn", m.get("method").asText());
        Evaluation.Prepared p = Evaluation.prepare(DatasetCatalog.find(data).get(1));
        try (Device cpu = Device.open(DeviceOptions.of("cpu"))) {
            for (int seed = 0; seed < 2; seed++) {
                try (FittedClustering fit = Methods.reservoir(ReservoirSettings.defaults(),
                        KMeansSettings.withRestarts(10)).fit(cpu, p.train(), p.k(), seed)) {
                    double nmi = ClusteringScores.of(p.scored().labels(), fit.assign(p.test()).labels()).nmi();
                    assertEquals(nmi, m.get("runs").get(seed).get("nmi").asDouble(), 0, "seed " + seed);
                }
            }
        }
        // The two shapes differ in their dynamics: the reservoir separates them.
        assertTrue(m.get("acc_mean").asDouble() > 0.9, m.toString());
    }

    @Test
    void unknownMethodsAndDatasetsAreRefusedWithOneLine(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data"));
        for (String m : new String[] {"rnn-dek", "lstm"}) {
            CliRun run = CliRun.of("evaluate", "--data-dir", data.toString(), "--methods", "kmeans," + m, "--out",
                    tmp.resolve("o").toString());
            assertEquals(2, run.exitCode());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains(m) && run.err().contains("unknown method"), run.err());
            assertFalse(Files.exists(tmp.resolve("o/results.json")));
        }
        CliRun unknown = CliRun.of("evaluate", "--data-dir", data.toString(), "--datasets", "Nope", "--out",
                tmp.resolve("o").toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("Nope"), unknown.err());
    }

    @Test
    void baselineCommandsWriteTheKMeansFiles(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data")).resolve("Shapes");
        for (String cmd : new String[] {"pca-kmeans", "forest"}) {
            Path out = tmp.resolve(cmd);
            CliRun run = CliRun.of(cmd, "--data", data.resolve("Shapes_TRAIN.tsv").toString(), "--test",
                    data.resolve("Shapes_TEST.tsv").toString(), "--device", "cpu", "--out", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
            assertEquals(cmd, metrics.get("method").asText());
            assertEquals(24, metrics.get("n").asInt());
            assertTrue(metrics.get("acc").asDouble() > 0.9, metrics.toString());
            assertEquals(25, Files.readAllLines(out.resolve("assignments.csv")).size(), "header + 24 rows");
        }
    }

    @Test
    void trainWritesAReportWithEveryPlot(@TempDir Path tmp) throws IOException {
        Path data = tinyDataDir(tmp.resolve("data")).resolve("Shapes");
        Path report = tmp.resolve("report");
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.resolve("Shapes_TRAIN.tsv").toString(), "--test",
                data.resolve("Shapes_TEST.tsv").toString(), "--epochs", "3", "--hidden", "8", "--device", "cpu",
                "--out", tmp.resolve("model").toString(), "--report", report.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(ReportWriterTest.checkLinkedPngs(report.resolve("index.html")).containsAll(java.util.List.of(
                "loss.png", "embedding_clusters.png", "embedding_labels.png", "confusion.png", "cluster_00.png",
                "cluster_01.png", "cluster_00_reconstruction.png", "refine_kl.png")));
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("<th>silhouette</th>"), "the label-free scores are among the facts");
        assertTrue(html.contains("before refinement (the k-means start)"), "the scores before and after refinement");
        assertTrue(html.contains("<td>--epochs</td><td>3</td>"), "every setting");
    }

    /** The results without timings and provenance (which names each run's command line, output and times). */
    private static JsonNode withoutSeconds(JsonNode node) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().toLowerCase(Locale.ROOT).contains("seconds") || e.getKey().equals("provenance")) it.remove();
                else withoutSeconds(e.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(EvaluateCommandTest::withoutSeconds);
        }
        return node;
    }

    /** results.md up to the cost table, without the line that states the total time. */
    private static String scores(Path md) throws IOException {
        String text = Files.readString(md);
        text = text.substring(0, text.indexOf("## Cost"));
        return text.replaceAll("(?m)^.* s in all\\.$", "");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
