package org.rnnclust.backend.cuda;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;

/**
 * Finds out, once, whether CUDA can be used here and why not: the CUDA runtime library, the driver,
 * the devices. The JavaCPP presets carry only JNI wrappers; the CUDA libraries come from the machine,
 * searched in CUDA_HOME/CUDA_PATH, /usr/local/cuda/lib64, /usr/local/cuda/targets/x86_64-linux/lib
 * and LD_LIBRARY_PATH (besides the system's own search).
 */
public final class CudaProbe {
    /** One GPU as the runtime reports it. */
    public record Device(int index, String name, long memoryBytes, int major, int minor) {
        public String describe() {
            return String.format(java.util.Locale.ROOT, "cuda:%d %s, %.1f GiB, compute capability %d.%d", index, name,
                    memoryBytes / (double) (1L << 30), major, minor);
        }
    }

    /**
     * @param devices          the GPUs, empty when none is usable
     * @param driverVersion    e.g. 13000 for 13.0; 0 when unknown
     * @param runtimeVersion   the CUDA runtime's version; 0 when it did not load
     * @param unavailableReason one line saying why CUDA cannot be used, or null when it can
     */
    public record Result(List<Device> devices, int driverVersion, int runtimeVersion, String unavailableReason) {}

    private static Result result;

    private CudaProbe() {}

    public static synchronized Result probe() {
        if (result == null) result = run();
        return result;
    }

    private static Result run() {
        Set<String> dirs = searchPath();
        // The JNI wrappers link against the driver library; without it JavaCPP reports only that the
        // wrapper did not load, so look for the two libraries first and name the missing one.
        if (!found("libcuda.so.1", dirs)) {
            return new Result(List.of(), 0, 0, "no NVIDIA driver (libcuda.so.1 not found)");
        }
        String runtimeLibrary = CudaLibraries.soname("libcudart");
        if (!found(runtimeLibrary, dirs)) {
            return new Result(List.of(), 0, 0, "the CUDA " + CudaLibraries.MAJOR + " runtime library (" + runtimeLibrary
                    + ") was not found: install " + CudaLibraries.toolkit() + " or set CUDA_HOME");
        }
        try {
            Loader.load(cudart.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Result(List.of(), 0, 0, "the CUDA libraries did not load: " + e.getMessage());
        }
        int[] runtime = new int[1];
        cudart.cudaRuntimeGetVersion(runtime);
        int[] driver = new int[1];
        cudart.cudaDriverGetVersion(driver);
        int[] count = new int[1];
        int err = cudart.cudaGetDeviceCount(count);
        if (err != 0) {
            String why = driver[0] == 0 ? "no NVIDIA driver is loaded" : cudart.cudaGetErrorString(err).getString();
            return new Result(List.of(), driver[0], runtime[0], "CUDA runtime " + version(runtime[0]) + " found, but "
                    + why + " (cudaGetDeviceCount: error " + err + ")");
        }
        if (count[0] == 0) return new Result(List.of(), driver[0], runtime[0], "no CUDA device");
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            try (cudaDeviceProp p = new cudaDeviceProp()) {
                if (cudart.cudaGetDeviceProperties(p, i) == 0) {
                    devices.add(new Device(i, p.name().getString(), p.totalGlobalMem(), p.major(), p.minor()));
                }
            }
        }
        return new Result(List.copyOf(devices), driver[0], runtime[0], null);
    }

    public static String version(int v) {
        return v == 0 ? "?" : (v / 1000) + "." + (v % 1000 / 10);
    }

    private static boolean found(String lib, Set<String> dirs) {
        for (String d : dirs) if (Files.exists(Path.of(d, lib))) return true;
        return false;
    }

    /**
     * Lets JavaCPP find the CUDA libraries where a toolkit puts them even when ldconfig does not list
     * them; returns every folder searched (these and the system's).
     */
    private static Set<String> searchPath() {
        Set<String> dirs = new LinkedHashSet<>();
        // The toolkit's own folder for this machine: x86_64-linux, or sbsa-linux on arm64 servers (Grace).
        boolean arm = System.getProperty("os.arch", "").equals("aarch64");
        String target = arm ? "/targets/sbsa-linux/lib" : "/targets/x86_64-linux/lib";
        String multiarch = arm ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        for (String env : new String[] {"CUDA_HOME", "CUDA_PATH"}) {
            String home = System.getenv(env);
            if (home != null && !home.isBlank()) {
                dirs.add(home + "/lib64");
                dirs.add(home + target);
            }
        }
        dirs.add("/usr/local/cuda/lib64");
        dirs.add("/usr/local/cuda" + target);
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) for (String d : ld.split(File.pathSeparator)) if (!d.isBlank()) dirs.add(d);
        String key = "org.bytedeco.javacpp.platform.preloadpath";
        String existing = System.getProperty(key);
        if (existing != null) dirs.add(existing);
        dirs.removeIf(d -> !Files.isDirectory(Path.of(d)));
        if (!dirs.isEmpty()) System.setProperty(key, String.join(File.pathSeparator, dirs));
        Set<String> all = new LinkedHashSet<>(dirs);
        for (String d : new String[] {"/usr/lib/" + multiarch, "/lib/" + multiarch, "/usr/lib64", "/lib64",
                "/usr/lib", "/usr/local/nvidia/lib64", "/usr/lib/wsl/lib"}) {
            all.add(d);
        }
        return all;
    }
}
