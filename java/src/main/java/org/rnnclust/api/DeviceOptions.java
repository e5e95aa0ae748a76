package org.rnnclust.api;

import org.rnnclust.backend.MemorySize;

/**
 * How to open a {@link Device}.
 *
 * @param name                  auto, cpu, cuda or cuda:N; auto takes CUDA when a GPU and its
 *                              libraries load, else the CPU (logging why)
 * @param threads               CPU worker threads, 0 for all cores
 * @param tf32                  let cuBLAS use TF32 tensor cores (about 1e-3 relative error)
 * @param maxDeviceMemoryBytes  GPU memory a k-means index may use, 0 for what is free; larger data
 *                              stream from host memory in chunks
 * @param networks              whether the recurrent networks will run (their GPU kernels are then
 *                              loaded when the device opens, so that auto can still fall back)
 */
public record DeviceOptions(String name, int threads, boolean tf32, long maxDeviceMemoryBytes, boolean networks) {
    /** {@code name} with all cores, FP32, all free GPU memory, ready for the networks. */
    public static DeviceOptions of(String name) {
        return new DeviceOptions(name, 0, false, 0, true);
    }

    /**
     * Bytes of a size written as 512M, 8G, 1.5G or a plain number of bytes.
     *
     * @param what names the value in the message when {@code text} is not a size
     * @throws org.rnnclust.InputException when it is not a size above 0
     */
    public static long parseMemorySize(String what, String text) {
        return MemorySize.parse(what, text);
    }
}
