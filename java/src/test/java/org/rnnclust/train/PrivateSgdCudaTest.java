package org.rnnclust.train;

import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cuda.CudaBackend;

/**
 * DP-SGD's per-sequence gradients on the GPU's tensor ops against one-sequence batches on the CPU
 * ({@link PrivateSgdTest} checks the CPU). Skipped, with the reason, where there is no GPU;
 * ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class PrivateSgdCudaTest {
    @Test
    void perSequenceGradientsOnTheGpuEqualOneSequenceBatchesOnTheCpu() {
        assumeGpu("DP-SGD's per-sequence gradients on CUDA");
        try (CudaBackend gpu = new CudaBackend(0, false, 0)) {
            PrivateSgdTest.checkPerSequenceGradients(gpu.tensorOps(), 1e-4);
        }
    }
}
