package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.OutputClaim;

/**
 * Output sets through the CLI: replaced whole or not at all, claimed by one run at a time, and
 * every output path checked before any work.
 */
class OutputSetTest {
    @TempDir Path tmp;

    /** Three noisy ramps (rising, flat, falling), 10 of each. */
    private Path data() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            int label = i % 3 - 1;
            sb.append(label);
            for (int t = 0; t < 20; t++) {
                sb.append('\t').append(String.format(Locale.ROOT, "%.5f", label * t / 20.0 + 0.1 * rng.nextGaussian()));
            }
            sb.append('\n');
        }
        Path p = tmp.resolve("ramps.tsv");
        Files.writeString(p, sb);
        return p;
    }

    private CliRun kmeans(Path out, String k) throws IOException {
        return CliRun.of("kmeans", "--data", data().toString(), "--out", out.toString(), "--k", k, "--device", "cpu");
    }

    @Test
    void aMetricsFileThatIsAFolderReplacesNothing() throws IOException {
        Path out = tmp.resolve("out");
        assertEquals(0, kmeans(out, "3").exitCode());
        byte[] assignments = Files.readAllBytes(out.resolve("assignments.csv"));
        Files.delete(out.resolve("metrics.json"));
        Files.createDirectory(out.resolve("metrics.json"));

        CliRun run = kmeans(out, "2");  // other clusters: other assignments
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(out.resolve("metrics.json") + ": is a folder"), run.err());
        assertArrayEquals(assignments, Files.readAllBytes(out.resolve("assignments.csv")), "nothing replaced");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".staging-")), "no staging left");
        }
    }

    @Test
    void aSecondRunOnTheSameOutputIsRefused() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputClaim first = OutputClaim.folder(out)) {
            CliRun run = kmeans(out, "3");
            assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains(out + ": another rnnclust run (process " + ProcessHandle.current().pid()
                    + ") is writing here"), run.err());
            assertFalse(Files.exists(out.resolve("assignments.csv")), "the refused run wrote nothing");
        }
        assertEquals(0, kmeans(out, "3").exitCode(), "free again once the first run ends");
        assertTrue(Files.exists(out.resolve("assignments.csv")));
    }

    @Test
    void aRunRemovesWhatCrashedRunsLeftInItsFolder() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve(".staging-42"));
        Files.writeString(out.resolve(".staging-42/assignments.csv"), "half");
        Files.writeString(out.resolve(".metrics.json.x1y2.tmp"), "half");
        assertEquals(0, kmeans(out, "3").exitCode());
        assertFalse(Files.exists(out.resolve(".staging-42")));
        assertFalse(Files.exists(out.resolve(".metrics.json.x1y2.tmp")));
    }

    @Test
    void anEmptyOutputPathIsRefused() throws IOException {
        CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--out", "", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("--out is empty"), run.err());
    }

    @Test
    void aReportPathThatCannotBeWrittenIsRefusedBeforeAnyWork() throws IOException {
        Path out = tmp.resolve("out");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data().toString(), "--out", out.toString(), "--report",
                file.resolve("report").toString(), "--epochs", "1", "--hidden", "4", "--latent", "2", "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(file.resolve("report") + ": cannot be created"), run.err());
        assertFalse(Files.exists(out), "nothing trained, nothing written");
    }

    @Test
    void aReadOnlyReportFolderIsRefusedBeforeAnyWork() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root, where permissions do not stop writes");
        Path out = tmp.resolve("out");
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data().toString(), "--out", out.toString(), "--report",
                    locked.resolve("report").toString(), "--epochs", "1", "--hidden", "4", "--latent", "2", "--device",
                    "cpu");
            assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
            assertTrue(run.err().contains("permission denied"), run.err());
            assertFalse(Files.exists(out), "nothing trained, nothing written");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aModelFolderWhoseCommitWasInterruptedIsRefused() throws IOException {
        Path out = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--representation", "autoencoder", "--data", data().toString(), "--out", out.toString(), "--epochs", "1",
                "--hidden", "4", "--latent", "2", "--batch", "10", "--device", "cpu");
        assertEquals(0, train.exitCode(), train.err());
        Path manifest = out.resolve(".rnnclust-set.json");
        String complete = Files.readString(manifest);
        assertTrue(complete.indexOf("metrics.json") < complete.indexOf("model.rnnclust"), "the model is moved last");
        assertEquals(0, CliRun.of("cluster", "--model", out.toString(), "--data", data().toString(), "--out",
                tmp.resolve("c").toString(), "--device", "cpu").exitCode());

        // What a kill between the renames leaves: the new set's record, not yet complete.
        Files.writeString(manifest, complete.replace("\"complete\"", "\"incomplete\""));
        CliRun run = CliRun.of("cluster", "--model", out.toString(), "--data", data().toString(), "--out",
                tmp.resolve("c").toString(), "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(out + ": the output set here was interrupted"), run.err());

        // Another run's assignments beside this run's model.
        Files.writeString(manifest, complete);
        Files.writeString(out.resolve("assignments.csv"), "index,cluster\n0,1\n");
        run = CliRun.of("cluster", "--model", out.toString(), "--data", data().toString(), "--out",
                tmp.resolve("c").toString(), "--device", "cpu");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(out + ": assignments.csv is not the one the last run recorded"), run.err());
    }

    @Test
    void aSecondRunOnTheSameOutputFileIsRefused() throws IOException {
        Path out = tmp.resolve("run");
        assertEquals(0, CliRun.of("train", "--representation", "autoencoder", "--data", data().toString(), "--out", out.toString(), "--epochs", "1",
                "--hidden", "4", "--latent", "2", "--batch", "10", "--device", "cpu").exitCode());
        Path npy = tmp.resolve("e.npy");
        try (OutputClaim first = OutputClaim.file(npy)) {
            CliRun run = CliRun.of("embed", "--model", out.toString(), "--data", data().toString(), "--out",
                    npy.toString(), "--device", "cpu");
            assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
            assertTrue(run.err().contains(npy + ": another rnnclust run"), run.err());
            assertFalse(Files.exists(npy));
        }
        assertEquals(0, CliRun.of("embed", "--model", out.toString(), "--data", data().toString(), "--out",
                npy.toString(), "--device", "cpu").exitCode());
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".lock")), "the lock beside is removed");
        }
    }
}
