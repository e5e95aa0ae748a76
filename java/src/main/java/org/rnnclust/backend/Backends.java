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
     * @param networks        the command runs the recurrent layers (their GPU kernels are loaded when the device opens)
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
            String why = cudaUnavailableReason();
            if (why == null) {
                try {
                    return cuda(0, r);
                } catch (RuntimeException | LinkageError e) {
                    why = e.getMessage();
                }
            }
            LOG.info("Computing on the CPU: CUDA unavailable ({})", why);
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
                return cuda(index, r);
            } catch (CudaException e) {
                throw new InputException("--device " + r.device() + ": cannot open the GPU: " + e.getMessage(), e);
            }
        }
        throw new InputException("--device " + r.device() + ": unknown device (expected auto, cpu, cuda or cuda:N)");
    }

    /**
     * Opens a GPU; for a command that runs the recurrent layers, also their tensor ops (the rnn
     * kernels), so that a failure there shows here, where auto can still fall back to the CPU.
     */
    private static Backend cuda(int index, Request r) {
        CudaBackend b = new CudaBackend(index, r.tf32(), r.maxDeviceMemory());
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

    private static Backend cpu(int threads) {
        try {
            return threads == 0 ? new CpuBackend() : new CpuBackend(threads);
        } catch (UnsatisfiedLinkError e) {
            throw new InputException("cannot load OpenBLAS for the CPU backend: " + e.getMessage());
        }
    }
}
