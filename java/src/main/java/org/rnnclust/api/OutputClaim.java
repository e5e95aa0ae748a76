package org.rnnclust.api;

import java.nio.file.Path;
import org.rnnclust.io.OutputLock;

/**
 * A run's exclusive claim on its output, held until closed: a second claim on the same output, by
 * this process or another, is refused with one {@link org.rnnclust.InputException} line naming the
 * output and the holder's process id. Where the file system cannot lock, a warning says so and the
 * claim goes on unprotected. See {@link OutputLock}.
 */
public final class OutputClaim implements AutoCloseable {
    private final OutputLock lock;

    private OutputClaim(OutputLock lock) {
        this.lock = lock;
    }

    /**
     * Claims output folder {@code dir} (creating it; removed again on close if nothing was written
     * into it) and removes what interrupted runs left in it: staging folders and hidden temporary
     * files, checkpoints' included.
     */
    public static OutputClaim folder(Path dir) {
        return new OutputClaim(OutputLock.folder(dir));
    }

    /** Claims single output file {@code file}, with a hidden lock file beside it while the claim lasts. */
    public static OutputClaim file(Path file) {
        return new OutputClaim(OutputLock.beside(file));
    }

    /** Whether the operating system holds the lock (false where the file system cannot lock). */
    public boolean held() {
        return lock.held();
    }

    @Override
    public void close() {
        lock.close();
    }
}
