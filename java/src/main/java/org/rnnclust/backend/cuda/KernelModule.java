package org.rnnclust.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kernels/NAME.cu loaded into the current CUDA context. The build puts NAME.fatbin (SASS for
 * sm_80 and sm_90, PTX for compute_90) into the jar; when it is missing, or holds no image this GPU
 * can run, the same source (also in the jar) is compiled here with NVRTC, and that is logged once.
 */
final class KernelModule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelModule.class);
    private static final String RESOURCES = "/org/rnnclust/backend/cuda/";
    /** Headers the kernel sources include, shipped beside them in the jar (KernelBuildTest checks the list). */
    static final String[] HEADERS = {"common.cuh", "cell_math.h"};
    private static final Set<String> LOGGED = new HashSet<>();

    private final String name;
    private final CUmod_st module;
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final String origin;

    private KernelModule(String name, CUmod_st module, String origin) {
        this.name = name;
        this.module = module;
        this.origin = origin;
    }

    /** Loads kernels/NAME.cu for a GPU of compute capability major.minor (the context must be current). */
    static KernelModule load(String name, int major, int minor) {
        byte[] fatbin = resource(RESOURCES + name + ".fatbin");
        String why;
        if (fatbin != null) {
            CUmod_st module = new CUmod_st();
            int res;
            try (BytePointer image = new BytePointer(fatbin)) {
                res = cudart.cuModuleLoadData(module, image);
            }
            if (res == 0) return new KernelModule(name, module, "fatbin");
            if (res == cudart.CUDA_ERROR_OUT_OF_MEMORY) Cuda.checkDriver("cuModuleLoadData(" + name + ".fatbin)", res);
            why = "its fatbin has no image for sm_" + major + minor + " (" + Cuda.driverErrorName(res) + ")";
        } else {
            why = "this build has no " + name + ".fatbin (nvcc was absent)";
        }
        KernelModule m = compileWithNvrtc(name, major, minor);
        synchronized (LOGGED) {
            if (LOGGED.add(name)) LOG.info("CUDA kernels {}: {}; compiled kernels/{}.cu with NVRTC ({})", name, why, name, m.origin);
        }
        return m;
    }

    /** Where the code came from: "fatbin" or the NVRTC target. */
    String origin() {
        return origin;
    }

    synchronized CUfunc_st function(String kernel) {
        CUfunc_st f = functions.get(kernel);
        if (f == null) {
            f = new CUfunc_st();
            Cuda.checkDriver("cuModuleGetFunction(" + name + "." + kernel + ")", cudart.cuModuleGetFunction(f, module, kernel));
            functions.put(kernel, f);
        }
        return f;
    }

    @Override
    public void close() {
        functions.clear();
        Cuda.checkDriver("cuModuleUnload(" + name + ")", cudart.cuModuleUnload(module));
    }

    private static KernelModule compileWithNvrtc(String name, int major, int minor) {
        try {
            Loader.load(nvrtc.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CudaException("cannot compile the CUDA kernels: NVRTC (" + CudaLibraries.soname("libnvrtc")
                    + ") did not load (" + e.getMessage() + "); set CUDA_HOME to a CUDA " + CudaLibraries.MAJOR
                    + " toolkit", -1);
        }
        byte[] source = resource(RESOURCES + "kernels/" + name + ".cu");
        if (source == null) throw new IllegalStateException("kernels/" + name + ".cu is not in the jar");
        String[] headers = new String[HEADERS.length];
        for (int i = 0; i < HEADERS.length; i++) {
            byte[] h = resource(RESOURCES + "kernels/" + HEADERS[i]);
            if (h == null) throw new IllegalStateException("kernels/" + HEADERS[i] + " is not in the jar");
            headers[i] = new String(h, StandardCharsets.UTF_8);
        }
        int arch = major * 10 + minor;
        int target = bestSupportedArch(arch);
        // Machine code when NVRTC knows this GPU; otherwise PTX for the newest architecture it knows,
        // which the driver compiles for the GPU on load.
        boolean cubin = target == arch;
        String option = "--gpu-architecture=" + (cubin ? "sm_" : "compute_") + target;
        _nvrtcProgram program = new _nvrtcProgram();
        try (BytePointer src = new BytePointer(new String(source, StandardCharsets.UTF_8));
             BytePointer fileName = new BytePointer(name + ".cu");
             PointerPointer<?> headerSources = new PointerPointer<>(headers);
             PointerPointer<?> headerNames = new PointerPointer<>(HEADERS)) {
            Cuda.checkNvrtc("nvrtcCreateProgram(" + name + ".cu)", nvrtc.nvrtcCreateProgram(program, src, fileName,
                    HEADERS.length, headerSources, headerNames), null);
        }
        try {
            try (PointerPointer<?> options = new PointerPointer<>(option, "--std=c++17")) {
                int res = nvrtc.nvrtcCompileProgram(program, 2, options);
                Cuda.checkNvrtc("nvrtcCompileProgram(" + name + ".cu, " + option + ")", res, res == 0 ? null : log(program));
            }
            byte[] image;
            try (SizeTPointer size = new SizeTPointer(1)) {
                if (cubin) {
                    Cuda.checkNvrtc("nvrtcGetCUBINSize", nvrtc.nvrtcGetCUBINSize(program, size), null);
                } else {
                    Cuda.checkNvrtc("nvrtcGetPTXSize", nvrtc.nvrtcGetPTXSize(program, size), null);
                }
                image = new byte[(int) size.get()];
            }
            int res = cubin ? nvrtc.nvrtcGetCUBIN(program, image) : nvrtc.nvrtcGetPTX(program, image);
            Cuda.checkNvrtc(cubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", res, null);
            CUmod_st module = new CUmod_st();
            try (BytePointer p = new BytePointer(image)) {
                Cuda.checkDriver("cuModuleLoadData(" + name + ", NVRTC " + option + ")", cudart.cuModuleLoadData(module, p));
            }
            return new KernelModule(name, module, "NVRTC " + option);
        } finally {
            nvrtc.nvrtcDestroyProgram(program);
        }
    }

    /** The device's architecture if NVRTC supports it, else the newest one below it that NVRTC supports. */
    private static int bestSupportedArch(int arch) {
        int[] count = new int[1];
        Cuda.checkNvrtc("nvrtcGetNumSupportedArchs", nvrtc.nvrtcGetNumSupportedArchs(count), null);
        int[] archs = new int[count[0]];
        Cuda.checkNvrtc("nvrtcGetSupportedArchs", nvrtc.nvrtcGetSupportedArchs(archs), null);
        int best = -1;
        for (int a : archs) if (a <= arch && a > best) best = a;
        if (best < 0) {
            throw new CudaException("NVRTC cannot compile for compute capability " + arch / 10 + "." + arch % 10
                    + " (it supports " + java.util.Arrays.toString(archs) + ")", -1);
        }
        return best;
    }

    private static String log(_nvrtcProgram program) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtc.nvrtcGetProgramLogSize(program, size) != 0 || size.get() <= 1) return "";
            byte[] text = new byte[(int) size.get()];
            if (nvrtc.nvrtcGetProgramLog(program, text) != 0) return "";
            return new String(text, 0, text.length - 1, StandardCharsets.UTF_8);
        }
    }

    static byte[] resource(String path) {
        try (InputStream in = KernelModule.class.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the jar", e);
        }
    }
}
