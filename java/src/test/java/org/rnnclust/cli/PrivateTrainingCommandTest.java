package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.io.ModelFile;
import org.rnnclust.train.RdpAccountant;

/** train with DP-SGD: ε after every epoch in metrics.json and the model, and the settings it refuses. */
class PrivateTrainingCommandTest {
    @TempDir Path tmp;
    Path data;

    @BeforeEach
    void write() throws IOException {
        data = TrainCommandTest.writeUcr(Cbf.generate(10, 32, 5), tmp.resolve("train.tsv"));  // 30 sequences
    }

    List<String> flags(String out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--data", data.toString(), "--representation", "autoencoder",
                "--hidden", "6", "--latent", "3", "--epochs", "3", "--batch", "6", "--seed", "1", "--device", "cpu",
                "--refine", "none", "--out", tmp.resolve(out).toString()));
        a.addAll(List.of(more));
        return a;
    }

    @Test
    void epsilonIsReportedAfterEveryEpochAndRecordedInTheModel() throws IOException {
        CliRun run = CliRun.of(flags("dp", "--dp-max-grad-norm", "1", "--dp-target-epsilon", "4", "--dp-delta", "1e-3")
                .toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("differential privacy: epsilon"), run.out());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("dp").resolve("metrics.json").toFile()).get("privacy");
        double epsilon = m.get("epsilon").asDouble();
        assertTrue(epsilon <= 4 && epsilon > 3.9, "calibrated to spend the target over 3 epochs: " + epsilon);
        assertEquals(15, m.get("steps").asInt(), "3 epochs of ⌈30/6⌉ steps");
        assertEquals(0.2, m.get("sampling_rate").asDouble(), 1e-15);
        JsonNode history = m.get("epsilon_history");
        assertEquals(3, history.size());
        RdpAccountant a = new RdpAccountant();
        a.step(0.2, m.get("noise_multiplier").asDouble(), 5);
        assertEquals(a.epsilon(1e-3), history.get(0).asDouble(), 1e-12, "the first epoch's 5 steps");
        assertEquals(epsilon, history.get(2).asDouble(), 0);
        JsonNode spent = ModelFile.read(tmp.resolve("dp").resolve(ClusteringModel.FILE)).header().get("training")
                .get("privacy_spent");
        assertEquals(epsilon, spent.get("epsilon").asDouble(), 0, "the model file records what was spent");
    }

    /** Each refusal: exit 2, one line naming the flag to change, nothing written. */
    void refused(String name, String expected, String... more) {
        CliRun run = CliRun.of(flags(name, more).toArray(String[]::new));
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), name + ": " + run.err());
        assertTrue(run.err().contains(expected), name + ": " + run.err());
        assertFalse(Files.exists(tmp.resolve(name).resolve("metrics.json")), name + ": nothing written");
    }

    @Test
    void whatPrivateTrainingCannotCoverIsRefused() {
        refused("refine", "--refine", "--dp-max-grad-norm", "1", "--dp-noise-multiplier", "1", "--dp-delta", "1e-3",
                "--refine", "idec");
        refused("objective", "--objective", "--dp-max-grad-norm", "1", "--dp-noise-multiplier", "1", "--dp-delta", "1e-3",
                "--objective", "contrastive");
        refused("delta", "--dp-delta", "--dp-max-grad-norm", "1", "--dp-noise-multiplier", "1", "--dp-delta", "0.05");
        refused("no-norm", "--dp-max-grad-norm", "--dp-noise-multiplier", "1");
        refused("no-noise", "--dp-target-epsilon", "--dp-max-grad-norm", "1", "--dp-delta", "1e-3");
        CliRun reservoir = CliRun.of("train", "--data", data.toString(), "--dp-max-grad-norm", "1", "--out",
                tmp.resolve("reservoir").toString());
        assertEquals(Main.EXIT_BAD_INPUT, reservoir.exitCode(), reservoir.err());
        assertTrue(reservoir.err().contains("--dp-max-grad-norm applies to --representation autoencoder"), reservoir.err());
    }
}
