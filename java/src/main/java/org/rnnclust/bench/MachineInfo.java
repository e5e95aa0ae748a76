package org.rnnclust.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    /** The commit of the working directory, if it is a git checkout with git installed; else "unknown". */
    static String gitCommit() {
        String fromEnv = System.getenv("RNNCLUST_COMMIT");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv.trim();
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{4,40}")) return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
