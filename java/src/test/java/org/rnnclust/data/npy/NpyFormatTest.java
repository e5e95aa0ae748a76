package org.rnnclust.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The header rnnclust writes, byte for byte the one numpy writes; and the array record's checks. */
class NpyFormatTest {
    @Test
    void float32HeaderIsNumpys() {
        assertNumpyHeader("f4_le", new int[] {11});
        assertNumpyHeader("f4_cube", new int[] {2, 3, 4});
        assertNumpyHeader("f4_scalar", new int[0]);
    }

    private static void assertNumpyHeader(String fixture, int[] shape) {
        byte[] header = NpyFormat.float32Header(shape);
        byte[] numpy = NpyInputTest.FILES.get(fixture);
        assertEquals(0, header.length % 64, "data start 64-byte aligned");
        assertArrayEquals(Arrays.copyOf(numpy, header.length), header, fixture);
    }

    @Test
    void aHeaderOver64KiBIsVersion2() throws IOException {
        int[] shape = new int[25_000];  // "1, " each: a 75 kB header
        Arrays.fill(shape, 1);
        byte[] header = NpyFormat.float32Header(shape);
        assertEquals(2, header[6], "format version 2.0");
        assertEquals(0, header.length % 64);
        assertEquals('\n', header[header.length - 1]);
        byte[] file = Arrays.copyOf(header, header.length + 4);  // one float32, 0
        NpyArray back = NpyInput.open(new ByteArrayInputStream(file), "v2.npy").readFloat32(NpyInput.InexactIntegers.REFUSE);
        assertArrayEquals(shape, back.shape());
    }

    @Test
    void shapeTextIsPythons() {
        assertEquals("()", NpyFormat.shapeText(new int[0]));
        assertEquals("(4,)", NpyFormat.shapeText(new int[] {4}));
        assertEquals("(2, 3)", NpyFormat.shapeText(new int[] {2, 3}));
    }

    @Test
    void arrayShapeMustMatchData() {
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {2}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {-2}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new NpyArray(new int[] {}, new float[0]));
        assertEquals(NpyArray.of(1, 2), new NpyArray(new int[] {2}, new float[] {1, 2}));
    }
}
