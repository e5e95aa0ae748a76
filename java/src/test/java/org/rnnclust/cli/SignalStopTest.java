package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.io.ModelFile;

/**
 * A real SIGTERM to this JVM during {@code train}: the run stops at a batch boundary with a
 * checkpoint and exit 75, one line saying how to resume, and the resumed run ends with the
 * uninterrupted run's model file. The signal is sent only while training surely runs (after the
 * first checkpoint of a run of 1000 epochs), when the command's handler is installed.
 */
class SignalStopTest {
    @TempDir Path tmp;

    static void sendToThisJvm(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    @Test
    void aSignalIsRecordedUntilTheHandlersAreRestored() throws Exception {
        StopSignals stop = StopSignals.install();
        try {
            assertEquals(2, stop.handled(), "SIGTERM and SIGINT should both be handled");
            assertFalse(stop.requested());
            sendToThisJvm("INT");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stop.requested() && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals("SIGINT", stop.signal());
        } finally {
            stop.restore();
        }
    }

    static List<String> args(Path data, String dirFlag, Path dir, int epochs) {
        return new ArrayList<>(List.of("train", "--representation", "autoencoder", "--data", data.toString(), dirFlag, dir.toString(), "--epochs",
                Integer.toString(epochs), "--patience", "0", "--hidden", "6", "--latent", "3", "--batch", "4",
                "--refine", "none", "--device", "cpu", "--seed", "5"));
    }

    @Test
    void sigtermDuringTrainingCheckpointsExits75AndResumesToTheUninterruptedModel() throws Exception {
        Path data = TrainCommandTest.writeUcr(Cbf.generate(20, 64, 2), tmp.resolve("cbf.tsv"));
        Path run = tmp.resolve("run");
        Path checkpoint = run.resolve("checkpoints/last.ckpt");
        CliRun r;
        // A stopped command leaves its handlers in place (see StopSignals.close); these put the
        // JVM's own back afterwards.
        StopSignals jvmHandlers = StopSignals.install();
        try {
            CompletableFuture<CliRun> stopped = CompletableFuture.supplyAsync(
                    () -> CliRun.of(args(data, "--out", run, 1000).toArray(new String[0])));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoint) && !stopped.isDone() && System.nanoTime() < deadline) Thread.sleep(5);
            assertFalse(stopped.isDone(), "the run ended before it was signalled");
            sendToThisJvm("TERM");
            r = stopped.get(60, TimeUnit.SECONDS);
        } finally {
            jvmHandlers.restore();
        }

        assertEquals(Main.EXIT_INTERRUPTED, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().startsWith("rnnclust: stopped by SIGTERM: training stopped before batch "), r.err());
        assertTrue(r.err().contains("continue it with --resume " + run + " and the same flags"), r.err());
        assertFalse(Files.exists(run.resolve("model.rnnclust")));

        // Resumed with an epoch limit just past where it stopped, it ends as a run with that limit does.
        JsonNode saved = ModelFile.read(checkpoint).header().get("sections").get("pretraining");
        int epochs = saved.get("epochs").asInt() + (saved.has("in_epoch") ? 1 : 0) + 1;
        Path whole = tmp.resolve("whole");
        assertEquals(0, CliRun.of(args(data, "--out", whole, epochs).toArray(new String[0])).exitCode());
        CliRun resumed = CliRun.of(args(data, "--resume", run, epochs).toArray(new String[0]));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(run.resolve("model.rnnclust")));
    }

    /**
     * A job script's one command line, {@code --resume auto --out DIR}: the first run (no
     * checkpoint yet) starts afresh and is stopped by SIGTERM after its first checkpoint; the same
     * command line again (the requeue) continues it and ends with the uninterrupted run's model.
     */
    @Test
    void oneCommandWithResumeAutoServesTheFirstRunAndTheRequeue() throws Exception {
        Path data = TrainCommandTest.writeUcr(Cbf.generate(20, 64, 2), tmp.resolve("cbf.tsv"));
        Path run = tmp.resolve("run");
        Path checkpoint = run.resolve("checkpoints/last.ckpt");
        int epochs = 40;
        List<String> jobLine = args(data, "--out", run, epochs);
        jobLine.addAll(List.of("--resume", "auto"));
        String[] job = jobLine.toArray(new String[0]);
        CliRun first;
        StopSignals jvmHandlers = StopSignals.install();
        try {
            CompletableFuture<CliRun> stopped = CompletableFuture.supplyAsync(() -> CliRun.of(job));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(checkpoint) && !stopped.isDone() && System.nanoTime() < deadline) Thread.sleep(5);
            assertFalse(stopped.isDone(), "the run ended before it was signalled");
            sendToThisJvm("TERM");
            first = stopped.get(60, TimeUnit.SECONDS);
        } finally {
            jvmHandlers.restore();
        }
        assertEquals(Main.EXIT_INTERRUPTED, first.exitCode(), first.err());
        assertTrue(first.err().contains("run the same command again to continue it"), first.err());
        assertFalse(Files.exists(run.resolve("model.rnnclust")));

        CliRun requeued = CliRun.of(job);
        assertEquals(0, requeued.exitCode(), requeued.err());
        Path whole = tmp.resolve("whole");
        assertEquals(0, CliRun.of(args(data, "--out", whole, epochs).toArray(new String[0])).exitCode());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(run.resolve("model.rnnclust")));

        // The same line once more, on a finished run: it continues from the last checkpoint to the same model.
        CliRun again = CliRun.of(job);
        assertEquals(0, again.exitCode(), again.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.rnnclust")),
                Files.readAllBytes(run.resolve("model.rnnclust")));
    }

    @Test
    void resumeAutoWithoutOutIsRefusedInOneLine() {
        CliRun r = CliRun.of("train", "--data", "x.tsv", "--resume", "auto");
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().contains("--resume auto needs --out DIR"), r.err());
    }
}
