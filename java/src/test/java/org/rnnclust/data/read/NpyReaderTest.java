package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnnclust.data.npy.NpyBytes.dict;
import static org.rnnclust.data.npy.NpyBytes.npy;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.bytes;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.floatsLE;
import static org.rnnclust.data.read.TestFiles.labelOf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

class NpyReaderTest {
    @TempDir Path dir;

    private static final float[] VALUES = {0.1f, -2.5f, 3e-8f, 4f, 5.5f, 6f, 7f, 8.125f, 9f, 10f, 11f, -12f};

    @ParameterizedTest
    @ValueSource(strings = {"x.npy", "x.npy.gz"})
    void float32ThreeDimensions(String name) {
        Path f = bytes(dir, name, npy(1, dict("<f4", false, "(2, 3, 2)"), floatsLE(VALUES)));
        Dataset d = Readers.read(f, null);
        assertEquals(2, d.size());
        assertEquals(2, d.channels());
        assertEquals(3, d.length(0));
        assertSeries(d, 0, 0.1f, -2.5f, 3e-8f, 4f, 5.5f, 6f);
        assertSeries(d, 1, 7f, 8.125f, 9f, 10f, 11f, -12f);
    }

    @Test
    void float64BigEndianVersion2() {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN).putDouble(0.1).putDouble(2).putDouble(-3).putDouble(1e-300);
        Dataset d = Readers.read(bytes(dir, "x.npy", npy(2, dict(">f8", false, "(2, 2)"), b.array())), null);
        assertEquals(1, d.channels());
        assertSeries(d, 0, 0.1f, 2f);
        assertSeries(d, 1, -3f, 0f);
    }

    @Test
    void fortranOrderIsTransposed() {
        // C-order [[1,2,3],[4,5,6]] stored column by column
        Dataset d = Readers.read(bytes(dir, "x.npy", npy(3, dict("<f4", true, "(2, 3)"), floatsLE(1, 4, 2, 5, 3, 6))), null);
        assertSeries(d, 0, 1f, 2f, 3f);
        assertSeries(d, 1, 4f, 5f, 6f);
    }

    @Test
    void fortranOrderOfThreeDimensions() {
        // element (i, t, c) of shape (2, 3, 2) holds 100i + 10t + c and stands at i + 2t + 6c
        float[] f = new float[12];
        for (int i = 0; i < 2; i++) {
            for (int t = 0; t < 3; t++) {
                for (int c = 0; c < 2; c++) f[i + 2 * t + 6 * c] = 100 * i + 10 * t + c;
            }
        }
        Dataset d = Readers.read(bytes(dir, "x.npy", npy(1, dict("<f4", true, "(2, 3, 2)"), floatsLE(f))), null);
        assertEquals(2, d.channels());
        assertSeries(d, 0, 0f, 1f, 10f, 11f, 20f, 21f);
        assertSeries(d, 1, 100f, 101f, 110f, 111f, 120f, 121f);
    }

    @Test
    void integerDataAreRoundedToFloat32WhileLabelsStayExact() {
        ByteBuffer values = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong((1 << 24) + 1).putLong(-3);
        Path data = bytes(dir, "x.npy", npy(1, dict("<i8", false, "(1, 2)"), values.array()));
        ByteBuffer label = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong((1 << 24) + 1);
        Path labels = bytes(dir, "y.npy", npy(1, dict("<i8", false, "(1,)"), label.array()));
        Dataset d = Readers.read(data, ReadOptions.defaults().withLabelsFile(labels));
        assertSeries(d, 0, 16777216f, -3f);
        assertEquals(List.of("16777217"), d.labelNames());
    }

    @Test
    void unsignedBytesAndIntegerLabels() {
        Path data = bytes(dir, "x.npy", npy(1, dict("|u1", false, "(3, 2)"), new byte[] {0, (byte) 200, 1, 2, 3, 4}));
        ByteBuffer ints = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(10).putLong(-1).putLong(2);
        Path labels = bytes(dir, "y.npy.gz", npy(1, dict("<i8", false, "(3,)"), ints.array()));
        Dataset d = Readers.read(data, ReadOptions.defaults().withLabelsFile(labels));
        assertSeries(d, 0, 0f, 200f);
        assertEquals(List.of("-1", "2", "10"), d.labelNames());
        assertEquals("10", labelOf(d, 0));
    }

    @Test
    void floatLabelsMustBeIntegral() {
        Path data = bytes(dir, "x.npy", npy(1, dict("<f4", false, "(2, 1)"), floatsLE(1, 2)));
        Path good = bytes(dir, "good.npy", npy(1, dict("<f4", false, "(2,)"), floatsLE(1, 0)));
        assertEquals(List.of("0", "1"), Readers.read(data, ReadOptions.defaults().withLabelsFile(good)).labelNames());
        Path bad = bytes(dir, "bad.npy", npy(1, dict("<f4", false, "(2,)"), floatsLE(1, 0.5f)));
        assertEquals(bad + ": label 1 is not an integer: 0.5", labelsError(data, bad));
    }

    @Test
    void wrongLengthLabels() {
        Path data = bytes(dir, "x.npy", npy(1, dict("<f4", false, "(2, 1)"), floatsLE(1, 2)));
        Path labels = bytes(dir, "y.npy", npy(1, dict("<i4", false, "(3,)"), new byte[12]));
        assertEquals(labels + ": 3 labels for the 2 sequences of " + data, labelsError(data, labels));
    }

    @Test
    void hugeDeclaredShapeOnTinyFile() {
        Path f = bytes(dir, "huge.npy", npy(1, dict("<f8", false, "(100000, 10000)"), new byte[8]));
        fails(f, "truncated", "shape (100000, 10000)", "needs 8000000000 bytes, 8 follow");
        Path g = bytes(dir, "huger.npy", npy(1, dict("<f8", false, "(1000000000, 1000000)"), new byte[8]));
        fails(g, "shape (1000000000, 1000000) has too many elements");
    }

    @Test
    void shapeProductOverflow() {
        Path f = bytes(dir, "over.npy", npy(1, dict("<f8", false, "(2000000000, 2000000000, 2000000000)"), new byte[8]));
        fails(f, "has too many elements");
    }

    @Test
    void extraBytesAndUnsupportedDtype() {
        fails(bytes(dir, "x.npy", npy(1, dict("<f4", false, "(1, 1)"), new byte[8])), "more data than shape (1, 1) of <f4");
        fails(bytes(dir, "c.npy", npy(1, dict("<c16", false, "(1, 1)"), new byte[16])), "unsupported .npy dtype");
        fails(bytes(dir, "s.npy", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4])),
                "unsupported .npy dtype");
    }

    @Test
    void notNpyAndWrongRank() {
        fails(bytes(dir, "x.npy", "hello world, not numpy".getBytes()), "not an .npy array");
        fails(bytes(dir, "v.npy", npy(1, dict("<f4", false, "(2,)"), floatsLE(1, 2))), "shape (2,)", "expected (N, T)");
    }

    @Test
    void truncatedHeader() {
        byte[] full = npy(1, dict("<f4", false, "(1, 1)"), floatsLE(1));
        fails(bytes(dir, "x.npy", java.util.Arrays.copyOf(full, 30)), "truncated .npy header");
    }

    @Test
    void lineBreaksInsideADamagedHeaderStayOnOneLine() {
        // found by ReaderFuzzTest: blank lines inserted into the dtype made a three-line message
        Path p = TestFiles.bytes(dir, "broken.npy", npy(1, dict("\n\n  \n\t\n<u2", false, "(2, 3)"), new byte[12]));
        TestFiles.fails(p, "unsupported .npy dtype '??  ???<u2'");
    }

    private static String labelsError(Path data, Path labels) {
        return assertThrows(InputException.class,
                () -> Readers.read(data, ReadOptions.defaults().withLabelsFile(labels))).getMessage();
    }
}
