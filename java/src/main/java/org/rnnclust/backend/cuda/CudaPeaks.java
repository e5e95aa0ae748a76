package org.rnnclust.backend.cuda;

import org.bytedeco.cuda.global.cudart;
import org.rnnclust.backend.Peaks;

/**
 * The GPU's measured ceilings for the benchmarks' floors: cuBLAS SGEMM at 8192³ in the context's math
 * mode (FP32 or TF32), and device-to-device copy bandwidth (bytes read + written per second), each
 * the best of a few event-timed runs.
 */
final class CudaPeaks {
    private CudaPeaks() {}

    static Peaks measure(CudaContext ctx) {
        ctx.bind();
        int n = 8192;
        long matrix = 4L * n * n;
        double gemmMs = Double.MAX_VALUE;
        try (DeviceMemory a = new DeviceMemory(matrix, "peak GEMM A");
             DeviceMemory b = new DeviceMemory(matrix, "peak GEMM B");
             DeviceMemory c = new DeviceMemory(matrix, "peak GEMM C")) {
            Cuda.check("cudaMemset", cudart.cudaMemset(DeviceMemory.pointerAt(a.address()), 0, matrix));
            Cuda.check("cudaMemset", cudart.cudaMemset(DeviceMemory.pointerAt(b.address()), 0, matrix));
            Runnable gemm = () -> ctx.sgemm(false, false, n, n, n, a.address(), n, b.address(), n, c.address(), n);
            gemm.run();
            for (int i = 0; i < 3; i++) gemmMs = Math.min(gemmMs, ctx.timeMs(gemm));
        }
        long bytes = 1L << 30;
        double copyMs = Double.MAX_VALUE;
        try (DeviceMemory src = new DeviceMemory(bytes, "peak copy source");
             DeviceMemory dst = new DeviceMemory(bytes, "peak copy destination")) {
            Runnable copy = () -> Cuda.check("cudaMemcpyAsync(device to device)", cudart.cudaMemcpyAsync(
                    DeviceMemory.pointerAt(dst.address()), DeviceMemory.pointerAt(src.address()), bytes,
                    cudart.cudaMemcpyDeviceToDevice, ctx.computeStream()));
            copy.run();
            for (int i = 0; i < 5; i++) copyMs = Math.min(copyMs, ctx.timeMs(copy));
        }
        double gflops = 2.0 * n * n * n / (gemmMs * 1e6);
        double gbs = 2.0 * bytes / (copyMs * 1e6);
        return new Peaks(gflops, gbs);
    }
}
