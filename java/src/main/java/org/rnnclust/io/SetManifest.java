package org.rnnclust.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.rnnclust.InputException;

/**
 * The record of an output set, {@value #FILE} in its folder: which files the last commit wrote,
 * with each file's SHA-256, and whether that commit finished ({@code "state": "complete"}) or was
 * interrupted between its renames ({@code "incomplete"}). Readers of a folder call
 * {@link #requireComplete} so that they refuse, in one line, a folder whose files come from two
 * runs. A folder without the file (written by an earlier version) is taken as it is.
 */
public final class SetManifest {
    public static final String FILE = ".rnnclust-set.json";
    static final String COMPLETE = "complete";
    static final String INCOMPLETE = "incomplete";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SetManifest() {}

    /** Writes the manifest of {@code files} (name to SHA-256, in commit order) atomically. */
    static void write(Path dir, String state, Map<String, String> files) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", "rnnclust-output-set");
        root.put("format", FORMAT);
        root.put("state", state);
        ArrayNode list = root.putArray("files");
        files.forEach((name, sha) -> list.addObject().put("name", name).put("sha256", sha));
        AtomicFile.write(dir.resolve(FILE), out -> out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
    }

    /**
     * Refuses a folder whose last commit did not finish, or whose files no longer match the digests
     * it recorded (another run wrote some of them); one line naming the folder.
     */
    public static void requireComplete(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return;
        } catch (IOException e) {
            throw new InputException(file + ": damaged output-set record (" + firstLine(e) + "); write the folder again");
        }
        if (root == null || !root.path("files").isArray()) {
            throw new InputException(file + ": damaged output-set record; write the folder again");
        }
        if (!COMPLETE.equals(root.path("state").asText())) {
            throw new InputException(dir + ": the output set here was interrupted while it was being replaced, so its"
                    + " files may come from two runs; run the command that writes it again");
        }
        for (JsonNode entry : root.get("files")) {
            String name = entry.path("name").asText();
            Path f = dir.resolve(name);
            if (name.isEmpty() || !f.getParent().equals(dir) || !Files.isRegularFile(f)
                    || !sha256(f).equals(entry.path("sha256").asText())) {
                throw new InputException(dir + ": " + (name.isEmpty() ? "a file" : name) + " is not the one the last run"
                        + " recorded in " + FILE + " (changed since, or written by another run); run the command that"
                        + " writes the folder again");
            }
        }
    }

    /** The manifest's bytes, or null when there is none (kept to restore it when a commit fails). */
    static byte[] readRaw(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        return Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
    }

    /** Puts back the bytes {@link #readRaw} returned (or removes the manifest when there were none). */
    static void restoreRaw(Path dir, byte[] raw) throws IOException {
        if (raw == null) {
            Files.deleteIfExists(dir.resolve(FILE));
        } else {
            AtomicFile.write(dir.resolve(FILE), out -> out.write(raw));
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static String firstLine(IOException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
