package org.rnnclust.backend;

import org.rnnclust.InputException;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.backend.cuda.CudaProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses a backend from a device name: auto, cpu, cuda, cuda:N. */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {}

    /**
     * Why CUDA cannot be used here, in one line, or null when it can. Until the CUDA backend
     * (kernels/ launched through the JavaCPP presets) is written, a machine with working GPUs still
     * gets a reason: the backend is missing.
     */
    public static String cudaUnavailableReason() {
        CudaProbe.Result probe = CudaProbe.probe();
        if (probe.unavailableReason() != null) return probe.unavailableReason();
        return probe.devices().size() + " GPU(s) found, but this build of rnnclust has no CUDA backend yet";
    }

    /**
     * @param device  auto, cpu, cuda or cuda:N
     * @param threads CPU threads, 0 for all cores
     */
    public static Backend open(String device, int threads) {
        if (threads < 0) throw new InputException("--threads must be >= 0, got " + threads);
        String spec = device == null ? "auto" : device.trim().toLowerCase(java.util.Locale.ROOT);
        if (spec.equals("cpu")) return cpu(threads);
        if (spec.equals("auto")) {
            String why = cudaUnavailableReason();
            LOG.info("Computing on the CPU: CUDA unavailable ({})", why);
            return cpu(threads);
        }
        if (spec.equals("cuda") || spec.matches("cuda:\\d+")) {
            throw new InputException("--device " + device + ": CUDA is not available: " + cudaUnavailableReason()
                    + " (use --device cpu or auto)");
        }
        throw new InputException("--device " + device + ": unknown device (expected auto, cpu, cuda or cuda:N)");
    }

    private static Backend cpu(int threads) {
        try {
            return threads == 0 ? new CpuBackend() : new CpuBackend(threads);
        } catch (UnsatisfiedLinkError e) {
            throw new InputException("cannot load OpenBLAS for the CPU backend: " + e.getMessage());
        }
    }
}
