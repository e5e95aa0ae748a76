package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/** Writing small test inputs and checking the errors read from them. */
final class TestFiles {
    private TestFiles() {}

    static Path text(Path dir, String name, String content) {
        return bytes(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path bytes(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), name.endsWith(".gz") ? gzip(content) : content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An IDX file: type code, sizes, then {@code body} as given. */
    static byte[] idx(int type, int[] dims, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + body.length).order(ByteOrder.BIG_ENDIAN);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(body).array();
    }

    static byte[] floatsLE(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** Reads {@code file} expecting a one-line InputException naming it and containing every fragment. */
    static InputException fails(Path file, ReadOptions options, String... fragments) {
        InputException e = assertThrows(InputException.class, () -> Readers.read(file, options));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), () -> "message does not start with the file: " + message);
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message lacks '" + f + "': " + message);
        }
        assertFalse(message.contains("\n"), () -> "message spans lines: " + message);
        return e;
    }

    static InputException fails(Path file, String... fragments) {
        return fails(file, ReadOptions.defaults(), fragments);
    }

    /** Values of sequence i exactly equal to {@code expected} (NaN matching NaN). */
    static void assertSeries(Dataset d, int i, float... expected) {
        float[] actual = d.series(i);
        assertEquals(expected.length, actual.length, "length of sequence " + i);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(Float.floatToIntBits(expected[k]), Float.floatToIntBits(actual[k]),
                    "sequence " + i + " value " + k + ": expected " + expected[k] + ", got " + actual[k]);
        }
    }

    static String labelOf(Dataset d, int i) {
        return d.labelNames().get(d.labels()[i]);
    }
}
