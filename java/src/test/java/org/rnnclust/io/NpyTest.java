package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnnclust.data.npy.NpyBytes.dict;
import static org.rnnclust.data.npy.NpyBytes.npy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.data.npy.NpyArray;

/**
 * Weights and embeddings as .npy files: what io writes reads back bit for bit, and reading keeps
 * every weight exact (the parser itself is tested in org.rnnclust.data.npy.NpyInputTest).
 */
class NpyTest {
    private static final String SOURCE = "w.npy";

    @TempDir
    Path dir;

    static byte[] bytes(NpyArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, a);
        return out.toByteArray();
    }

    static NpyArray read(byte[] b) throws IOException {
        return Npy.read(new ByteArrayInputStream(b), SOURCE);
    }

    @Test
    void roundTripOfEveryRankKeepsEveryBit() throws Exception {
        float[] special = {-0.0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.intBitsToFloat(0x7fc12345), Float.MAX_VALUE};
        List<NpyArray> arrays = List.of(
                new NpyArray(new int[] {}, new float[] {3.5f}),
                NpyArray.of(special),
                new NpyArray(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                new NpyArray(new int[] {2, 1, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                new NpyArray(new int[] {0, 4}, new float[0]),
                NpyArray.of());
        for (NpyArray a : arrays) {
            byte[] b = bytes(a);
            assertEquals(0, (b.length - 4 * a.data().length) % 64, "data start 64-byte aligned like numpy's");
            NpyArray back = read(b);
            assertArrayEquals(a.shape(), back.shape());
            for (int i = 0; i < a.data().length; i++) {
                assertEquals(Float.floatToRawIntBits(a.data()[i]), Float.floatToRawIntBits(back.data()[i]));
            }
        }
    }

    @Test
    void pathWriteAndReadRoundTrip() {
        Path file = dir.resolve("sub/w.npy");
        NpyArray a = new NpyArray(new int[] {3}, new float[] {1, -2, 3});
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
        assertEquals(dir.resolve("nope.npy") + ": no such file",
                assertThrows(InputException.class, () -> Npy.read(dir.resolve("nope.npy"))).getMessage());
    }

    @Test
    void integerWeightsAreReadOnlyWhenFloat32HoldsThemExactly() throws Exception {
        ByteBuffer ints = ByteBuffer.allocate(8 * 4).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(-5).putLong(1 << 24).putLong(1L << 40).putLong(Long.MIN_VALUE);
        assertEquals(new NpyArray(new int[] {4}, new float[] {-5, 1 << 24, 0x1p40f, -0x1p63f}),
                read(npy(dict("<i8", false, "(4,)"), ints.array())));
        for (long inexact : new long[] {(1 << 24) + 1, Long.MAX_VALUE, Integer.MAX_VALUE}) {
            ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(inexact);
            InputException e = assertThrows(InputException.class,
                    () -> read(npy(dict("<i8", false, "()"), one.array())));
            assertEquals(SOURCE + ": integer " + inexact + " at index 0 has no exact float32 value", e.getMessage());
        }
    }

    @Test
    void anArrayReadsFromANamedPipe() throws Exception {
        float[] values = new float[1 << 20];  // megabytes: a pipe hands them over in pieces
        for (int i = 0; i < values.length; i++) values[i] = i * 0.5f;
        NpyArray a = new NpyArray(new int[] {1 << 10, 1 << 10}, values);
        Path fifo = dir.resolve("x.npy");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        byte[] bytes = bytes(a);
        Thread writer = new Thread(() -> {
            try (OutputStream out = new FileOutputStream(fifo.toFile())) {
                out.write(bytes);
            } catch (IOException e) {
                // the reader's result says what happened
            }
        });
        writer.setDaemon(true);
        writer.start();
        assertEquals(a, Npy.read(fifo), "no seek needed: a pipe reads like the file");
        writer.join(10_000);
    }
}
