package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/** train → model file → cluster/embed, and a damaged model refused with one line. */
class TrainCommandTest {
    @TempDir Path tmp;
    Path data;
    Path out;

    @BeforeEach
    void trainSmallModel() throws IOException {
        Dataset cbf = Cbf.generate(8, 24, 3);
        data = writeUcr(cbf, tmp.resolve("cbf.tsv"));
        out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", out.toString(), "--epochs", "3",
                "--hidden", "6", "--latent", "3", "--batch", "5", "--device", "cpu", "--seed", "4");
        assertEquals(0, run.exitCode(), run.err());
    }

    /** {@code d} as a UCR text file (label, then the values, tab-separated), for the commands to read. */
    static Path writeUcr(Dataset d, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.append(d.labelNames().get(d.labels()[i]));
            for (float v : d.series(i)) sb.append('\t').append(String.format(Locale.ROOT, "%.5f", v));
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    static int[] clusters(Path assignments) throws IOException {
        List<String> rows = Files.readAllLines(assignments);
        return rows.stream().skip(1).mapToInt(r -> Integer.parseInt(r.split(",")[1])).toArray();
    }

    @Test
    void trainWritesModelAndMetrics() throws IOException {
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, m.get("epochs").asInt());
        assertEquals(24, m.get("n").asInt());
        assertEquals(3, m.get("k").asInt());
        assertTrue(m.get("final_loss").asDouble() > 0);
        // LSTM(1→6) + Linear(6→3) + LSTM(3→6) + Linear(6→1), PyTorch's parameter counts.
        long lstm1 = 4 * 6 * (1 + 6) + 2 * 4 * 6;
        long lstm2 = 4 * 6 * (3 + 6) + 2 * 4 * 6;
        assertEquals(lstm1 + (6 * 3 + 3) + lstm2 + (6 + 1), m.get("parameters").asLong());
        assertTrue(Files.exists(out.resolve("model.rnnclust")));
        assertTrue(Files.exists(out.resolve("checkpoints/last.ckpt")));
    }

    @Test
    void clusterWithTheSavedModelReproducesTrainingAssignments() throws IOException {
        CliRun run = CliRun.of("cluster", "--model", out.toString(), "--data", data.toString(), "--out",
                tmp.resolve("again").toString(), "--device", "cpu");
        assertEquals(0, run.exitCode(), run.err());
        assertArrayEquals(clusters(out.resolve("assignments.csv")), clusters(tmp.resolve("again/assignments.csv")));
        // The loaded model embeds in the training batch size, as the fit did: the same inertia to the last bit.
        assertEquals(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("inertia").doubleValue(),
                new ObjectMapper().readTree(tmp.resolve("again/metrics.json").toFile()).get("inertia").doubleValue(), 0.0);

        Path emb = tmp.resolve("e.npy");
        CliRun e = CliRun.of("embed", "--model", out.resolve("model.rnnclust").toString(), "--data", data.toString(),
                "--out", emb.toString(), "--device", "cpu");
        assertEquals(0, e.exitCode(), e.err());
        NpyArray z = Npy.read(emb);
        assertArrayEquals(new int[] {24, 3}, z.shape());
    }

    @Test
    void refinedModelsStoreTheirCentroidsAndReportTheRefinement() throws IOException {
        for (String method : new String[] {"dec", "idec", "none"}) {
            Path dir = tmp.resolve("refine-" + method);
            CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", dir.toString(), "--epochs", "3",
                    "--hidden", "6", "--latent", "3", "--batch", "5", "--device", "cpu", "--seed", "4",
                    "--refine", method, "--refine-epochs", "4", "--refine-tol", "0");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
            assertEquals(method, m.get("refine").asText());
            if (!method.equals("none")) {
                assertEquals("rnn-lstm-" + method, m.get("method").asText());
                assertEquals(4, m.get("refine_epochs").asInt());
                assertEquals(4, m.get("refine_kl_history").size());
                assertTrue(m.get("refine_label_change").isNumber());
                assertTrue(m.get("before_refine").has("nmi"));
            } else {
                assertEquals("rnn-lstm", m.get("method").asText());
            }
            CliRun again = CliRun.of("cluster", "--model", dir.toString(), "--data", data.toString(), "--out",
                    tmp.resolve("again-" + method).toString(), "--device", "cpu");
            assertEquals(0, again.exitCode(), again.err());
            assertArrayEquals(clusters(dir.resolve("assignments.csv")),
                    clusters(tmp.resolve("again-" + method + "/assignments.csv")), method);
        }
    }

    /**
     * {@code --cluster-init spectral}: the model's clusters are those of SpectralClustering on the
     * saved model's embeddings (the library call as oracle), DEC starts from them, and
     * {@code cluster --model} reproduces the assignments.
     */
    @Test
    void spectralInitialisationClustersTheEmbeddingsByTheirNeighbourGraph() throws IOException {
        for (String method : new String[] {"none", "dec"}) {
            Path dir = tmp.resolve("spectral-" + method);
            CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", dir.toString(), "--epochs", "3",
                    "--hidden", "6", "--latent", "3", "--batch", "5", "--device", "cpu", "--seed", "4",
                    "--refine", method, "--refine-epochs", "2", "--cluster-init", "spectral", "--neighbors", "5");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode m = new ObjectMapper().readTree(dir.resolve("metrics.json").toFile());
            assertEquals("spectral", m.get("cluster_init").asText());
            CliRun again = CliRun.of("cluster", "--model", dir.toString(), "--data", data.toString(), "--out",
                    tmp.resolve("again-spectral-" + method).toString(), "--device", "cpu");
            assertEquals(0, again.exitCode(), again.err());
            assertArrayEquals(clusters(dir.resolve("assignments.csv")),
                    clusters(tmp.resolve("again-spectral-" + method + "/assignments.csv")), method);
        }
        // Without refinement the embeddings are the pretrained ones: check the clusters against the library.
        Path emb = tmp.resolve("spectral.npy");
        CliRun e = CliRun.of("embed", "--model", tmp.resolve("spectral-none").toString(), "--data", data.toString(),
                "--out", emb.toString(), "--device", "cpu");
        assertEquals(0, e.exitCode(), e.err());
        NpyArray z = Npy.read(emb);
        try (Backend cpu = Backends.open("cpu", 2)) {
            KMeansModel expected = SpectralClustering.centroidModel(cpu, z.data(), 24, 3,
                    new SpectralClustering.Params(5, 0, SpectralClustering.Params.DEFAULT_MAX_ROWS), KMeansParams.of(3, 4));
            assertArrayEquals(expected.labels(), clusters(tmp.resolve("spectral-none/assignments.csv")));
        }
    }

    @Test
    void unknownClusterInitialisationIsRefusedBeforeTraining() {
        Path dir = tmp.resolve("x");
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", dir.toString(), "--cluster-init",
                "gmm", "--device", "cpu");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("--cluster-init"), run.err());
        assertTrue(Files.notExists(dir), "nothing written");
    }

    @Test
    void unknownRefinementIsRefused() {
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", tmp.resolve("x").toString(), "--refine",
                "kmeans", "--device", "cpu");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--refine"), run.err());
    }

    @Test
    void damagedModelIsRefusedWithOneLine() throws IOException {
        Path model = out.resolve("model.rnnclust");
        byte[] bytes = Files.readAllBytes(model);
        Path flipped = tmp.resolve("flipped.rnnclust");
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(flipped, bytes);
        Path truncated = tmp.resolve("truncated.rnnclust");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(model), 100));
        for (Path bad : List.of(flipped, truncated, data)) {
            Path dir = tmp.resolve("c-" + bad.getFileName());
            CliRun run = CliRun.of("cluster", "--model", bad.toString(), "--data", data.toString(), "--out", dir.toString());
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains(bad.getFileName().toString()), run.err());
            assertTrue(Files.notExists(dir));
        }
    }

    @Test
    void resumeWithTheSameFlagsReproducesTheModel() throws IOException {
        byte[] before = Files.readAllBytes(out.resolve("model.rnnclust"));
        Files.delete(out.resolve("model.rnnclust"));
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--resume", out.toString(), "--epochs", "3",
                "--hidden", "6", "--latent", "3", "--batch", "5", "--device", "cpu", "--seed", "4");
        assertEquals(0, run.exitCode(), run.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("model.rnnclust")));
    }

    @Test
    void resumeWithOtherSettingsIsRefused() {
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--resume", out.toString(), "--epochs", "3",
                "--hidden", "7", "--latent", "3", "--batch", "5", "--device", "cpu", "--seed", "4");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("hidden"), run.err());
    }
}
