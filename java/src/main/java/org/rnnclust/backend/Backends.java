package org.rnnclust.backend;

import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.backend.cuda.CudaBackend;
import org.rnnclust.backend.cuda.CudaException;
import org.rnnclust.backend.cuda.CudaProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses a backend from a device name: auto, cpu, cuda, cuda:N. */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger(Backends.class);

    private Backends() {}

    /**
     * What a command asks of the device.
     *
     * @param device          auto, cpu, cuda or cuda:N
     * @param threads         CPU threads, 0 for all cores
     * @param tf32            let cuBLAS use TF32 tensor cores (--precision tf32)
     * @param maxDeviceMemory bytes of GPU memory a k-means index may use, 0 = what is free
     * @param networks        the command runs the recurrent layers, which this build runs on the CPU only
     */
    public record Request(String device, int threads, boolean tf32, long maxDeviceMemory, boolean networks) {
        public static Request of(String device, int threads) {
            return new Request(device, threads, false, 0, false);
        }
    }

    /** Why CUDA cannot be used here, in one line, or null when a GPU and the CUDA runtime were found. */
    public static String cudaUnavailableReason() {
        return CudaProbe.probe().unavailableReason();
    }

    public static Backend open(String device, int threads) {
        return open(Request.of(device, threads));
    }

    public static Backend open(Request r) {
        if (r.threads() < 0) throw new InputException("--threads must be >= 0, got " + r.threads());
        if (r.maxDeviceMemory() < 0) throw new InputException("--max-device-memory must be > 0");
        String spec = r.device() == null ? "auto" : r.device().trim().toLowerCase(Locale.ROOT);
        if (spec.equals("cpu")) return cpu(r.threads());
        if (spec.equals("auto")) {
            String why = r.networks() ? "the recurrent layers run on the CPU in this build" : cudaUnavailableReason();
            if (why == null) {
                try {
                    return new CudaBackend(0, r.tf32(), r.maxDeviceMemory());
                } catch (RuntimeException | LinkageError e) {
                    why = e.getMessage();
                }
            }
            LOG.info("Computing on the CPU: {}", r.networks() ? why : "CUDA unavailable (" + why + ")");
            return cpu(r.threads());
        }
        if (spec.equals("cuda") || spec.matches("cuda:\\d+")) {
            String why = cudaUnavailableReason();
            if (why != null) {
                throw new InputException("--device " + r.device() + ": CUDA is not available: " + why
                        + " (use --device cpu or auto)");
            }
            int index = spec.equals("cuda") ? 0 : Integer.parseInt(spec.substring(5));
            try {
                return new CudaBackend(index, r.tf32(), r.maxDeviceMemory());
            } catch (CudaException e) {
                throw new InputException("--device " + r.device() + ": cannot open the GPU: " + e.getMessage(), e);
            }
        }
        throw new InputException("--device " + r.device() + ": unknown device (expected auto, cpu, cuda or cuda:N)");
    }

    private static Backend cpu(int threads) {
        try {
            return threads == 0 ? new CpuBackend() : new CpuBackend(threads);
        } catch (UnsatisfiedLinkError e) {
            throw new InputException("cannot load OpenBLAS for the CPU backend: " + e.getMessage());
        }
    }
}
