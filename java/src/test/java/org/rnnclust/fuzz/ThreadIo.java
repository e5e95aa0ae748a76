package org.rnnclust.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the calling thread has read through the kernel ({@code rchar} of Linux's
 * {@code /proc/thread-self/io}): how a test sees that a reader stopped early in a file, whatever
 * it decompressed or buffered on the way.
 */
public final class ThreadIo {
    private static final Path IO = Path.of("/proc/thread-self/io");

    private ThreadIo() {}

    /** Bytes read by this thread so far, or -1 where the kernel does not say. */
    public static long bytesRead() {
        try {
            for (String line : Files.readAllLines(IO)) {
                if (line.startsWith("rchar:")) return Long.parseLong(line.substring(6).strip());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return -1;
    }
}
