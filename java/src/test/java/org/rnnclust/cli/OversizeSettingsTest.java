package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.data.gen.Cbf;

/**
 * Settings and data that need more memory than there is end with one line that names the flags
 * and the memory needed, checked before anything large is allocated: exit 4 where it exceeds the
 * memory available (the tests run with a 4 GiB heap, which also bounds the CPU backend's native
 * buffers), exit 2 where no machine could hold it (one buffer of more than 2^31 values). Each case
 * is refused in about the time it takes to read its data: nothing trains.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OversizeSettingsTest {
    @TempDir static Path tmp;
    /** 30 CBF series of 128 steps, the size of CBF_TRAIN. */
    static Path cbf;

    @BeforeAll
    static void writeData() throws IOException {
        cbf = TrainCommandTest.writeUcr(Cbf.generate(10, 128, 1), tmp.resolve("cbf.tsv"));
    }

    @Test
    void twoSequencesOfTwoMillionStepsAreRefusedBeforeTraining() throws IOException {
        Path data = longSeries(tmp.resolve("long.tsv"), 2, 2_000_000);
        // An LSTM of 32 hidden keeps ~17 GiB of activations for a batch of 2 × 2,000,000 steps.
        CliRun run = refused(Main.EXIT_OUT_OF_MEMORY, "train", "--representation", "autoencoder", "--data", data.toString(), "--format", "ucr");
        assertNames(run, "--batch", "--resample-length");
        assertTrue(run.err().contains("activations"), run.err());
    }

    /**
     * Each flag on CBF-sized data: the exit code, the flag named, and the part of the plan it
     * names. 1000 layers keep ~6.5 GiB of activations for a batch of 30 × 128 steps; the recurrent
     * weights of 20000 hidden are 4·20000 × 20000 floats per layer, ~48 GiB with the optimizer state;
     * W_hh of 100000 hidden (4·10^10 floats) and the latent layer of 2·10^9 fit no Java array and no
     * CPU buffer; a resample length beyond 2^24 is what a model file may not hold either.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--layers, 1000, 4, activations",
        "--hidden, 20000, 4, parameters",
        "--hidden, 100000, 2, parameters",
        "--latent, 2000000000, 2, parameters",
        "--resample-length, 100000000, 2, at most 16777216 steps"})
    void anOversizeSettingIsRefusedBeforeTraining(String flag, String value, int exitCode, String names) {
        CliRun run = refused(exitCode, "train", "--representation", "autoencoder", "--data", cbf.toString(), "--length", "resample", flag, value);
        assertNames(run, flag);
        assertTrue(run.err().contains(names), run.err());
    }

    @Test
    void aBenchmarkShapeNoBufferHoldsIsBadInput() {
        // Its input alone is 100000 × 1000 × 1000 = 10^11 floats.
        CliRun run = CliRun.of("bench", "--device", "cpu", "--rnn", "lstm:100000,1000,1000,1000");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertNames(run, "--rnn");
        assertTrue(run.out().isEmpty(), "refused before the device is measured: " + run.out());
    }

    @Test
    void aBenchmarkShapeBeyondTheMemoryIsRefusedBeforeItRuns() {
        // 1000 sequences × 1000 steps × 64 inputs, 256 hidden: each buffer fits, all of them need ~17 GiB.
        CliRun run = CliRun.of("bench", "--device", "cpu", "--threads", "1", "--rnn", "lstm:1000,1000,64,256",
                "--warmup", "0", "--repeat", "1");
        assertEquals(Main.EXIT_OUT_OF_MEMORY, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertNames(run, "--rnn");
    }

    @Test
    void embeddingSequencesTooLongForTheMemoryIsRefusedBeforeItRuns() throws IOException {
        Path dir = tmp.resolve("small-model");
        CliRun train = CliRun.of("train", "--representation", "autoencoder", "--data", cbf.toString(), "--out", dir.toString(), "--device", "cpu",
                "--hidden", "64", "--epochs", "1", "--refine", "none");
        assertEquals(0, train.exitCode(), train.err());
        Path data = longSeries(tmp.resolve("long-embed.tsv"), 2, 2_000_000);
        // The encoder of 64 hidden keeps ~11 GiB of activations for a batch of 2 × 2,000,000 steps.
        Path out = tmp.resolve("long.npy");
        CliRun run = CliRun.of("embed", "--model", dir.toString(), "--data", data.toString(), "--device", "cpu",
                "--out", out.toString());
        assertEquals(Main.EXIT_OUT_OF_MEMORY, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("embedding") && run.err().contains("GiB"), run.err());
        assertTrue(Files.notExists(out), "nothing written");
    }

    /** Runs {@code args} with a fresh --out on the CPU and checks the exit code, one line and no output. */
    private static CliRun refused(int exitCode, String... args) {
        Path out = tmp.resolve("out-" + System.nanoTime());
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--device", "cpu", "--out", out.toString(), "--epochs", "1"));
        CliRun run = CliRun.of(all.toArray(new String[0]));
        assertEquals(exitCode, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(Files.notExists(out.resolve("model.rnnclust")), "no model written");
        return run;
    }

    private static void assertNames(CliRun run, String... flags) {
        for (String flag : flags) assertTrue(run.err().contains(flag), flag + " not named in: " + run.err());
    }

    /** A UCR file of {@code n} series of {@code steps} one-digit values (labels 1..n). */
    static Path longSeries(Path file, int n, int steps) throws IOException {
        if (Files.exists(file)) return file;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (int i = 0; i < n; i++) {
                w.write(Integer.toString(i + 1));
                for (int t = 0; t < steps; t++) {
                    w.write('\t');
                    w.write('0' + (t * (i + 3)) % 10);
                }
                w.write('\n');
            }
        }
        return file;
    }
}
