package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rnnclust bench} at tiny shapes: the table names every operation and the JSON that another
 * script reads back carries the machine, the measured peaks and, per operation, consistent
 * figures (min ≤ median ≤ max, GFLOP/s = FLOPs / median).
 */
class BenchCommandTest {
    @Test
    void writesTableAndReadableJson(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--device", "cpu", "--threads", "1", "--kmeans", "300,5,4",
                "--rnn", "lstm:3,4,2,5", "gru:2,3,1,4", "--warmup", "1", "--repeat", "3", "--json", json.toString());
        assertEquals(0, run.exitCode(), run.err());
        for (String op : List.of("kmeans_assign", "kmeans_iteration", "lstm_forward", "lstm_train_step",
                "gru_forward", "gru_train_step")) {
            assertTrue(run.out().contains(op), op + " missing from\n" + run.out());
        }
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertTrue(doc.path("machine").isObject());
        assertTrue(doc.path("peaks").path("sgemm_gflops").asDouble() > 0);
        List<String> ops = new ArrayList<>();
        for (JsonNode r : doc.path("results")) {
            ops.add(r.path("operation").asText());
            double median = r.path("median_ms").asDouble();
            assertTrue(r.path("min_ms").asDouble() <= median && median <= r.path("max_ms").asDouble(), r.toString());
            assertEquals(3, r.path("runs_ms").size(), r.toString());
        }
        assertEquals(List.of("kmeans_assign", "kmeans_iteration", "lstm_forward", "lstm_train_step",
                "gru_forward", "gru_train_step"), ops);
        JsonNode lstm = doc.path("results").get(3);
        // 3 × 2·B·T·G·H·(I+H) for the training step at B,T,I,H = 3,4,2,5, G = 4.
        double flops = 3 * 2.0 * 3 * 4 * 4 * 5 * (2 + 5);
        assertEquals(flops / lstm.path("median_ms").asDouble() / 1e6, lstm.path("gflops").asDouble(), 1e-9);
    }

    @Test
    void badShapeIsOneLine() {
        CliRun run = CliRun.of("bench", "--device", "cpu", "--rnn", "lstm:3,4,2");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("CELL:B,T,I,H"), run.err());
    }

    @Test
    void badPlansAreOneLineNamingTheirFlagsBeforeAnyDeviceOpens() {
        String[][] cases = {
            {"--repeat", "0"}, {"timed runs must be >= 1, got 0 (flag: --repeat)"},
            {"--warmup", "-1"}, {"warm-up runs must be >= 0, got -1 (flag: --warmup)"},
            {"--kmeans-data", "x.npy"}, {"exactly one k-means shape (flags: --kmeans-data, --kmeans)"},
            {"--kmeans", "10,2"}, {"k-means shape 10,2: expected N,D,K (flag: --kmeans)"}};
        for (int i = 0; i < cases.length; i += 2) {
            List<String> args = new ArrayList<>(List.of("bench", "--device", "tpu"));
            args.addAll(List.of(cases[i]));
            CliRun run = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            // The plan is refused first: the unknown device is never reached.
            assertTrue(run.err().contains(cases[i + 1][0]), run.err());
        }
    }
}
