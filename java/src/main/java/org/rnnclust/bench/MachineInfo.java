package org.rnnclust.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What a benchmark result must say about where it was measured. */
public final class MachineInfo {
    private MachineInfo() {}

    public static Map<String, Object> collect(String deviceDescription) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("device", deviceDescription);
        m.put("openblas_coretype", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "(autodetected)"));
        m.put("rnnclust_version", String.valueOf(MachineInfo.class.getPackage().getImplementationVersion()));
        m.put("commit", gitCommit());
        return m;
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /**
     * The commit this rnnclust was built from (org/rnnclust/build.properties, written at build
     * time; "-dirty" when the build's tracked files differed from it), unless RNNCLUST_COMMIT names
     * another; "unknown" when built outside a git checkout. Not the commit of the working
     * directory: a jar runs from anywhere, and a results file must name the code that produced it.
     */
    static String gitCommit() {
        String fromEnv = System.getenv("RNNCLUST_COMMIT");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.trim();
        return buildCommit();
    }

    /** The commit recorded at build time, or "unknown". */
    static String buildCommit() {
        try (InputStream in = MachineInfo.class.getResourceAsStream("/org/rnnclust/build.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            String commit = p.getProperty("commit", "unknown").trim();
            return commit.matches("[0-9a-f]{4,40}(-dirty)?") ? commit : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
