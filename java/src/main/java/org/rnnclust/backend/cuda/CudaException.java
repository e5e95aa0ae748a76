package org.rnnclust.backend.cuda;

/**
 * A CUDA, cuBLAS or NVRTC call failed. The message names the call and carries the library's own
 * error name and string, e.g. {@code cuLaunchKernel(argminRows): CUDA_ERROR_INVALID_VALUE (invalid argument)}.
 */
public class CudaException extends RuntimeException {
    private final int code;

    public CudaException(String message, int code) {
        super(message);
        this.code = code;
    }

    /** The library's error code (cudaError_t, CUresult, cublasStatus_t or nvrtcResult). */
    public int code() {
        return code;
    }
}
