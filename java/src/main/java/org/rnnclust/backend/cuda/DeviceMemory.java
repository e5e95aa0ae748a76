package org.rnnclust.backend.cuda;

/** A block of device memory (cudaMalloc), freed by {@link #close()}. */
final class DeviceMemory extends CudaMemory {
    /**
     * @param what names the buffer in error messages ("points", "products", ...)
     */
    DeviceMemory(long bytes, String what) {
        super(Kind.DEVICE, bytes, what);
    }
}
