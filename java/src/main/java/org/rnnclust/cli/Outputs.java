package org.rnnclust.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.api.OutputClaim;

/**
 * The output paths of a command, checked before any work (an empty path, a file where a folder is
 * asked, a place that cannot be written) and claimed for the whole run, so that a second run with
 * the same output is refused instead of mixing its files with this one's.
 */
final class Outputs {
    private Outputs() {}

    /** Checks output folder {@code dir} (given by {@code flag}) and locks it until the claim is closed. */
    static OutputClaim claimFolder(Path dir, String flag) {
        if (dir == null) return null;  // an optional output not asked for
        requireWritableFolder(dir, flag);
        return OutputClaim.folder(dir);
    }

    /** Checks output file {@code file} (given by {@code flag}) and locks it until the claim is closed. */
    static OutputClaim claimFile(Path file, String flag) {
        if (file == null) return null;  // an optional output not asked for
        requireWritableFile(file, flag);
        return OutputClaim.file(file);
    }

    /** An output folder that can be created or written; null (an option not given) passes. */
    static void requireWritableFolder(Path dir, String flag) {
        if (dir == null) return;
        requireNamed(dir, flag, "folder");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(dir + ": is a file, not a folder (" + flag + ")");
        }
        requireWritableAncestor(dir, flag);
    }

    /** An output file that can be created or replaced; null passes. */
    static void requireWritableFile(Path file, String flag) {
        if (file == null) return;
        requireNamed(file, flag, "file");
        if (Files.isDirectory(file)) throw new InputException(file + ": is a folder, not a file (" + flag + ")");
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) throw new InputException(file + ": not a file name (" + flag + ")");
        requireWritableAncestor(parent, flag);
    }

    private static void requireNamed(Path p, String flag, String what) {
        // An empty path means the current directory to java.nio: never what was meant.
        if (p.toString().isBlank()) throw new InputException(flag + " is empty: name the output " + what);
    }

    /** The nearest existing folder on the way to {@code dir} must be writable (the rest is created in it). */
    private static void requireWritableAncestor(Path dir, String flag) {
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) throw new InputException(dir + ": cannot be created (" + flag + ")");
        if (!Files.isDirectory(existing)) {
            throw new InputException(dir + ": cannot be created: " + existing + " is a file (" + flag + ")");
        }
        if (!Files.isWritable(existing)) {
            throw new InputException(dir + ": cannot write " + (existing.equals(dir.toAbsolutePath().normalize()) ? "here"
                    : "in " + existing) + " (permission denied; " + flag + ")");
        }
    }
}
