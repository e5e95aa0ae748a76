package org.rnnclust.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.rnnclust.InputException;

/**
 * Writes a command's output files so that a failure leaves nothing half-written: every file goes to
 * a staging folder inside the output folder first, and only {@link #commit()} renames them into
 * place (atomically, file by file). Closing without committing deletes the staging folder.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path dir;
    private final Path staging;
    private final List<String> names = new ArrayList<>();
    private boolean committed;

    private AtomicOutput(Path dir, Path staging) {
        this.dir = dir;
        this.staging = staging;
    }

    public static AtomicOutput in(Path dir) {
        try {
            Files.createDirectories(dir);
            Path staging = Files.createTempDirectory(dir, ".staging-");
            return new AtomicOutput(dir, staging);
        } catch (IOException e) {
            throw new InputException(describe(dir, e));
        }
    }

    /** Where to write file {@code name}; it appears in the output folder at commit. */
    public Path file(String name) {
        names.add(name);
        return staging.resolve(name);
    }

    public Path dir() {
        return dir;
    }

    public void commit() {
        try {
            for (String name : names) {
                Path from = staging.resolve(name);
                if (!Files.exists(from)) continue;
                try {
                    Files.move(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(from, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        } catch (IOException e) {
            throw new InputException(describe(dir, e));
        } finally {
            deleteStaging();
        }
    }

    @Override
    public void close() {
        if (!committed) deleteStaging();
    }

    private void deleteStaging() {
        if (!Files.exists(staging)) return;
        try (Stream<Path> walk = Files.walk(staging)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover hidden staging folder is harmless.
        }
    }

    /** One line for an output folder that cannot be written. */
    public static String describe(Path dir, IOException e) {
        if (e instanceof AccessDeniedException) return dir + ": cannot write here (permission denied)";
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return dir + ": cannot write: " + fse.getReason();
        }
        return dir + ": cannot write: " + e.getMessage();
    }
}
