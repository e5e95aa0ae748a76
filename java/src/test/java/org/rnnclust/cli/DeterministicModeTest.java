package org.rnnclust.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --deterministic} gives the same model and assignments under the settings that differ from
 * one machine to the next, forced here on one machine: OpenBLAS's kernel ({@code OPENBLAS_CORETYPE},
 * read when the library loads, hence a fresh JVM per run), the native library's instruction-set
 * level ({@code -Drnnclust.cpu.isa}), and no native library at all (the Java twins). Without the
 * mode, two OpenBLAS kernels give two models: the test shows the difference it removes.
 */
class DeterministicModeTest {
    @TempDir static Path tmp;
    static Path data;
    /** Two OpenBLAS kernels this CPU can run, and the best and a lower instruction-set level. */
    static String kernelA, kernelB, levelHigh, levelLow;

    @BeforeAll
    static void setUp() throws IOException {
        data = ThreeShapes.write(tmp.resolve("three.tsv"), 20);
        String flags = Files.readString(Path.of("/proc/cpuinfo"));
        boolean avx512 = flags.contains(" avx512f");
        boolean avx2 = flags.contains(" avx2");
        kernelA = avx2 ? "Haswell" : "Prescott";
        kernelB = avx512 ? "SkylakeX" : avx2 ? "Sandybridge" : "Core2";
        levelHigh = avx512 ? "avx512f" : avx2 ? "avx2" : "scalar";
        levelLow = avx2 && avx512 ? "avx2" : "scalar";
    }

    private record Outcome(int exit, byte[] model, byte[] assignments, String log) {}

    /** The autoencoder with DEC refinement: GEMMs, the native cells, the argmin. */
    private static final List<String> AUTOENCODER = List.of("--representation", "autoencoder", "--epochs", "2",
            "--refine", "dec", "--refine-epochs", "2", "--refine-tol", "0");
    /** The same autoencoder started by spectral clustering: the block Krylov eigensolver's dense steps too. */
    private static final List<String> SPECTRAL_START = List.of("--representation", "autoencoder", "--epochs", "2",
            "--cluster-init", "spectral", "--refine", "none");
    /** Two small reservoirs: GEMMs, the Gram matrices and eigen-decompositions of two PCAs, k-means. */
    private static final List<String> RESERVOIR = List.of("--representation", "reservoir", "--members", "2",
            "--reservoir-units", "60", "--reservoir-components", "8");

    /** One `train` in its own JVM with the given environment and system properties. */
    private static Outcome train(String name, List<String> representation, String coretype, List<String> properties,
                                 boolean deterministic) throws IOException, InterruptedException {
        Path out = tmp.resolve(name);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(properties);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train"));
        cmd.addAll(representation);
        cmd.addAll(List.of("--data", data.toString(), "--out", out.toString(), "--device", "cpu", "--seed", "3",
                "--threads", "2"));
        if (deterministic) cmd.add("--deterministic");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("OPENBLAS_CORETYPE", coretype);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not finish in 120 s");
        String log = Files.readString(tmp.resolve(name + ".log"));
        if (p.exitValue() != 0) return new Outcome(p.exitValue(), null, null, log);
        return new Outcome(0, Files.readAllBytes(out.resolve("model.rnnclust")),
                Files.readAllBytes(out.resolve("assignments.csv")), log);
    }

    @Test
    void autoencoderSameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode() throws Exception {
        sameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode("autoencoder", AUTOENCODER);
    }

    @Test
    void spectralStartSameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode() throws Exception {
        sameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode("spectral", SPECTRAL_START);
    }

    @Test
    void reservoirSameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode() throws Exception {
        sameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode("reservoir", RESERVOIR);
    }

    private static void sameBitsUnderEveryKernelAndInstructionSetAndDifferentBitsWithoutTheMode(
            String name, List<String> representation) throws Exception {
        Outcome a = train(name + "-det-" + kernelA, representation, kernelA, List.of("-Drnnclust.cpu.isa=" + levelLow), true);
        Outcome b = train(name + "-det-" + kernelB, representation, kernelB, List.of("-Drnnclust.cpu.isa=" + levelHigh), true);
        Outcome java = train(name + "-det-java", representation, kernelB, List.of("-Drnnclust.native.disable=true"), true);
        for (Outcome o : List.of(a, b, java)) assertEquals(0, o.exit(), o.log());
        assertArrayEquals(a.model(), b.model(), "model: " + kernelA + "/" + levelLow + " vs " + kernelB + "/" + levelHigh);
        assertArrayEquals(a.assignments(), b.assignments());
        assertArrayEquals(a.model(), java.model(), "model: native library vs the Java twins");
        assertArrayEquals(a.assignments(), java.assignments());

        Outcome fastA = train(name + "-fast-" + kernelA, representation, kernelA, List.of(), false);
        Outcome fastB = train(name + "-fast-" + kernelB, representation, kernelB, List.of(), false);
        assertEquals(0, fastA.exit(), fastA.log());
        assertEquals(0, fastB.exit(), fastB.log());
        assertFalse(Arrays.equals(fastA.model(), fastB.model()),
                "without --deterministic, OpenBLAS kernels " + kernelA + " and " + kernelB + " gave the same model: "
                        + "the test no longer shows what the mode changes");
        assertFalse(Arrays.equals(a.model(), fastA.model()), "the deterministic mode did not change the GEMM");
    }

    @Test
    void refusesAGpu() {
        CliRun run = CliRun.of("train", "--representation", "autoencoder", "--data", data.toString(), "--out", tmp.resolve("gpu").toString(),
                "--device", "cuda", "--deterministic");
        assertEquals(Main.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains("deterministic mode computes on the CPU"), run.err());
        assertFalse(Files.exists(tmp.resolve("gpu")), "nothing written");
    }
}
