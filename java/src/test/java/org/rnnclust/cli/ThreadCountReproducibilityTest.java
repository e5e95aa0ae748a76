package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same bits whatever --threads says: every split of the work is a function
 * of the problem's size, never of the thread count.
 */
class ThreadCountReproducibilityTest {
    @TempDir Path tmp;

    private Path threeShapes(int perClass) throws IOException {
        return ThreeShapes.write(tmp.resolve("three.tsv"), perClass);
    }

    @Test
    void trainWithDecRefinementGivesTheSameModelBytesForOneTwoAndThreeThreads() throws IOException {
        Path data = threeShapes(20);
        byte[] reference = null;
        for (String threads : new String[] {"1", "2", "3"}) {
            Path out = tmp.resolve("train-" + threads);
            CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
                    "--refine", "dec", "--refine-epochs", "2", "--refine-tol", "0", "--device", "cpu", "--seed", "3",
                    "--threads", threads);
            assertEquals(0, run.exitCode(), run.err());
            byte[] model = Files.readAllBytes(out.resolve("model.rnnclust"));
            if (reference == null) {
                reference = model;
            } else {
                assertArrayEquals(reference, model, "model with --threads " + threads + " vs 1");
            }
        }
    }

    @Test
    void kmeansGivesTheSameAssignmentsAndInertiaForOneTwoAndThreeThreads() throws IOException {
        Path data = threeShapes(100);
        String referenceAssignments = null;
        double referenceInertia = Double.NaN;
        for (String threads : new String[] {"1", "2", "3"}) {
            Path out = tmp.resolve("kmeans-" + threads);
            CliRun run = CliRun.of("kmeans", "--data", data.toString(), "--out", out.toString(), "--device", "cpu",
                    "--seed", "3", "--threads", threads);
            assertEquals(0, run.exitCode(), run.err());
            String assignments = Files.readString(out.resolve("assignments.csv"));
            double inertia = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("inertia").asDouble();
            if (referenceAssignments == null) {
                referenceAssignments = assignments;
                referenceInertia = inertia;
            } else {
                assertEquals(referenceAssignments, assignments, "assignments with --threads " + threads + " vs 1");
                assertEquals(Double.doubleToLongBits(referenceInertia), Double.doubleToLongBits(inertia),
                        "inertia with --threads " + threads + " (" + inertia + ") vs 1 (" + referenceInertia + ")");
            }
        }
    }
}
