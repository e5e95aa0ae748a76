package org.rnnclust.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes one file all or nothing: the bytes go to a temporary file in the target's folder, are
 * flushed to disk (fsync), and the temporary file is then renamed over the target. Any failure
 * deletes the temporary file and leaves a previous target untouched.
 */
final class AtomicFile {
    /** Writes the file's content. It must not close the stream (closing only flushes). */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Test seam for disk faults: wraps the stream to the temporary file. Identity in production;
     * tests install a stream that fails like a full disk, to check what a failed write leaves.
     */
    static volatile java.util.function.UnaryOperator<OutputStream> faults = java.util.function.UnaryOperator.identity();

    private AtomicFile() {}

    /** Writes {@code target} atomically; I/O failures become an {@link org.rnnclust.InputException}. */
    static void write(Path target, Body body) {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        // Not Files.createTempFile: its 0600 permissions would end up on the final file.
        Path temp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
        boolean created = false;
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                created = true;
                OutputStream out = new BufferedOutputStream(faults.apply(Channels.newOutputStream(channel)), 1 << 16);
                body.writeTo(new Unclosable(out));
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncFolder(dir);
        } catch (IOException e) {
            throw FileErrors.cannotWrite(target, e);
        } finally {
            if (created && !moved) deleteQuietly(temp);
        }
    }

    /** Makes the rename durable; some file systems refuse to sync a folder, which is harmless. */
    private static void syncFolder(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // nothing more to do; the name starts with a dot and ends in .tmp
        }
    }

    /** Lets a body close its stream (a ZipOutputStream, say) without closing the file early. */
    private static final class Unclosable extends FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
