package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.NpyFiles;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.metrics.InternalScores;

/**
 * Data without labels: the label-free scores in metrics.json and on the terminal, and train's sweep
 * over a range of k, which chooses by the silhouette and writes k_sweep.json and its chart.
 */
class UnlabelledDataTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** 60 unlabelled series of 24 steps: three level shifts with noise. */
    static Path unlabelled(Path file) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[60 * 24];
        for (int i = 0; i < 60; i++) {
            for (int t = 0; t < 24; t++) x[i * 24 + t] = (float) ((t >= 8 * (i % 3) && t < 8 * (i % 3) + 8 ? 3 : 0)
                    + 0.3 * r.nextGaussian());
        }
        NpyFiles.write(file, new int[] {60, 24}, x);
        return file;
    }

    @Test
    void kmeansWritesAndPrintsTheLabelFreeScoresOfItsClusters(@TempDir Path tmp) throws Exception {
        Path data = unlabelled(tmp.resolve("x.npy"));
        CliRun run = CliRun.of("kmeans", "--data", data.toString(), "--k", "3", "--device", "cpu", "--out",
                tmp.resolve("km").toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode metrics = JSON.readTree(tmp.resolve("km/metrics.json").toFile());
        int[] clusters = Files.readAllLines(tmp.resolve("km/assignments.csv")).stream().skip(1)
                .mapToInt(l -> Integer.parseInt(l.split(",")[1])).toArray();
        PaddedSequences x = PreparedData.prepare(Readers.read(data, org.rnnclust.data.read.ReadOptions.defaults()), null,
                PreprocessOptions.defaults()).train();
        InternalScores want = InternalScores.of(x.values(), x.n(), x.rowSize(), clusters, null);
        assertEquals(want.silhouette(), metrics.get("silhouette").asDouble(), 1e-12);
        assertEquals(want.daviesBouldin(), metrics.get("davies_bouldin").asDouble(), 1e-12);
        assertEquals(want.calinskiHarabasz(), metrics.get("calinski_harabasz").asDouble(), 1e-9);
        assertTrue(run.out().contains(String.format(java.util.Locale.ROOT, "without labels, on the series: silhouette %.4f",
                want.silhouette())), run.out());
    }

    @Test
    void trainSweepsARangeOfKAndKeepsTheHighestSilhouette(@TempDir Path tmp) throws Exception {
        Path data = unlabelled(tmp.resolve("x.npy"));
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", data.toString(), "--k", "2..5", "--reservoir-units", "30",
                "--members", "2", "--device", "cpu", "--progress", "none", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode sweep = JSON.readTree(out.resolve("k_sweep.json").toFile());
        assertEquals("the highest silhouette", sweep.get("rule").asText());
        List<JsonNode> points = new java.util.ArrayList<>();
        sweep.get("points").forEach(points::add);
        assertEquals(List.of(2, 3, 4, 5), points.stream().map(p -> p.get("k").asInt()).toList());
        JsonNode best = points.stream().max(java.util.Comparator.comparingDouble(p -> p.get("silhouette").asDouble()))
                .orElseThrow();
        int chosen = sweep.get("chosen").asInt();
        assertEquals(best.get("k").asInt(), chosen);
        assertTrue(points.stream().noneMatch(p -> p.has("train_nmi")), "no labels, no label scores");
        assertTrue(sweep.get("provenance").isObject());
        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(chosen, metrics.get("k").asInt());
        assertEquals(chosen, metrics.get("k_sweep").get("chosen").asInt());
        assertEquals(best.get("silhouette").asDouble(), metrics.get("silhouette").asDouble(), 1e-12,
                "the model's own scores are the chosen k's");
        byte[] png = Files.readAllBytes(out.resolve("k_sweep.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(run.out().contains("k = " + chosen + " chosen by the highest silhouette among 2..5"), run.out());
    }

    @Test
    void aRangeOfKIsRefusedWhereItMeansNothing(@TempDir Path tmp) {
        Path data = unlabelled(tmp.resolve("x.npy"));
        CliRun kmeans = CliRun.of("kmeans", "--data", data.toString(), "--k", "2..4", "--device", "cpu", "--out",
                tmp.resolve("km").toString());
        assertEquals(Main.EXIT_BAD_INPUT, kmeans.exitCode());
        assertEquals(1, kmeans.errLines(), kmeans.err());
        assertTrue(kmeans.err().contains("a range of k is for train"), kmeans.err());
        CliRun tooMany = CliRun.of("train", "--data", data.toString(), "--k", "2..60", "--device", "cpu", "--out",
                tmp.resolve("t").toString());
        assertEquals(Main.EXIT_BAD_INPUT, tooMany.exitCode());
        assertTrue(tooMany.err().contains("at most n - 1 = 59 clusters"), tooMany.err());
        CliRun word = CliRun.of("train", "--data", data.toString(), "--k", "three", "--device", "cpu", "--out",
                tmp.resolve("w").toString());
        assertEquals(Main.EXIT_BAD_INPUT, word.exitCode());
        assertTrue(word.err().contains("--k must be a whole number"), word.err());
    }
}
