package org.rnnclust.api;

import java.util.List;
import java.util.Map;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;

/**
 * A compute device: the CPU (OpenBLAS and the native kernels) or one NVIDIA GPU (CUDA kernels and
 * cuBLAS), or several GPUs that share k-means between them (cuda:0,1). Open one, hand it to the fits and models that should compute on it, close it when they
 * are done; it owns native and device memory.
 *
 * <p>Thread safety: a CPU device may be used by several threads at once (each call makes its own
 * network from a model's weights). A CUDA device runs one stream: give each thread its own.
 */
public final class Device implements AutoCloseable {
    private final Backend backend;

    private Device(Backend backend) {
        this.backend = backend;
    }

    /** Opens {@code name} (auto, cpu, cuda, cuda:N, cuda:N,M,...) with the defaults of {@link DeviceOptions#of}. */
    public static Device open(String name) {
        return open(DeviceOptions.of(name));
    }

    /**
     * Opens the device {@code options} name.
     *
     * @throws org.rnnclust.InputException when it is unknown or unavailable (the message says why)
     */
    public static Device open(DeviceOptions options) {
        return new Device(Backends.open(new Backends.Request(options.name(), options.threads(), options.precision(),
                options.maxDeviceMemoryBytes(), options.networks(), options.deterministic())));
    }

    /**
     * What this machine offers to compute on, as (label, text) lines: OpenBLAS and its kernel, the
     * native CPU kernels, the CUDA runtime and driver, each GPU, and whether CUDA can be used (or why not).
     */
    public static List<Map.Entry<String, String>> environment() {
        return Backends.describeCompute().stream().map(l -> Map.entry(l.label(), l.text())).toList();
    }

    /** The CPU with all cores. */
    public static Device cpu() {
        return open("cpu");
    }

    /** "cpu", "cuda:0", ... */
    /**
     * The CPU threads a device opened with 0 threads computes with: the cores this process may use,
     * at most {@code SLURM_CPUS_PER_TASK} when Slurm sets it.
     */
    public static int defaultThreads() {
        return org.rnnclust.backend.Backends.defaultThreads();
    }

    public String name() {
        return backend.name();
    }

    /** Whether this device runs in the deterministic mode ({@link DeviceOptions#deterministic()}). */
    public boolean deterministic() {
        return backend.deterministic();
    }

    /** One line describing the device and its libraries. */
    public String description() {
        return backend.description();
    }

    /**
     * The engine's backend behind this device, for code that times or extends the engine itself
     * (the benchmarks); applications do not need it.
     */
    public Backend backend() {
        return backend;
    }

    @Override
    public void close() {
        backend.close();
    }
}
