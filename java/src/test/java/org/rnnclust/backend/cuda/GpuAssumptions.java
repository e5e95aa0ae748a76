package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The one skip rule of the GPU tests: no usable GPU here, so the test is skipped with the reason. */
public final class GpuAssumptions {
    private GpuAssumptions() {}

    /**
     * Skips the calling test unless a GPU is usable; the skip message names the probe's reason and
     * {@code what} is skipped. Returns the probe for tests that look further.
     */
    public static CudaProbe.Result assumeGpu(String what) {
        CudaProbe.Result r = CudaProbe.probe();
        assumeFalse(r.devices().isEmpty(), "no GPU here (" + r.unavailableReason() + "): skipping " + what);
        return r;
    }
}
