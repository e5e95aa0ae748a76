package org.rnnclust.api;

import org.rnnclust.Precision;
import org.rnnclust.backend.MemorySize;

/**
 * How to open a {@link Device}.
 *
 * @param name                  auto, cpu, cuda, cuda:N, or cuda:N,M,... (k-means sharded over those
 *                              GPUs in order, a GPU named twice holding two shards; the networks on
 *                              the first); auto takes CUDA when a GPU and its libraries load, else
 *                              the CPU (logging why)
 * @param threads               CPU worker threads, 0 for all cores
 * @param precision             what the GPU may trade of FP32 accuracy: {@link Precision#TF32} lets cuBLAS
 *                              use TF32 tensor cores (about 1e-3 relative error) and computes the k-means
 *                              distances on them; {@link Precision#TF32X3} only the k-means distances, in
 *                              3xTF32. The k-means assignments stay the FP32 ones either way. Null: FP32
 * @param maxDeviceMemoryBytes  GPU memory a k-means index may use, 0 for what is free; larger data
 *                              stream from host memory in chunks
 * @param networks              whether the recurrent networks will run (their GPU kernels are then
 *                              loaded when the device opens, so that auto can still fall back)
 * @param deterministic         the deterministic mode: the same seed and data give the same model
 *                              bytes and scores on any x86-64 machine (see docs/api.md#reproducibility).
 *                              It computes on the CPU (auto then means the CPU, a GPU name is refused),
 *                              every product in a fixed-order GEMM instead of OpenBLAS: slower
 */
public record DeviceOptions(String name, int threads, Precision precision, long maxDeviceMemoryBytes, boolean networks,
                            boolean deterministic) {
    public DeviceOptions {
        if (precision == null) precision = Precision.FP32;
    }

    /** {@code tf32}: {@link Precision#TF32}, else FP32. */
    public DeviceOptions(String name, int threads, boolean tf32, long maxDeviceMemoryBytes, boolean networks,
                         boolean deterministic) {
        this(name, threads, tf32 ? Precision.TF32 : Precision.FP32, maxDeviceMemoryBytes, networks, deterministic);
    }

    /** Without the deterministic mode. */
    public DeviceOptions(String name, int threads, boolean tf32, long maxDeviceMemoryBytes, boolean networks) {
        this(name, threads, tf32, maxDeviceMemoryBytes, networks, false);
    }

    /** Whether cuBLAS may use TF32 tensor cores ({@link Precision#TF32}). */
    public boolean tf32() {
        return precision.cublasTf32();
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
        return new DeviceOptions(name, threads, precision, maxDeviceMemoryBytes, networks, on);
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
