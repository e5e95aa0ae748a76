package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.Precision;
import org.rnnclust.Setting;

/** The factory's refusals speak of settings in words (the command line adds the flags), and its description for info. */
@Tag("gpu")
class BackendsTest {
    /** --threads 0 on a Slurm node: at most the task's CPUs, whatever the node shows. */
    @Test
    void defaultThreadsHonourSlurmCpusPerTask() {
        assertEquals(64, Backends.defaultThreads(java.util.Map.of(), 64), "no Slurm: every core the JVM sees");
        assertEquals(8, Backends.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "8"), 64));
        assertEquals(4, Backends.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "8"), 4),
                "a cgroup or affinity limit below Slurm's count wins");
        assertEquals(64, Backends.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "0"), 64));
        assertEquals(64, Backends.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", "two"), 64));
        assertEquals(64, Backends.defaultThreads(java.util.Map.of("SLURM_CPUS_PER_TASK", " "), 64));
    }

    /** The older boolean form still means TF32 or FP32; a missing precision is FP32. */
    @Test
    void precisionOfARequest() {
        assertEquals(Precision.TF32, new Backends.Request("cpu", 1, true, 0, false).precision());
        assertEquals(Precision.FP32, new Backends.Request("cpu", 1, false, 0, false, true).precision());
        assertEquals(Precision.FP32, new Backends.Request("cpu", 1, (Precision) null, 0, false, false).precision());
        assertTrue(Precision.TF32.cublasTf32() && !Precision.TF32X3.cublasTf32() && !Precision.FP32.cublasTf32());
        assertTrue(Precision.TF32.tensorCoreKMeans() && Precision.TF32X3.tensorCoreKMeans());
        assertFalse(Precision.FP32.tensorCoreKMeans());
    }

    private static InputException refused(Backends.Request r) {
        return assertThrows(InputException.class, () -> Backends.open(r).close());
    }

    private static void assertNoFlag(InputException e) {
        assertFalse(e.getMessage().contains("--"), "a flag in a backend message: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void badRequestsNameTheSettingToChange() {
        InputException threads = refused(new Backends.Request("cpu", -1, false, 0, false));
        assertEquals(List.of(Setting.THREADS), threads.settings());
        assertTrue(threads.getMessage().contains("CPU threads") && threads.getMessage().contains("-1"), threads.getMessage());
        assertNoFlag(threads);

        InputException memory = refused(new Backends.Request("cpu", 1, false, -5, false));
        assertEquals(List.of(Setting.MAX_DEVICE_MEMORY), memory.settings());
        assertNoFlag(memory);

        InputException device = refused(Backends.Request.of("tpu", 1));
        assertEquals(List.of(Setting.DEVICE), device.settings());
        assertTrue(device.getMessage().contains("tpu"), device.getMessage());
        assertNoFlag(device);

        for (String list : new String[] {"cuda:0,", "cuda:,1", "cuda:0;1", "cpu,cpu"}) {
            InputException shards = refused(Backends.Request.of(list, 1));
            assertEquals(List.of(Setting.DEVICE), shards.settings());
            assertTrue(shards.getMessage().contains("unknown device") && shards.getMessage().contains("cuda:N,M,..."),
                    shards.getMessage());
        }
    }

    @Test
    void cudaWithoutAGpuNamesTheReasonAndTheDeviceSetting() {
        String why = Backends.cudaUnavailableReason();
        assumeTrue(why != null, "a GPU is present: this case is for machines without one");
        for (String device : new String[] {"cuda", "cuda:1", "cuda:0,1"}) {
            InputException e = refused(Backends.Request.of(device, 1));
            assertEquals(List.of(Setting.DEVICE), e.settings());
            assertTrue(e.getMessage().contains(device + ": CUDA is not available: " + why), e.getMessage());
            assertNoFlag(e);
        }
    }

    @Test
    void computeDescriptionCoversTheLibrariesAndEndsWithCudasAvailability() {
        List<Backends.InfoLine> lines = Backends.describeCompute();
        assertEquals("OpenBLAS", lines.get(0).label());
        assertEquals("Native", lines.get(1).label());
        Backends.InfoLine last = lines.get(lines.size() - 1);
        assertEquals("CUDA", last.label());
        String why = Backends.cudaUnavailableReason();
        assertEquals(why == null ? "available" : "unavailable: " + why, last.text());
        long gpus = lines.stream().filter(l -> l.label().equals("GPU")).count();
        assertEquals(why == null, gpus > 0, lines.toString());
        for (Backends.InfoLine l : lines) assertFalse(l.text().isBlank() || l.text().contains("\n"), l.toString());
    }
}
