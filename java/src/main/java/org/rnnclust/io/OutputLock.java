package org.rnnclust.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rnnclust.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive claim on an output for the whole run, so that two runs cannot mix their files: an
 * operating-system lock ({@link FileChannel#tryLock}) on {@value #FILE} inside an output folder, or
 * on {@code .NAME.lock} beside a single output file. The lock file holds the holder's process id;
 * the lock itself ends with the process, however it ends. A second run is refused in one line.
 * Where the file system cannot lock, a warning says so and the run goes on unprotected.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE = ".rnnclust.lock";
    private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);
    /** What a crashed run leaves: staging folders of {@link AtomicOutput}, temporaries of {@link AtomicFile}. */
    private static final Pattern LEFTOVER_TEMP = Pattern.compile("\\..+\\.tmp");

    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;
    /** The folder this claim created, removed again on close if the run wrote nothing into it. */
    private final Path createdFolder;
    private final boolean deleteOnClose;

    private OutputLock(Path lockFile, FileChannel channel, FileLock lock, Path createdFolder, boolean deleteOnClose) {
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
        this.createdFolder = createdFolder;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Claims output folder {@code dir} (creating it), then removes what crashed runs left in it and
     * in its {@code checkpoints} folder: {@code .staging-*} folders and hidden {@code .tmp} files.
     */
    public static OutputLock folder(Path dir) {
        boolean existed = Files.isDirectory(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw FileErrors.cannotWrite(dir, e);
        }
        OutputLock claim = acquire(dir.resolve(FILE), dir, existed ? null : dir, false);
        if (claim.lock != null) {
            removeLeftovers(dir);
            removeLeftovers(dir.resolve("checkpoints"));
        }
        return claim;
    }

    /** Claims single output file {@code file} with a lock file beside it (removed on close). */
    public static OutputLock beside(Path file) {
        Path abs = file.toAbsolutePath();
        return acquire(abs.resolveSibling("." + abs.getFileName() + ".lock"), file, null, true);
    }

    /** Whether the operating system holds the lock (false where the file system cannot lock). */
    public boolean held() {
        return lock != null;
    }

    private static OutputLock acquire(Path lockFile, Path output, Path created, boolean deleteOnClose) {
        FileChannel channel;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
        } catch (IOException e) {
            throw FileErrors.cannotWrite(lockFile, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;  // held by this process: another run in the same JVM
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn(output + ": this file system cannot lock the output (" + e.getMessage() + "); another run writing"
                    + " there at the same time would mix its files with this run's");
            return new OutputLock(lockFile, channel, null, created, false);
        }
        if (lock == null) {
            String holder = holder(lockFile);
            closeQuietly(channel);
            throw new InputException(output + ": another rnnclust run" + holder + " is writing here; wait for it to"
                    + " finish or choose another output");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // the process id is only for the message a second run prints
        }
        return new OutputLock(lockFile, channel, lock, created, deleteOnClose);
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,10}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void removeLeftovers(Path dir) {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".staging-") && Files.isDirectory(p)) {
                    AtomicOutput.deleteTree(p);
                } else if (LEFTOVER_TEMP.matcher(name).matches() && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.warn(dir + ": could not remove what an earlier interrupted run left there: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        boolean removeFolder = createdFolder != null && onlyLockFileIn(createdFolder);
        if (deleteOnClose || removeFolder) {
            try {
                Files.deleteIfExists(lockFile);
            } catch (IOException ignored) {
                // a stale lock file is harmless: the lock ends with its holder
            }
        }
        try {
            if (lock != null) lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
        if (removeFolder) {
            try {
                Files.deleteIfExists(createdFolder);  // a failed run leaves no empty output folder behind
            } catch (IOException ignored) {
                // not empty after all: keep it
            }
        }
    }

    private boolean onlyLockFileIn(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.allMatch(p -> p.getFileName().toString().equals(FILE));
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
