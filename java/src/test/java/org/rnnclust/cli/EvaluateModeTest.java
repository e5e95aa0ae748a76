package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate says, in results.json and results.md, which mode produced its tables. */
class EvaluateModeTest {
    @Test
    void theFilesNameTheMode(@TempDir Path tmp) throws IOException {
        Path data = EvaluateCommandTest.tinyDataDir(tmp.resolve("data"));
        for (String mode : new String[] {"default", "deterministic"}) {
            Path out = tmp.resolve(mode);
            CliRun run = mode.equals("deterministic")
                    ? CliRun.of("evaluate", "--data-dir", data.toString(), "--datasets", "Shapes", "--seeds", "1",
                            "--quick", "--methods", "kmeans,rnn", "--out", out.toString(), "--deterministic")
                    : CliRun.of("evaluate", "--data-dir", data.toString(), "--datasets", "Shapes", "--seeds", "1",
                            "--quick", "--methods", "kmeans,rnn", "--out", out.toString(), "--device", "cpu");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
            assertEquals(mode, json.get("mode").asText());
            assertEquals(mode.equals("deterministic"), json.get("device").asText().contains("deterministic"),
                    json.get("device").asText());
            assertTrue(json.get("machine").has("commit"), json.toString());
            String md = Files.readString(out.resolve("results.md"));
            assertTrue(md.contains("Mode: " + mode + " ("), md);
        }
    }
}
