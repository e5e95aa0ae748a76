package org.rnnclust.nn;

import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.rnnclust.backend.cuda.CudaBackend;

/**
 * {@link RecurrentStackPyTorchTest}'s fixtures (forward and gradients, initial states, packed
 * lengths, bidirectional, multi-layer) on the GPU's tensor ops. Skipped, with the reason, where there
 * is no GPU; ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class RecurrentStackPyTorchCudaTest extends RecurrentStackPyTorchTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void openGpu() {
        assumeGpu("the PyTorch fixtures on CUDA");
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
