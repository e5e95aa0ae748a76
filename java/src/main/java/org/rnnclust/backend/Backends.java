package org.rnnclust.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnclust.DeviceUnavailableException;
import org.rnnclust.InputException;
import org.rnnclust.Precision;
import org.rnnclust.Setting;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.backend.cpu.NativeCpu;
import org.rnnclust.backend.cpu.OpenBlas;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.backend.cuda.CudaException;
import org.rnnclust.backend.cuda.CudaProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses a backend from a device name: auto, cpu, cuda, cuda:N, or cuda:N,M,... for k-means sharded over GPUs. */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {}

    /**
     * What a command asks of the device.
     *
     * @param device          auto, cpu, cuda, cuda:N, or cuda:N,M,... (k-means sharded over those GPUs, in
     *                        order, a GPU named twice holding two shards; everything else on the first)
     * @param threads         CPU threads, 0 for all cores
     * @param precision       what the GPU may trade of FP32 accuracy (TF32: cuBLAS and the k-means
     *                        distances on tensor cores; TF32X3: the k-means distances only)
     * @param maxDeviceMemory bytes of GPU memory a k-means index may use, 0 = what is free
     * @param networks        the command runs the recurrent layers (their GPU kernels are loaded when the device opens)
     * @param deterministic   the CPU backend's deterministic mode (auto then means the CPU; CUDA is refused)
     */
    public record Request(String device, int threads, Precision precision, long maxDeviceMemory, boolean networks,
                          boolean deterministic) {
        public Request {
            if (precision == null) precision = Precision.FP32;
        }

        /** {@code tf32}: TF32 or FP32. */
        public Request(String device, int threads, boolean tf32, long maxDeviceMemory, boolean networks,
                       boolean deterministic) {
            this(device, threads, tf32 ? Precision.TF32 : Precision.FP32, maxDeviceMemory, networks, deterministic);
        }

        public Request(String device, int threads, boolean tf32, long maxDeviceMemory, boolean networks) {
            this(device, threads, tf32, maxDeviceMemory, networks, false);
        }

        public static Request of(String device, int threads) {
            return new Request(device, threads, false, 0, false);
        }
    }

    /** Why CUDA cannot be used here, in one line, or null when a GPU and the CUDA runtime were found. */
    public static String cudaUnavailableReason() {
        return CudaProbe.probe().unavailableReason();
    }

    /** One line of {@link #describeCompute()}: what it is about ("OpenBLAS", "GPU") and what there is to say. */
    public record InfoLine(String label, String text) {}

    /**
     * What there is to compute on here, for {@code rnnclust info}: OpenBLAS and its kernel, the
     * native CPU library, the CUDA runtime and driver (when the runtime loaded), each GPU, and whether
     * CUDA can be used or why not. Opens no device.
     */
    public static List<InfoLine> describeCompute() {
        List<InfoLine> lines = new ArrayList<>();
        lines.add(new InfoLine("OpenBLAS", OpenBlas.describe()));
        lines.add(new InfoLine("Native", NativeCpu.status()));
        CudaProbe.Result cuda = CudaProbe.probe();
        if (cuda.runtimeVersion() > 0) {
            lines.add(new InfoLine("CUDA", "runtime " + CudaProbe.version(cuda.runtimeVersion()) + ", driver "
                    + CudaProbe.version(cuda.driverVersion())));
        }
        for (CudaProbe.Device d : cuda.devices()) lines.add(new InfoLine("GPU", d.describe()));
        String why = cuda.unavailableReason();
        lines.add(new InfoLine("CUDA", why == null ? "available" : "unavailable: " + why));
        return List.copyOf(lines);
    }

    public static Backend open(String device, int threads) {
        return open(Request.of(device, threads));
    }

    public static Backend open(Request r) {
        if (r.threads() < 0) {
            throw new InputException("the number of CPU threads must be >= 0 (0 for all cores), got " + r.threads(),
                    Setting.THREADS);
        }
        if (r.maxDeviceMemory() < 0) {
            throw new InputException("the GPU memory limit must be >= 0 (0 for what is free), got "
                    + r.maxDeviceMemory() + " bytes",
                    Setting.MAX_DEVICE_MEMORY);
        }
        String spec = r.device() == null ? "auto" : r.device().trim().toLowerCase(Locale.ROOT);
        if (r.deterministic()) {
            // Bit-identical results across machines need the fixed-order GEMM; cuBLAS picks its
            // kernels per GPU, so the mode is the CPU's.
            if (!spec.equals("cpu") && !spec.equals("auto")) {
                throw new InputException("device " + r.device() + ": the deterministic mode computes on the CPU "
                        + "(choose the device cpu or auto, or leave out the deterministic mode)", Setting.DETERMINISTIC);
            }
            return cpu(r.threads(), true);
        }
        if (spec.equals("cpu")) return cpu(r.threads(), false);
        if (spec.equals("auto")) {
            String why = cudaUnavailableReason();
            if (why == null) {
                try {
                    return cuda(0, r);
                } catch (RuntimeException | LinkageError e) {
                    why = e.getMessage();
                }
            }
            LOG.info("Computing on the CPU: CUDA unavailable ({})", why);
            return cpu(r.threads(), false);
        }
        if (spec.equals("cuda") || spec.matches("cuda:\\d+(,\\d+)*")) {
            String why = cudaUnavailableReason();
            if (why != null) {
                throw new DeviceUnavailableException("device " + r.device() + ": CUDA is not available: " + why
                        + " (choose the device cpu or auto)", null, Setting.DEVICE);
            }
            if (spec.contains(",")) return cudaShards(spec, r);
            int index = spec.equals("cuda") ? 0 : Integer.parseInt(spec.substring(5));
            try {
                return cuda(index, r);
            } catch (CudaException e) {
                throw new DeviceUnavailableException("device " + r.device() + ": cannot open the GPU: " + e.getMessage(), e,
                        Setting.DEVICE);
            }
        }
        throw new InputException("device " + r.device()
                + ": unknown device (expected auto, cpu, cuda, cuda:N or cuda:N,M,...)", Setting.DEVICE);
    }

    /**
     * Opens a GPU; for a command that runs the recurrent layers, also their tensor ops (the rnn
     * kernels), so that a failure there shows here, where auto can still fall back to the CPU.
     */
    private static Backend cuda(int index, Request r) {
        CudaBackend b = new CudaBackend(index, r.precision(), r.maxDeviceMemory());
        if (r.networks()) {
            try {
                b.tensorOps();
            } catch (RuntimeException | LinkageError e) {
                b.close();
                throw e;
            }
        }
        return b;
    }

    /**
     * cuda:N,M,...: one backend per GPU named, in order, each with its own context (a GPU named twice
     * gets two), as one {@link ShardedBackend}; the recurrent layers' kernels load on the first only,
     * where the networks run. Whatever was opened is closed again when a later GPU fails.
     */
    private static Backend cudaShards(String spec, Request r) {
        Request others = new Request(r.device(), r.threads(), r.precision(), r.maxDeviceMemory(), false, r.deterministic());
        List<Backend> opened = new ArrayList<>();
        try {
            for (String number : spec.substring("cuda:".length()).split(",")) {
                int index = Integer.parseInt(number);
                try {
                    opened.add(cuda(index, opened.isEmpty() ? r : others));
                } catch (CudaException e) {
                    throw new DeviceUnavailableException("device " + r.device() + ": cannot open cuda:" + index + ": "
                            + e.getMessage(), e, Setting.DEVICE);
                }
            }
            return new ShardedBackend(opened);
        } catch (RuntimeException | Error e) {
            try {
                Resources.closeAll(opened.toArray(new AutoCloseable[0]));
            } catch (RuntimeException more) {
                e.addSuppressed(more);
            }
            throw e;
        }
    }

    /**
     * The CPU threads a computation may use by default: the cores the JVM sees (Java counts its
     * container's and cgroup's CPU limits and the affinity mask), at most {@code SLURM_CPUS_PER_TASK}
     * when Slurm sets it. A Slurm cluster that does not bind tasks to their cores leaves every core
     * of the node visible, and a job that used them all would take its neighbours' cores.
     */
    public static int defaultThreads() {
        return defaultThreads(System.getenv(), Runtime.getRuntime().availableProcessors());
    }

    /** {@link #defaultThreads()} for the environment {@code env} and {@code available} cores. */
    static int defaultThreads(Map<String, String> env, int available) {
        String slurm = env.get("SLURM_CPUS_PER_TASK");
        if (slurm == null || slurm.isBlank()) return available;
        try {
            int perTask = Integer.parseInt(slurm.strip());
            return perTask >= 1 ? Math.min(available, perTask) : available;
        } catch (NumberFormatException e) {
            return available;  // not a count: Slurm did not write it, and it says nothing about the cores
        }
    }

    private static Backend cpu(int threads, boolean deterministic) {
        int cores = defaultThreads();
        if (threads > cores) {
            // More threads than cores only adds stacks, staging arrays and switching (10,000 threads took
            // 8x the time and 2 GB on a k-means of MNIST); the results do not depend on the count.
            LOG.warn("{} CPU threads asked for, {} cores available to this process: using {}", threads, cores, cores);
            threads = cores;
        }
        try {
            return new CpuBackend(threads == 0 ? cores : threads, deterministic);
        } catch (UnsatisfiedLinkError e) {
            throw new InputException("cannot load OpenBLAS for the CPU backend: " + e.getMessage());
        }
    }
}
