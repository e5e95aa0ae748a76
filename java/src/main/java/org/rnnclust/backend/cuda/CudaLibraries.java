package org.rnnclust.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The CUDA major version this build's JavaCPP presets link against, and the library names that
 * follow from it. The default build uses the CUDA 13 presets; {@code mvn -Pcuda12} builds on the
 * CUDA 12 presets for machines whose driver supports only CUDA 12. The build records which in
 * {@code org/rnnclust/build.properties} ({@code cuda.major}), so that the probe looks for the
 * libraries the presets will load and the messages name the toolkit to install.
 */
public final class CudaLibraries {
    /** The CUDA major version of this build: 13, or 12 for a {@code -Pcuda12} build. */
    public static final int MAJOR = readMajor();

    private CudaLibraries() {}

    /** {@code "libcudart"} → {@code "libcudart.so.13"} (or {@code .so.12}). */
    public static String soname(String library) {
        return library + ".so." + MAJOR;
    }

    /** What to install, for messages: "the CUDA 13 toolkit libraries". */
    public static String toolkit() {
        return "the CUDA " + MAJOR + " toolkit libraries";
    }

    private static int readMajor() {
        try (InputStream in = CudaLibraries.class.getResourceAsStream("/org/rnnclust/build.properties")) {
            if (in == null) return 13;
            Properties p = new Properties();
            p.load(in);
            return Integer.parseInt(p.getProperty("cuda.major", "13").trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("build.properties: cuda.major is not a number", e);
        }
    }
}
