package org.rnnclust.backend.cuda;

import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.rnnclust.Setting;

/**
 * The one place where return codes of CUDA (runtime and driver), cuBLAS and NVRTC calls become
 * exceptions. Every call in this package goes through one of these checks with its name, so an
 * error says which call failed and what CUDA said about it. Out-of-memory codes become
 * {@link CudaOutOfMemoryException}, which the CLI reports as out of memory (exit 4) with what to lower.
 */
final class Cuda {
    /**
     * What a user can lower when the device runs out of memory, appended to every OOM message; the
     * exception also carries the settings it names, {@link #LOWER_SETTINGS}.
     */
    static final String LOWER_HINT = "lower the GPU memory limit of k-means (the data then stream from host memory "
            + "in chunks), the batch size, or the data size, or use another GPU";
    static final Setting[] LOWER_SETTINGS = {Setting.MAX_DEVICE_MEMORY, Setting.BATCH_SIZE};

    private Cuda() {}

    /** A CUDA runtime call (cudaError_t). */
    static void check(String call, int err) {
        if (err == 0) return;
        if (err == cudart.cudaErrorMemoryAllocation) {
            cudart.cudaGetLastError();  // clear the sticky-free error so later calls do not see it
            throw outOfMemory(call);
        }
        throw new CudaException(call + ": " + string(cudart.cudaGetErrorName(err)) + " ("
                + string(cudart.cudaGetErrorString(err)) + ")", err);
    }

    /** A CUDA driver call (CUresult). */
    static void checkDriver(String call, int res) {
        if (res == 0) return;
        if (res == cudart.CUDA_ERROR_OUT_OF_MEMORY) throw outOfMemory(call);
        throw new CudaException(call + ": " + driverErrorName(res) + " (" + driverErrorString(res) + ")", res);
    }

    /** A cuBLAS call (cublasStatus_t). */
    static void checkBlas(String call, int status) {
        if (status == cublas.CUBLAS_STATUS_SUCCESS) return;
        if (status == cublas.CUBLAS_STATUS_ALLOC_FAILED) throw outOfMemory(call);
        throw new CudaException(call + ": " + string(cublas.cublasGetStatusName(status)) + " ("
                + string(cublas.cublasGetStatusString(status)) + ")", status);
    }

    /** An NVRTC call (nvrtcResult); {@code log} is the compiler's output when there is one. */
    static void checkNvrtc(String call, int result, String log) {
        if (result == nvrtc.NVRTC_SUCCESS) return;
        String msg = call + ": " + string(nvrtc.nvrtcGetErrorString(result));
        if (log != null && !log.isBlank()) msg += ": " + log.strip().replace('\n', ' ');
        throw new CudaException(msg, result);
    }

    static String driverErrorName(int res) {
        BytePointer p = new BytePointer();  // no memory of its own: the call points it at a static string
        return cudart.cuGetErrorName(res, p) == 0 && !p.isNull() ? p.getString() : "CUresult " + res;
    }

    static String driverErrorString(int res) {
        BytePointer p = new BytePointer();
        return cudart.cuGetErrorString(res, p) == 0 && !p.isNull() ? p.getString() : "unknown error";
    }

    static CudaOutOfMemoryException outOfMemory(String call) {
        long[] info = memInfo();
        String free = info == null ? "" : String.format(Locale.ROOT, " (%s free of %s)", bytes(info[0]), bytes(info[1]));
        return new CudaOutOfMemoryException("CUDA out of memory in " + call + free + ": " + LOWER_HINT, LOWER_SETTINGS);
    }

    /** {free, total} bytes of the current device, or null when even that fails. */
    static long[] memInfo() {
        try (org.bytedeco.javacpp.SizeTPointer free = new org.bytedeco.javacpp.SizeTPointer(1);
             org.bytedeco.javacpp.SizeTPointer total = new org.bytedeco.javacpp.SizeTPointer(1)) {
            if (cudart.cudaMemGetInfo(free, total) != 0) return null;
            return new long[] {free.get(), total.get()};
        }
    }

    static String bytes(long b) {
        if (b >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }

    private static String string(BytePointer p) {
        return p == null || p.isNull() ? "?" : p.getString();
    }
}
