package org.rnnclust.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.bench.MachineInfo;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a result came from, for every JSON file a command writes ({@code "provenance"}): the
 * rnnclust version and commit it was built from, the command line and every setting in effect
 * (defaults included), the SHA-256 of each input file, the host, CPU and device (with its threads), and when
 * the command started and ended. It stays out of model files and checkpoints, whose bytes must not
 * depend on when or where they were made. Public for the other front ends (the Spark module's
 * commands), which run through {@link Main#execute}.
 */
public final class Provenance {
    /** Options that name what a command writes, not what it reads. */
    private static final Set<String> OUTPUTS = Set.of("--out", "--report", "--json", "--output");
    private static final Set<String> NOT_SETTINGS = Set.of("--help", "--version");
    private static final ThreadLocal<OffsetDateTime> STARTED = new ThreadLocal<>();

    private Provenance() {}

    /** Marks the start of a command on this thread ({@link Main#execute} calls it). */
    static void started() {
        STARTED.set(now());
    }

    /**
     * The provenance of the command {@code spec} describes, ending now.
     *
     * @param device the device's description, which names its threads (null where the command used none)
     */
    public static Map<String, Object> of(CommandSpec spec, String device) {
        return of(spec, device, List.of());
    }

    /**
     * The same, with input files the options do not name (evaluate's datasets under --data-dir),
     * recorded under {@code option}.
     */
    static Map<String, Object> of(CommandSpec spec, String device, List<Path> moreInputs, String option) {
        return of(spec, device, moreInputs.stream().map(f -> input(option, f)).toList());
    }

    private static Map<String, Object> of(CommandSpec spec, String device, List<Map<String, Object>> moreInputs) {
        Map<String, Object> p = new LinkedHashMap<>();
        List<String> args = spec.commandLine().getParseResult() == null ? List.of()
                : spec.commandLine().getParseResult().originalArgs();
        p.put("command_line", args);
        p.put("command", spec.qualifiedName());
        Map<String, Object> settings = new LinkedHashMap<>();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            String name = o.longestName();
            if (NOT_SETTINGS.contains(name)) continue;
            Object value = o.getValue();
            settings.put(name, plain(value));
            if (!OUTPUTS.contains(name) && value instanceof Path path) {
                // A model is given as train's output folder or as its file.
                Path file = Files.isDirectory(path) ? path.resolve(ClusteringModel.FILE) : path;
                if (Files.isRegularFile(file)) inputs.add(input(name, file));
            }
        }
        inputs.addAll(moreInputs);
        p.put("settings", settings);
        p.put("inputs", inputs);
        p.put("host", hostName());
        // The machine as benchmarks describe it: version and commit, CPU, cores, OS, Java, the device.
        p.putAll(MachineInfo.collect(device));
        OffsetDateTime start = STARTED.get();
        p.put("started", start == null ? null : start.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        p.put("ended", now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        return p;
    }

    /** The lines a report shows of a provenance map: version and commit, date, command line, device. */
    static Map<String, String> facts(Map<?, ?> provenance) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("rnnclust", provenance.get("rnnclust_version") + ", commit " + provenance.get("commit"));
        facts.put("date", String.valueOf(provenance.get("ended")));
        if (provenance.get("command_line") instanceof List<?> args) {
            facts.put("command", "rnnclust " + String.join(" ", args.stream().map(String::valueOf).toList()));
        }
        facts.put("device", String.valueOf(provenance.get("device")));
        return facts;
    }

    /** A setting as JSON shows it: paths and enums as text, lists as lists. */
    private static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) return value;
        if (value instanceof Enum<?> e) return e.name().toLowerCase(java.util.Locale.ROOT);
        if (value instanceof List<?> list) return list.stream().map(Provenance::plain).toList();
        return value.toString();
    }

    /** One input file: the option that named it, its path, size and SHA-256. */
    static Map<String, Object> input(String option, Path file) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("option", option);
        m.put("path", file.toAbsolutePath().normalize().toString());
        try {
            m.put("bytes", Files.size(file));
            m.put("sha256", sha256(file));
        } catch (IOException e) {
            m.put("sha256", null);
            m.put("error", e.getMessage());
        }
        return m;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r; (r = in.read(buffer)) > 0; ) digest.update(buffer, 0, r);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static OffsetDateTime now() {
        OffsetDateTime t = OffsetDateTime.now(ZoneOffset.UTC);
        return t.withNano(t.getNano() / 1_000_000 * 1_000_000);
    }
}
