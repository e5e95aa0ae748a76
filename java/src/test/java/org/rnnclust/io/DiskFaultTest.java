package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;

/**
 * A model file written over a previous one on a full disk or into a read-only folder: one clear
 * line, the previous file byte for byte, no temporary file left. The full disk is injected through
 * {@link AtomicFile#faults} at several points of the write (the real file systems are tested by
 * ci/disk-faults.sh with a full and a read-only tmpfs).
 */
class DiskFaultTest {
    @TempDir Path dir;

    @AfterEach
    void removeFaults() {
        AtomicFile.faults = java.util.function.UnaryOperator.identity();
    }

    static final ObjectNode HEADER = new ObjectMapper().createObjectNode().put("kind", "test");

    static List<ModelFile.Tensor> tensors(float value) {
        float[] data = new float[50_000];
        java.util.Arrays.fill(data, value);
        return List.of(new ModelFile.Tensor("w", new int[] {250, 200}, data));
    }

    /** A stream that takes {@code room} bytes and then fails as a full disk does (ENOSPC). */
    static OutputStream fullAfter(OutputStream out, long room) {
        return new FilterOutputStream(out) {
            long left = room;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > left) throw new FileSystemException(null, null, "No space left on device");
                left -= len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void fullDiskKeepsThePreviousModel() throws IOException {
        Path file = dir.resolve("model.rnnclust");
        ModelFile.write(file, HEADER, tensors(1f));
        byte[] previous = Files.readAllBytes(file);
        for (long room : new long[] {0, 100, 65_536, 150_000, previous.length - 1}) {
            AtomicFile.faults = out -> fullAfter(out, room);
            InputException e = assertThrows(InputException.class, () -> ModelFile.write(file, HEADER, tensors(2f)));
            assertEquals(file + ": cannot write: No space left on device", e.getMessage(), "room " + room);
            assertArrayEquals(previous, Files.readAllBytes(file), "previous model after a full disk at byte " + room);
            assertEquals(List.of(file), listing(), "files left after a full disk at byte " + room);
        }
        AtomicFile.faults = java.util.function.UnaryOperator.identity();
        ModelFile.write(file, HEADER, tensors(2f));
        assertEquals(tensors(2f).get(0), ModelFile.read(file).tensors().get("w"), "writes again once there is room");
    }

    @Test
    void readOnlyFolderKeepsThePreviousModel() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root, where folder permissions do not stop writes; ci/disk-faults.sh tests a read-only mount");
        Path file = dir.resolve("model.rnnclust");
        ModelFile.write(file, HEADER, tensors(1f));
        byte[] previous = Files.readAllBytes(file);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            InputException e = assertThrows(InputException.class, () -> ModelFile.write(file, HEADER, tensors(2f)));
            assertTrue(e.getMessage().startsWith(file + ": cannot write"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertArrayEquals(previous, Files.readAllBytes(file));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
