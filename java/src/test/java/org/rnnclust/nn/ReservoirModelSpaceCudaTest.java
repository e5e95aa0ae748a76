package org.rnnclust.nn;

import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.rnnclust.backend.cuda.CudaBackend;

/**
 * {@link ReservoirModelSpaceTest}'s numpy fixtures (states of both directions, model-space
 * coordinates, the drawn weights) with the reservoir on the GPU's tensor ops. Skipped, with the
 * reason, where there is no GPU; ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class ReservoirModelSpaceCudaTest extends ReservoirModelSpaceTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void openGpu() {
        assumeGpu("the reservoir fixtures on CUDA");
        ops.close();  // the CPU ops the base class opened
        gpu = new CudaBackend(0, false, 0);
        ops = gpu.tensorOps();
    }

    @AfterAll
    static void closeGpu() {
        // Runs before the base class's close(), which then finds the GPU ops already closed.
        if (gpu != null) gpu.close();
        gpu = null;
    }
}
