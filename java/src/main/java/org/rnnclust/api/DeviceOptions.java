package org.rnnclust.api;

import org.rnnclust.backend.MemorySize;

/**
 * How to open a {@link Device}.
 *
 * @param name                  auto, cpu, cuda, cuda:N, or cuda:N,M,... (k-means sharded over those
 *                              GPUs in order, a GPU named twice holding two shards; the networks on
 *                              the first); auto takes CUDA when a GPU and its libraries load, else
 *                              the CPU (logging why)
 * @param threads               CPU worker threads, 0 for all cores
 * @param tf32                  let cuBLAS use TF32 tensor cores (about 1e-3 relative error)
 * @param maxDeviceMemoryBytes  GPU memory a k-means index may use, 0 for what is free; larger data
 *                              stream from host memory in chunks
 * @param networks              whether the recurrent networks will run (their GPU kernels are then
 *                              loaded when the device opens, so that auto can still fall back)
 * @param deterministic         the deterministic mode: the same seed and data give the same model
 *                              bytes and scores on any x86-64 machine (see docs/api.md#reproducibility).
 *                              It computes on the CPU (auto then means the CPU, a GPU name is refused),
 *                              every product in a fixed-order GEMM instead of OpenBLAS: slower
 */
public record DeviceOptions(String name, int threads, boolean tf32, long maxDeviceMemoryBytes, boolean networks,
                            boolean deterministic) {
    /** Without the deterministic mode. */
    public DeviceOptions(String name, int threads, boolean tf32, long maxDeviceMemoryBytes, boolean networks) {
        this(name, threads, tf32, maxDeviceMemoryBytes, networks, false);
    }

    /** {@code name} with all cores, FP32, all free GPU memory, ready for the networks. */
    public static DeviceOptions of(String name) {
        return new DeviceOptions(name, 0, false, 0, true);
    }

    /** The CPU with all cores in the deterministic mode, ready for the networks. */
    public static DeviceOptions deterministicCpu() {
        return new DeviceOptions("cpu", 0, false, 0, true, true);
    }

    /** These options with the deterministic mode on or off. */
    public DeviceOptions withDeterministic(boolean on) {
        return new DeviceOptions(name, threads, tf32, maxDeviceMemoryBytes, networks, on);
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
