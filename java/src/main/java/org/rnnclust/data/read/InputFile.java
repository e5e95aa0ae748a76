package org.rnnclust.data.read;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.rnnclust.InputException;

/**
 * Opens an input file for reading, whatever it is: a regular file, a pipe ({@code <(zcat ...)},
 * {@code /dev/stdin}), a named pipe (FIFO) or a device. Nothing here seeks, so a pipe reads like a
 * file. The dataset readers open their files here, and so does {@code io.Npy} for arrays.
 *
 * <p>Opening a named pipe blocks until some program opens it for writing. That wait is bounded:
 * after {@value #DEFAULT_FIFO_TIMEOUT_S} seconds (the Java system property
 * {@value #FIFO_TIMEOUT_PROPERTY} sets another number), the open is abandoned with one line. The
 * open runs on a daemon thread of its own, since Java cannot open a FIFO without blocking; when
 * abandoned, that thread stays blocked until a writer appears (then it closes what it opened), and
 * does not keep the JVM from exiting.
 */
public final class InputFile {
    /** The system property that sets how long to wait for a FIFO's writer, in seconds. */
    static final String FIFO_TIMEOUT_PROPERTY = "rnnclust.fifo.timeout-s";
    static final long DEFAULT_FIFO_TIMEOUT_S = 60;

    private InputFile() {}

    /**
     * An open stream of {@code file}'s bytes (unbuffered).
     *
     * @throws NoSuchFileException, AccessDeniedException as {@link Files#newInputStream} does
     * @throws InputException when a FIFO gets no writer in time
     */
    public static InputStream open(Path file) throws IOException {
        if (Files.isRegularFile(file)) return Files.newInputStream(file);
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString());
        return openWaiting(file);
    }

    /**
     * The size of {@code file} when it is a regular file, else -1 (a pipe's size is not known
     * until it has been read).
     */
    static long sizeIfKnown(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.size(file) : -1;
    }

    private static InputStream openWaiting(Path file) throws IOException {
        long timeout = Long.getLong(FIFO_TIMEOUT_PROPERTY, DEFAULT_FIFO_TIMEOUT_S);
        CompletableFuture<InputStream> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                // java.io rather than Files.newInputStream: its available() works on a pipe, where
                // a file channel's (which buffered readers call) fails with "Illegal seek"
                FileInputStream in = new FileInputStream(file.toFile());
                if (!opened.complete(in)) in.close();  // given up on meanwhile
            } catch (Throwable t) {
                opened.completeExceptionally(t);
            }
        }, "rnnclust-open " + file);
        opener.setDaemon(true);
        opener.start();
        try {
            return opened.get(timeout, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            if (opened.completeExceptionally(e)) {
                throw new InputException(file + ": no program opened this named pipe for writing within " + timeout
                        + " s (JAVA_OPTS=-D" + FIFO_TIMEOUT_PROPERTY + "=SECONDS waits longer)");
            }
            return joined(file, opened);  // opened just now
        } catch (InterruptedException e) {
            opened.completeExceptionally(e);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening " + file);
        } catch (ExecutionException e) {
            throw opening(file, e.getCause());
        }
    }

    private static InputStream joined(Path file, CompletableFuture<InputStream> opened) throws IOException {
        try {
            return opened.join();
        } catch (RuntimeException e) {
            throw opening(file, e.getCause());
        }
    }

    /** What opening failed with, in the terms of {@link Files#newInputStream}. */
    private static IOException opening(Path file, Throwable cause) {
        if (cause instanceof FileNotFoundException) {
            String m = String.valueOf(cause.getMessage());
            if (m.endsWith("(Permission denied)")) return new AccessDeniedException(file.toString());
            if (m.endsWith("(No such file or directory)")) return new NoSuchFileException(file.toString());
        }
        if (cause instanceof IOException io) return io;
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof Error err) throw err;
        return new IOException(cause);
    }
}
