package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.backend.cuda.CudaProbe;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.metrics.RandIndex;

/**
 * {@code train} for 20 epochs on the CPU and on the GPU from the same seed: the clusterings agree
 * (ARI ≥ 0.99) and the final losses are close. Skipped where there is no GPU; ci/gpu-check.sh runs it.
 */
class TrainCudaParityTest {
    @TempDir Path tmp;

    @Test
    void twentyEpochsOnCpuAndGpuGiveTheSameClusters() throws IOException {
        CudaProbe.Result r = CudaProbe.probe();
        assumeFalse(r.devices().isEmpty(), "no GPU here (" + r.unavailableReason() + "): skipping CPU vs GPU training");
        Dataset cbf = Cbf.generate(40, 64, 9);
        Path data = TrainCommandTest.writeUcr(cbf, tmp.resolve("cbf.tsv"));
        double[] loss = new double[2];
        int[][] clusters = new int[2][];
        String[] devices = {"cpu", "cuda"};
        for (int d = 0; d < 2; d++) {
            Path out = tmp.resolve(devices[d]);
            CliRun run = CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "20",
                    "--patience", "0", "--device", devices[d], "--seed", "3");
            assertEquals(0, run.exitCode(), devices[d] + ": " + run.err());
            clusters[d] = TrainCommandTest.clusters(out.resolve("assignments.csv"));
            loss[d] = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("final_loss").asDouble();
        }
        double ari = RandIndex.ari(clusters[0], clusters[1]);
        assertTrue(ari >= 0.99, "ARI between CPU and GPU assignments: " + ari);
        assertTrue(Math.abs(loss[1] - loss[0]) <= 1e-2 * loss[0], "final loss CPU " + loss[0] + " vs GPU " + loss[1]);
    }
}
