package org.rnnclust.nn;

import static org.rnnclust.backend.cuda.GpuAssumptions.assumeGpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.rnnclust.backend.cuda.CudaBackend;

/**
 * {@link TemporalAutoencoderPyTorchTest}'s fixtures on the GPU's tensor ops (the pooling kernels
 * of kernels/rnn.cu, the convolutions' cuBLAS products). Skipped, with the reason, where there is
 * no GPU; ci/gpu-check.sh runs it.
 */
@Tag("gpu")
class TemporalAutoencoderPyTorchCudaTest extends TemporalAutoencoderPyTorchTest {
    private static CudaBackend gpu;

    @BeforeAll
    static void openGpu() {
        assumeGpu("the temporal autoencoder's PyTorch fixtures on CUDA");
        ops.close();  // the CPU ops the base class opened
        gpu = new CudaBackend(0, false, 0);
        ops = gpu.tensorOps();
    }

    @AfterAll
    static void closeGpu() {
        if (gpu != null) gpu.close();
        gpu = null;
    }
}
