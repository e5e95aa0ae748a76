package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same seed gives the same bits whatever --threads says: every split of the work is a function
 * of the problem's size, never of the thread count.
 */
class ThreadCountReproducibilityTest {
    @TempDir Path tmp;

    /** Three noisy shapes (flat, rising, falling bumps) of 96 steps: sizes where the CPU ops split. */
    private Path threeShapes(int perClass) throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 * perClass; i++) {
            int label = i % 3;
            sb.append(label + 1);
            for (int t = 0; t < 96; t++) {
                double shape = label == 0 ? 0 : (label == 1 ? t / 96.0 : 1 - t / 96.0);
                double v = (t > 16 && t < 80 ? shape : 0) + 0.3 * rng.nextGaussian();
                sb.append('\t').append(String.format(Locale.ROOT, "%.6f", v));
            }
            sb.append('\n');
        }
        Path p = tmp.resolve("three.tsv");
        Files.writeString(p, sb);
        return p;
    }

    @Test
    void trainWithDecRefinementGivesTheSameModelBytesForOneTwoAndThreeThreads() throws IOException {
        Path data = threeShapes(20);
        byte[] reference = null;
        for (String threads : new String[] {"1", "2", "3"}) {
            Path out = tmp.resolve("train-" + threads);
            CliRun run = CliRun.of("train", "--data", data.toString(), "--out", out.toString(), "--epochs", "2",
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
