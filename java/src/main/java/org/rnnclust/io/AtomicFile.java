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
        try (Pending pending = Pending.open(target)) {
            try {
                body.writeTo(new Unclosable(pending.out));
            } catch (IOException e) {
                throw FileErrors.cannotWrite(target, e);
            }
            pending.commit();
        }
    }

    /**
     * A file being written atomically, for writers that append as their data arrive: the bytes go
     * to a temporary file beside the target; {@link #commit} flushes them to disk and renames the
     * file over the target; closing without a commit deletes the temporary file.
     */
    static final class Pending implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        /** The temporary file's stream (buffered); its close only flushes. */
        final OutputStream out;
        private boolean done;

        private Pending(Path target, Path temp, FileChannel channel) {
            this.target = target;
            this.temp = temp;
            this.channel = channel;
            this.out = new BufferedOutputStream(faults.apply(Channels.newOutputStream(channel)), 1 << 16);
        }

        /** Creates the temporary file for {@code target}; I/O failures become an InputException. */
        static Pending open(Path target) {
            Path file = target.toAbsolutePath();
            Path dir = file.getParent();
            // Not Files.createTempFile: its 0600 permissions would end up on the final file.
            Path temp = dir.resolve("." + file.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.createDirectories(dir);
                return new Pending(target, temp, FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE));
            } catch (IOException e) {
                throw FileErrors.cannotWrite(target, e);
            }
        }

        /** Writes {@code bytes} at {@code position} of the file, over what was written there. */
        void overwrite(long position, byte[] bytes) {
            try {
                out.flush();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) channel.write(b, position + b.position());
            } catch (IOException e) {
                throw FileErrors.cannotWrite(target, e);
            }
        }

        /** Flushes, syncs and renames the file over the target. */
        void commit() {
            Path file = target.toAbsolutePath();
            try {
                out.flush();
                channel.force(true);
                channel.close();
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                done = true;
                syncFolder(file.getParent());
            } catch (IOException e) {
                throw FileErrors.cannotWrite(target, e);
            }
        }

        /** Without a commit: deletes the temporary file, leaving a previous target untouched. */
        @Override
        public void close() {
            if (done) return;
            try {
                channel.close();
            } catch (IOException ignored) {
                // the file is deleted next
            }
            deleteQuietly(temp);
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
