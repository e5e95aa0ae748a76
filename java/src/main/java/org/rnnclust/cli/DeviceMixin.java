package org.rnnclust.cli;

import org.rnnclust.Precision;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import picocli.CommandLine.Option;

/** --device, --threads, --precision, --max-device-memory and --deterministic, on every command that computes. */
final class DeviceMixin {
    /** Numeric precision on the GPU: of cuBLAS's GEMMs (tf32) and of the k-means distances (tf32, tf32x3). */
    enum PrecisionOption {
        fp32(Precision.FP32), tf32(Precision.TF32), tf32x3(Precision.TF32X3);

        final Precision value;

        PrecisionOption(Precision value) {
            this.value = value;
        }
    }

    @Option(names = "--device", paramLabel = "DEV", defaultValue = "auto",
            description = "auto, cpu, cuda, cuda:N, or cuda:N,M,... (k-means sharded over those GPUs, the rest on "
                    + "the first). auto uses CUDA when a GPU and the CUDA libraries load, else the CPU (saying why). "
                    + "Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads; 0 = every core this process may use, at most SLURM_CPUS_PER_TASK when Slurm "
                    + "sets it. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "GPU precision: fp32; tf32 (tensor cores for matrix products, ~1e-3 relative error, "
                    + "and for k-means distances, same assignments as fp32); tf32x3 (k-means distances on tensor "
                    + "cores in 3xTF32, same assignments as fp32; other products fp32). Default: ${DEFAULT-VALUE}.")
    PrecisionOption precision;

    @Option(names = "--max-device-memory", paramLabel = "SIZE",
            description = "GPU memory k-means may use, e.g. 512M or 8G; larger data stream from host memory in "
                    + "chunks. Default: what is free.")
    String maxDeviceMemory;

    @Option(names = "--deterministic",
            description = "The same bits on any x86-64 machine: computes on the CPU with a fixed-order GEMM "
                    + "instead of OpenBLAS, and one instruction-set path (slower; see the README).")
    boolean deterministic;

    /** For commands that do not run the recurrent layers. */
    Device open() {
        return open(false);
    }

    /** For commands that run the recurrent layers: their GPU kernels load (or fail) when the device opens. */
    Device openForNetworks() {
        return open(true);
    }

    Device open(boolean networks) {
        long max = maxDeviceMemory == null ? 0 : DeviceOptions.parseMemorySize("--max-device-memory", maxDeviceMemory);
        return Device.open(new DeviceOptions(device, threads, precision.value, max, networks, deterministic));
    }
}
