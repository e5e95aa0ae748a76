package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;

/** The CUDA probe: a one-line reason where CUDA is missing, the GPUs where it is not. */
@Tag("gpu")
class CudaProbeTest {
    @Test
    void withoutAGpuTheReasonIsOneLineAndCudaIsRefused() {
        CudaProbe.Result r = CudaProbe.probe();
        assumeTrue(r.devices().isEmpty(), "a GPU is present: this case is for machines without one");
        assertTrue(r.unavailableReason() != null && !r.unavailableReason().isBlank());
        assertFalse(r.unavailableReason().contains("\n"));
        InputException e = assertThrows(InputException.class, () -> Backends.open("cuda", 1));
        assertTrue(e.getMessage().contains(r.unavailableReason()), e.getMessage());
        try (Backend auto = Backends.open("auto", 1)) {
            assertEquals("cpu", auto.name(), "auto falls back to the CPU");
        }
    }

    @Test
    void gpusAreDescribed() {
        CudaProbe.Result r = GpuAssumptions.assumeGpu("the GPU list");
        for (CudaProbe.Device d : r.devices()) {
            assertTrue(d.memoryBytes() > 0, d.describe());
            assertTrue(d.major() >= 5, d.describe());
            assertFalse(d.name().isBlank(), d.describe());
        }
        assertTrue(r.driverVersion() >= r.runtimeVersion() || r.driverVersion() > 0);
    }
}
