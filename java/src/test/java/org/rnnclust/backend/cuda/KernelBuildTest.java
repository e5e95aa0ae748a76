package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build compiles every kernels/*.cu into a fatbin on the classpath, and each fatbin holds every
 * kernel its source declares (by its unmangled name); the sources and every header they include
 * ride in the jar for NVRTC, which is handed those headers by name. Whether the kernels compute the
 * right thing is for the GPU parity tests, which need a GPU; this checks the build wiring, here,
 * without one.
 */
@Tag("gpu")
class KernelBuildTest {
    private static final Pattern KERNEL = Pattern.compile(
            "RNNCLUST_KERNEL\\s+void\\s+(?:__launch_bounds__\\([^)]*\\)\\s+)?(\\w+)\\s*\\(");

    private static final Pattern QUOTED_INCLUDE = Pattern.compile("(?m)^\\s*#\\s*include\\s+\"([^\"]+)\"");

    /** The CUDA major version of the nvcc on the PATH (or /usr/local/cuda), −1 when it cannot be told. */
    static int nvccMajor() throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("nvcc", "--version").redirectErrorStream(true).start();
        } catch (IOException notOnPath) {
            p = new ProcessBuilder("/usr/local/cuda/bin/nvcc", "--version").redirectErrorStream(true).start();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("release (\\d+)\\.").matcher(out);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static boolean nvccPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "nvcc"))) return true;
        }
        return Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
    }

    /**
     * NVRTC sees no file system: every header a kernel source includes (directly or through another
     * header) must be in the jar beside the sources and in the list KernelModule hands to NVRTC.
     */
    @Test
    void everyIncludedHeaderShipsInTheJarAndGoesToNvrtc() throws IOException {
        Path sources = Path.of("kernels");
        assumeTrue(Files.isDirectory(sources), "kernels/ not found from " + Path.of("").toAbsolutePath());
        List<String> pending = new ArrayList<>();
        try (Stream<Path> s = Files.list(sources)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu")).forEach(pending::add);
        }
        assertTrue(!pending.isEmpty(), "no kernels/*.cu");
        Set<String> seen = new TreeSet<>();
        Set<String> headers = new TreeSet<>();
        while (!pending.isEmpty()) {
            String file = pending.remove(pending.size() - 1);
            if (!seen.add(file)) continue;
            assertTrue(Files.isRegularFile(sources.resolve(file)), "kernels/" + file + " is included but missing");
            assertNotNull(KernelBuildTest.class.getResource("kernels/" + file), "kernels/" + file + " is not in the jar");
            Matcher m = QUOTED_INCLUDE.matcher(Files.readString(sources.resolve(file)));
            while (m.find()) {
                headers.add(m.group(1));
                pending.add(m.group(1));
            }
        }
        assertEquals(headers, new TreeSet<>(List.of(KernelModule.HEADERS)), "KernelModule.HEADERS");
    }

    @Test
    void everyKernelSourceHasAFatbinWithItsKernels() throws IOException, InterruptedException {
        assumeTrue(nvccPresent(), "nvcc not found: this build has no fatbins (NVRTC at run time); skipping");
        Path sources = Path.of("kernels");
        assumeTrue(Files.isDirectory(sources), "kernels/ not found from " + Path.of("").toAbsolutePath());
        List<Path> cu = new ArrayList<>();
        try (Stream<Path> s = Files.list(sources)) {
            s.filter(p -> p.toString().endsWith(".cu")).forEach(cu::add);
        }
        assertTrue(!cu.isEmpty(), "no kernels/*.cu");
        int nvcc = nvccMajor();
        if (nvcc != CudaLibraries.MAJOR) {
            // A -Pcuda12 build on a machine with nvcc 13: a fatbin would need a newer driver than the
            // build's users have, so there must be none (NVRTC 12 compiles at load time).
            for (Path source : cu) {
                String fatbin = source.getFileName().toString().replace(".cu", ".fatbin");
                assertTrue(KernelBuildTest.class.getResource("/org/rnnclust/backend/cuda/" + fatbin) == null,
                        fatbin + " from nvcc " + nvcc + " is in a CUDA " + CudaLibraries.MAJOR + " build");
            }
            return;
        }
        for (Path src : cu) {
            String name = src.getFileName().toString().replace(".cu", ".fatbin");
            byte[] fatbin;
            try (InputStream in = KernelBuildTest.class.getResourceAsStream(name)) {
                assertNotNull(in, name + " is not on the classpath");
                fatbin = in.readAllBytes();
            }
            String bytes = new String(fatbin, StandardCharsets.ISO_8859_1);
            Matcher m = KERNEL.matcher(Files.readString(src));
            int kernels = 0;
            while (m.find()) {
                kernels++;
                assertTrue(bytes.contains(m.group(1)), name + " lacks kernel " + m.group(1));
            }
            assertTrue(kernels > 0, src + " declares no RNNCLUST_KERNEL");
        }
    }
}
