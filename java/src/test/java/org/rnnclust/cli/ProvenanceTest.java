package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every JSON file a command writes (metrics.json of train, kmeans, cluster; results.json of
 * evaluate; bench --json) names the build's commit, the command line, every setting in effect with
 * its default, the SHA-256 of each input file, the device and the times, and ends with a newline.
 */
class ProvenanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainKMeansClusterEvaluateAndBenchRecordWhereTheirResultsCameFrom(@TempDir Path tmp) throws Exception {
        Path data = ThreeShapes.write(tmp.resolve("shapes.tsv"), 8);
        String[] trainArgs = {"train", "--data", data.toString(), "--reservoir-units", "20", "--members", "1",
                "--device", "cpu", "--progress", "none", "--out", tmp.resolve("train").toString()};
        assertEquals(0, CliRun.of(trainArgs).exitCode());
        JsonNode train = provenance(tmp.resolve("train/metrics.json"));
        assertEquals(java.util.List.of(trainArgs), JSON.convertValue(train.get("command_line"), java.util.List.class));
        assertEquals("rnnclust train", train.get("command").asText());
        assertEquals(20, train.get("settings").get("--reservoir-units").asInt());
        assertEquals("reservoir", train.get("settings").get("--representation").asText(), "a default, recorded");
        assertEquals(10, train.get("settings").get("--n-init").asInt(), "a default, recorded");
        assertInput(train, "--data", data);

        assertEquals(0, CliRun.of("kmeans", "--data", data.toString(), "--k", "3", "--device", "cpu", "--out",
                tmp.resolve("km").toString()).exitCode());
        JsonNode km = provenance(tmp.resolve("km/metrics.json"));
        assertEquals(3, km.get("settings").get("--k").asInt());
        assertInput(km, "--data", data);

        assertEquals(0, CliRun.of("cluster", "--model", tmp.resolve("train").toString(), "--data", data.toString(),
                "--device", "cpu", "--out", tmp.resolve("assigned").toString()).exitCode());
        JsonNode assigned = provenance(tmp.resolve("assigned/metrics.json"));
        assertInput(assigned, "--model", tmp.resolve("train/model.rnnclust"));
        assertInput(assigned, "--data", data);

        Path dir = Files.createDirectories(tmp.resolve("sets/Shapes"));
        Files.copy(data, dir.resolve("Shapes_TRAIN.tsv"));
        Files.copy(data, dir.resolve("Shapes_TEST.tsv"));
        assertEquals(0, CliRun.of("evaluate", "--data-dir", tmp.resolve("sets").toString(), "--methods", "kmeans",
                "--seeds", "1", "--quick", "--device", "cpu", "--out", tmp.resolve("eval").toString()).exitCode());
        JsonNode results = JSON.readTree(tmp.resolve("eval/results.json").toFile());
        assertTrue(results.get("budget").isObject(), "the budget is an object, not a toString()");
        assertTrue(results.get("budget").has("nInit"), results.get("budget").toString());
        JsonNode evaluated = provenance(tmp.resolve("eval/results.json"));
        assertEquals("kmeans", evaluated.get("settings").get("--methods").asText());
        assertInput(evaluated, "--data-dir", dir.resolve("Shapes_TRAIN.tsv"));

        Path bench = tmp.resolve("bench.json");
        assertEquals(0, CliRun.of("bench", "--device", "cpu", "--threads", "1", "--kmeans", "300,5,4", "--warmup", "0",
                "--repeat", "1", "--json", bench.toString()).exitCode());
        JsonNode benched = provenance(bench);
        assertEquals(1, benched.get("settings").get("--repeat").asInt());
        assertTrue(benched.get("device").asText().contains("1 threads"), benched.get("device").asText());
    }

    /** The file's provenance, after the checks every one must pass. */
    private static JsonNode provenance(Path file) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.endsWith("}\n"), file + " does not end with a newline");
        JsonNode p = JSON.readTree(text).get("provenance");
        assertTrue(p != null && p.isObject(), file + " has no provenance");
        String commit = p.get("commit").asText();
        assertTrue(commit.matches("[0-9a-f]{7,40}(-dirty)?|unknown"), commit);
        // Built from a git checkout here: the build recorded its commit.
        if (Files.isDirectory(Path.of(System.getProperty("user.dir")).getParent().resolve(".git"))) {
            assertFalse(commit.equals("unknown"), file + ": the commit is unknown in a git checkout");
        }
        assertFalse(p.get("host").asText().isBlank());
        assertFalse(p.get("cpu").asText().isBlank());
        assertFalse(p.get("device").asText().isBlank());
        OffsetDateTime started = OffsetDateTime.parse(p.get("started").asText());
        OffsetDateTime ended = OffsetDateTime.parse(p.get("ended").asText());
        assertFalse(ended.isBefore(started), started + " → " + ended);
        assertTrue(p.get("settings").has("--device"), "every setting, the device's too");
        return p;
    }

    private static void assertInput(JsonNode provenance, String option, Path file) throws Exception {
        String path = file.toAbsolutePath().normalize().toString();
        for (JsonNode input : provenance.get("inputs")) {
            if (!input.get("option").asText().equals(option) || !input.get("path").asText().equals(path)) continue;
            assertEquals(file.toAbsolutePath().normalize().toString(), input.get("path").asText());
            assertEquals(Files.size(file), input.get("bytes").asLong());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            assertEquals(HexFormat.of().formatHex(digest), input.get("sha256").asText(), option);
            return;
        }
        throw new AssertionError(option + " " + path + " is not among the inputs: " + provenance.get("inputs"));
    }
}
