package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;

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

    /** An .npy made by hand: a version 1.0 header with {@code dict} and the given data bytes. */
    static byte[] npy(String dict, byte[] data) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text).put(data);
        return b.array();
    }

    static String dict(String descr, boolean fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
    }

    private static byte[] data(ByteOrder order, int size, double... values) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(order);
        for (double v : values) {
            if (size == 4) b.putFloat((float) v);
            else b.putDouble(v);
        }
        return b.array();
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
    void arraysLargerThanTheFirstAllocationGrowAsDataArrive() throws Exception {
        float[] v = new float[3_000_001];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.5f;
        NpyArray a = new NpyArray(new int[] {v.length}, v);
        assertEquals(a, read(bytes(a)));
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        assertEquals(a, read(npy(dict("<f8", false, "(3000001,)"), data(ByteOrder.LITTLE_ENDIAN, 8, d))));
    }

    @Test
    void headerIsWhatNumpyWrites() throws Exception {
        String head = new String(bytes(new NpyArray(new int[] {2, 3}, new float[6])), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), head);
        assertTrue(new String(bytes(NpyArray.of(1)), StandardCharsets.ISO_8859_1).contains("'shape': (1,), }"));
        assertTrue(new String(bytes(new NpyArray(new int[0], new float[1])), StandardCharsets.ISO_8859_1).contains("'shape': (), }"));
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
    void readsFloat64IntegersBigEndianAndFortranOrder() throws Exception {
        assertEquals(new NpyArray(new int[] {3}, new float[] {(float) (1 / 3.0), Float.POSITIVE_INFINITY, -2}),
                read(npy(dict("<f8", false, "(3,)"), data(ByteOrder.LITTLE_ENDIAN, 8, 1 / 3.0, 1e39, -2))));
        assertEquals(new NpyArray(new int[] {2}, new float[] {1.5f, -4}),
                read(npy(dict(">f4", false, "(2,)"), data(ByteOrder.BIG_ENDIAN, 4, 1.5, -4))));
        assertEquals(new NpyArray(new int[] {2}, new float[] {1.5f, -4}),
                read(npy(dict(">f8", false, "(2L,)"), data(ByteOrder.BIG_ENDIAN, 8, 1.5, -4))));

        ByteBuffer ints = ByteBuffer.allocate(8 * 3).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(1 << 24).putLong(1L << 40);
        assertEquals(new NpyArray(new int[] {3}, new float[] {-5, 1 << 24, 0x1p40f}), read(npy(dict("<i8", false, "(3,)"), ints.array())));
        ByteBuffer i4 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(7).putInt(Integer.MIN_VALUE);
        assertEquals(new NpyArray(new int[] {2, 1}, new float[] {7, Integer.MIN_VALUE}), read(npy(dict("<i4", false, "(2, 1)"), i4.array())));
        for (long inexact : new long[] {(1 << 24) + 1, Long.MAX_VALUE, Integer.MAX_VALUE}) {
            ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(inexact);
            InputException e = assertThrows(InputException.class, () -> read(npy(dict("<i8", false, "()"), one.array())));
            assertEquals(SOURCE + ": integer " + inexact + " at index 0 has no exact float32 value", e.getMessage());
        }

        // Fortran order: element (i, j, k) of shape (2, 3, 4) at i + 2j + 6k
        float[] c = new float[24];
        float[] f = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    float v = 100 * i + 10 * j + k;
                    c[(i * 3 + j) * 4 + k] = v;
                    f[i + 2 * j + 6 * k] = v;
                }
            }
        }
        ByteBuffer fb = ByteBuffer.allocate(4 * 24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : f) fb.putFloat(v);
        assertEquals(new NpyArray(new int[] {2, 3, 4}, c), read(npy(dict("<f4", true, "(2, 3, 4)"), fb.array())));
    }

    @Test
    void badHeadersAreOneLineErrors() {
        byte[] six = new byte[24];
        List<String> dicts = List.of(
                "{'descr': '<f4', 'shape': (6,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), 'extra': 1, }",
                "{'descr': '<f4', 'fortran_order': False, 'fortran_order': False, 'shape': (6,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6, -1), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (x,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': [6], }",
                "{'descr': '<f4', 'fortran_order': 'no', 'shape': (6,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6,) ",
                "{'descr: '<f4', 'fortran_order': False, 'shape': (6,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (6,), } trailing",
                "{'descr': '<f2', 'fortran_order': False, 'shape': (12,), }",
                "{'descr': '<U4', 'fortran_order': False, 'shape': (6,), }",
                "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (6,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3000000000,), }",
                "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536), }",
                "",
                "not a dict");
        for (String d : dicts) {
            InputException e = assertThrows(InputException.class, () -> read(npy(d, six)), d);
            assertTrue(e.getMessage().startsWith(SOURCE + ": "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void notNpyEmptyAndUnknownVersionsAreRefused() {
        assertEquals(SOURCE + ": empty, not an .npy array", assertThrows(InputException.class, () -> read(new byte[0])).getMessage());
        assertThrows(InputException.class, () -> read("PK\u0003\u0004 a zip, not npy".getBytes(StandardCharsets.ISO_8859_1)));
        byte[] v4 = npy(dict("<f4", false, "()"), new byte[4]);
        v4[6] = 4;
        assertTrue(assertThrows(InputException.class, () -> read(v4)).getMessage().contains("format version 4.0"));
        // version 2.0 declaring a 2 GiB header
        byte[] big = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, (byte) 0x80, '{'};
        assertTrue(assertThrows(InputException.class, () -> read(big)).getMessage().contains("header declares"));
    }

    @Test
    void shapeAndByteCountMustAgree() {
        InputException fewer = assertThrows(InputException.class, () -> read(npy(dict("<f4", false, "(2, 3)"), new byte[20])));
        assertEquals(SOURCE + ": truncated: shape (2, 3) of <f4 needs 24 bytes, 20 follow the header", fewer.getMessage());
        InputException more = assertThrows(InputException.class, () -> read(npy(dict("<f4", false, "(2, 3)"), new byte[28])));
        assertEquals(SOURCE + ": more data than shape (2, 3) of <f4 declares (24 bytes)", more.getMessage());
    }

    @Test
    void everyTruncationIsRefused() throws Exception {
        byte[] good = bytes(new NpyArray(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        for (int length = 0; length < good.length; length++) {
            int n = length;
            assertThrows(InputException.class, () -> read(Arrays.copyOf(good, n)), "length " + n);
        }
    }

    @Test
    void hugeDeclaredShapeFailsQuicklyWithoutAllocatingIt() {
        // 2·10^9 float64 elements would be 16 GB; the data are 100 bytes
        byte[] b = npy(dict("<f8", false, "(2000000000,)"), new byte[100]);
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(InputException.class, () -> read(b)));
        assertEquals(SOURCE + ": truncated: shape (2000000000,) of <f8 needs 16000000000 bytes, 100 follow the header", e.getMessage());
    }

    @Test
    void arrayShapeMustMatchData() {
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {-2}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {}, new float[0]));
        assertEquals(NpyArray.of(1, 2), new NpyArray(new int[] {2}, new float[] {1, 2}));
    }
}
