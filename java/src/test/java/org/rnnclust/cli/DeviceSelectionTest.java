package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.backend.cuda.CudaProbe;

/** --device, --precision and --max-device-memory from the command line, with and without a GPU. */
@Tag("gpu")
class DeviceSelectionTest {
    @TempDir Path tmp;

    private static boolean noGpu() {
        return CudaProbe.probe().devices().isEmpty();
    }

    private Path data() throws IOException {
        Path p = tmp.resolve("x.tsv");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) sb.append(i % 2).append('\t').append(i).append('\t').append(i % 3).append("\t1\n");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void cudaWithoutAGpuExitsThreeWithOneLine() throws IOException {
        assumeTrue(noGpu(), "a GPU is present: this case is for machines without one");
        for (String device : new String[] {"cuda", "cuda:1", "cuda:0,1"}) {
            CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out", tmp.resolve("o").toString(),
                    "--device", device);
            assertEquals(Main.EXIT_DEVICE_UNAVAILABLE, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains("CUDA is not available: " + CudaProbe.probe().unavailableReason()), run.err());
            assertTrue(Files.notExists(tmp.resolve("o")), "nothing written");
        }
    }

    @Test
    void autoRunsOnTheCpuWithoutAGpu() throws IOException {
        assumeTrue(noGpu(), "a GPU is present: this case is for machines without one");
        CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out", tmp.resolve("o").toString(),
                "--device", "auto", "--n-init", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(Files.exists(tmp.resolve("o/assignments.csv")));
    }

    /** k-means sharded over two contexts of GPU 0 from the command line: the assignments of one GPU. */
    @Test
    void kmeansShardedOnOneGpuGivesTheSameAssignments() throws IOException {
        assumeTrue(!noGpu(), "no GPU here: skipping the sharded command");
        String[] devices = {"cuda:0", "cuda:0,0"};
        String[] outputs = new String[devices.length];
        for (int i = 0; i < devices.length; i++) {
            Path out = tmp.resolve("s" + i);
            CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out", out.toString(),
                    "--device", devices[i], "--n-init", "1");
            assertEquals(0, run.exitCode(), run.err());
            outputs[i] = Files.readString(out.resolve("assignments.csv"));
        }
        assertEquals(outputs[0], outputs[1]);
    }

    @Test
    void infoNamesWhyCudaIsUnavailableOrListsTheGpus() {
        CliRun run = CliRun.of("info");
        assertEquals(0, run.exitCode(), run.err());
        CudaProbe.Result r = CudaProbe.probe();
        if (r.devices().isEmpty()) {
            assertTrue(run.out().contains("CUDA       unavailable: " + r.unavailableReason()), run.out());
        } else {
            for (CudaProbe.Device d : r.devices()) assertTrue(run.out().contains(d.name()), run.out());
            assertTrue(run.out().contains("driver"), run.out());
        }
    }

    @Test
    void trainingOnCudaWithoutAGpuIsOneLineAndWritesNothing() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(noGpu(), "a GPU is present: training on it is TrainCudaParityTest's");
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data().toString(), "--out", tmp.resolve("t").toString(), "--epochs", "1",
                "--device", "cuda");
        assertEquals(Main.EXIT_DEVICE_UNAVAILABLE, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("CUDA is not available"), run.err());
        assertTrue(java.nio.file.Files.notExists(tmp.resolve("t")), "no output folder (not even checkpoints/)");
    }

    /** Every precision is accepted; on the CPU each computes the same FP32 answer. */
    @Test
    void everyPrecisionRunsOnTheCpu() throws IOException {
        String first = null;
        for (String precision : new String[] {"fp32", "tf32", "tf32x3"}) {
            Path out = tmp.resolve("p-" + precision);
            CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out", out.toString(),
                    "--device", "cpu", "--precision", precision, "--n-init", "1");
            assertEquals(0, run.exitCode(), run.err());
            String assignments = Files.readString(out.resolve("assignments.csv"));
            if (first == null) first = assignments;
            assertEquals(first, assignments, precision);
        }
    }

    @Test
    void badDeviceOptionsAreOneLine() throws IOException {
        for (String[] bad : new String[][] {{"--device", "tpu"}, {"--max-device-memory", "lots"}, {"--precision", "fp8"}}) {
            CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out",
                    tmp.resolve("b").toString(), bad[0], bad[1]);
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains(bad[0]) || run.err().contains(bad[1]), run.err());
        }
    }

    @Test
    void refusedDeviceSettingsGetTheirFlagFromTheCommandLine() throws IOException {
        String[][] cases = {{"--device", "tpu", "device tpu: unknown device"}, {"--threads", "-2", "CPU threads"}};
        for (String[] bad : cases) {
            CliRun run = CliRun.of("kmeans", "--data", data().toString(), "--k", "2", "--out",
                    tmp.resolve("f").toString(), bad[0], bad[1]);
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(1, run.errLines(), run.err());
            assertTrue(run.err().contains(bad[2]) && run.err().contains("(flag: " + bad[0] + ")"), run.err());
        }
    }
}
