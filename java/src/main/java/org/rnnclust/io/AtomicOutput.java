package org.rnnclust.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.rnnclust.InputException;

/**
 * Writes a command's output files as one set: a reader of the folder sees all of the old set or all
 * of the new one, never a mixture. Every file goes to a hidden {@code .staging-*} folder inside the
 * output folder first; {@link #commit()} then
 * <ol>
 *   <li>checks every target (none may be a folder or read-only, the folder must be writable) before
 *       anything is replaced;</li>
 *   <li>records the new set in {@value SetManifest#FILE} (each file's SHA-256) marked
 *       {@code incomplete};</li>
 *   <li>renames the files into place in the order they were asked for, so that a caller that asks
 *       for the model file last has it written last;</li>
 *   <li>marks the manifest {@code complete}.</li>
 * </ol>
 * A failure during steps 2 to 4 puts the old files (and the old manifest) back before the error is
 * reported. A process killed during them leaves the manifest {@code incomplete}, which
 * {@link SetManifest#requireComplete} refuses, and a staging folder that the next run in the folder
 * removes ({@link OutputLock#folder}). Closing without committing deletes the staging folder.
 */
public final class AtomicOutput implements AutoCloseable {
    /**
     * Test seam: called with the name of each commit step before it runs ("manifest incomplete",
     * "move NAME", "manifest complete"). A test makes a step fail by throwing; by default it only
     * sleeps when the system property {@value #PAUSE_PROPERTY} asks it to (milliseconds per step),
     * which lets a script kill a process in the middle of a commit.
     */
    static volatile Consumer<String> steps = AtomicOutput::pauseIfAsked;
    static final String PAUSE_PROPERTY = "rnnclust.test.commit-pause-ms";
    private static final String BACKUP = ".previous";

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

    /** Where to write file {@code name}; it appears in the output folder at commit, in this call's order. */
    public Path file(String name) {
        names.remove(name);
        names.add(name);
        return staging.resolve(name);
    }

    public Path dir() {
        return dir;
    }

    public void commit() {
        try {
            List<String> written = new ArrayList<>();
            for (String name : names) if (Files.exists(staging.resolve(name))) written.add(name);
            requireReplaceable(written);
            Map<String, String> digests = new LinkedHashMap<>();
            for (String name : written) {
                force(staging.resolve(name));
                digests.put(name, SetManifest.sha256(staging.resolve(name)));
            }
            byte[] oldManifest = SetManifest.readRaw(dir);
            Path backups = Files.createDirectory(staging.resolve(BACKUP));
            for (String name : written) keepPrevious(dir.resolve(name), backups.resolve(name));
            List<String> moved = new ArrayList<>();
            try {
                steps.accept("manifest incomplete");
                SetManifest.write(dir, SetManifest.INCOMPLETE, digests);
                for (String name : written) {
                    steps.accept("move " + name);
                    moved.add(name);
                    move(staging.resolve(name), dir.resolve(name));
                }
                steps.accept("manifest complete");
                SetManifest.write(dir, SetManifest.COMPLETE, digests);
            } catch (IOException | RuntimeException e) {
                rollBack(moved, backups, oldManifest);
                throw e;
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

    /** Refuses, before anything is replaced, a set that could not be moved into place whole. */
    private void requireReplaceable(List<String> written) {
        if (!Files.isWritable(dir)) throw new InputException(dir + ": cannot write here (permission denied)");
        for (String name : written) {
            Path target = dir.resolve(name);
            if (Files.isDirectory(target)) {
                throw new InputException(target + ": is a folder, so the output set cannot be written; nothing was"
                        + " replaced");
            }
            if (Files.exists(target) && !Files.isWritable(target)) {
                throw new InputException(target + ": is read-only, so the output set cannot be written; nothing was"
                        + " replaced");
            }
        }
    }

    /** A second name for the file being replaced (a hard link; a copy where links are not supported). */
    private static void keepPrevious(Path target, Path backup) throws IOException {
        if (!Files.isRegularFile(target)) return;
        try {
            Files.createLink(backup, target);
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(target, backup, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Puts the previous files and manifest back; a file that had no previous version is removed. */
    private void rollBack(List<String> moved, Path backups, byte[] oldManifest) {
        for (String name : moved) {
            try {
                Path backup = backups.resolve(name);
                if (Files.exists(backup)) {
                    move(backup, dir.resolve(name));
                } else if (!Files.exists(staging.resolve(name))) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            } catch (IOException ignored) {
                // the manifest stays incomplete, so readers refuse the folder rather than mix files
                return;
            }
        }
        try {
            SetManifest.restoreRaw(dir, oldManifest);
        } catch (IOException | RuntimeException ignored) {
            // as above: an incomplete manifest is refused by readers
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Flushes a staged file to disk, so that a crash after its rename cannot leave it empty. */
    private static void force(Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.force(true);
        }
    }

    private void deleteStaging() {
        deleteTree(staging);
    }

    /** Deletes a folder and everything in it, as far as it can. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a leftover hidden staging folder is removed by the next run in the folder.
        }
    }

    private static void pauseIfAsked(String step) {
        long ms = Long.getLong(PAUSE_PROPERTY, 0L);
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
