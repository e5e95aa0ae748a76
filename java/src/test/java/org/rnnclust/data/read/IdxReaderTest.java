package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.bytes;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.idx;
import static org.rnnclust.data.read.TestFiles.labelOf;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

class IdxReaderTest {
    @TempDir Path dir;

    /** Two 2×3 images with pixel values 0, 1, ..., 10, 255. */
    private static byte[] images() {
        byte[] pixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, (byte) 255};
        return idx(0x08, new int[] {2, 2, 3}, pixels);
    }

    @ParameterizedTest
    @ValueSource(strings = {"t10k-images-idx3-ubyte", "t10k-images-idx3-ubyte.gz"})
    void imagesBecomeRowSequencesWithLabels(String name) {
        Path data = bytes(dir, name, images());
        Path labels = bytes(dir, "labels-idx1-ubyte" + (name.endsWith(".gz") ? ".gz" : ""),
                idx(0x08, new int[] {2}, new byte[] {7, 3}));
        Dataset d = Readers.read(data, ReadOptions.defaults().withLabelsFile(labels));
        assertEquals(2, d.size());
        assertEquals(3, d.channels());
        assertEquals(2, d.length(0));
        assertSeries(d, 0, 0f, 1f, 2f, 3f, 4f, 5f);
        assertSeries(d, 1, 6f, 7f, 8f, 9f, 10f, 255f);
        assertEquals(List.of("3", "7"), d.labelNames());
        assertEquals("7", labelOf(d, 0));
    }

    @Test
    void genericTypesAndTwoDimensions() {
        ByteBuffer floats = ByteBuffer.allocate(16).putFloat(1.5f).putFloat(-2f).putFloat(0.1f).putFloat(3e-5f);
        Dataset f = Readers.read(bytes(dir, "f.idx", idx(0x0D, new int[] {2, 2}, floats.array())), null);
        assertEquals(1, f.channels());
        assertSeries(f, 1, 0.1f, 3e-5f);

        ByteBuffer shorts = ByteBuffer.allocate(4).putShort((short) -300).putShort((short) 12);
        assertSeries(Readers.read(bytes(dir, "s.idx", idx(0x0B, new int[] {1, 2}, shorts.array())), null), 0, -300f, 12f);

        assertSeries(Readers.read(bytes(dir, "b.idx", idx(0x09, new int[] {1, 1, 2}, new byte[] {-5, 5})), null), 0, -5f, 5f);

        ByteBuffer doubles = ByteBuffer.allocate(16).putDouble(0.25).putDouble(-1e10);
        Dataset dd = Readers.read(bytes(dir, "d.idx", idx(0x0E, new int[] {1, 2}, doubles.array())), null);
        assertSeries(dd, 0, 0.25f, -1e10f);

        ByteBuffer ints = ByteBuffer.allocate(4).putInt(-123456);
        assertSeries(Readers.read(bytes(dir, "i.idx", idx(0x0C, new int[] {1, 1}, ints.array())), null), 0, -123456f);
        assertFalse(dd.hasLabels());
    }

    @Test
    void wrongMagic() {
        fails(bytes(dir, "x.idx", new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}), "not an IDX file (magic 0x504b0304)");
    }

    @Test
    void truncatedData() {
        byte[] full = images();
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        fails(bytes(dir, "cut-idx3-ubyte", cut), "truncated", "header declares 2 items of 2×3", "only 7 bytes follow");
    }

    @Test
    void hugeDeclaredCountOnTinyFileFailsWithoutAllocating() {
        byte[] data = idx(0x08, new int[] {Integer.MAX_VALUE, 60000, 60000}, new byte[16]);
        // a plain file's size is known: the shortfall is named at once
        fails(bytes(dir, "huge-idx3-ubyte", data), "truncated", "only 16 bytes follow");
        // compressed, the size is not known until read: the declared items are refused before that
        fails(bytes(dir, "huge-idx3-ubyte.gz", data), "items of 60000×60000", "more than one array holds");
    }

    @Test
    void extraBytes() {
        byte[] data = idx(0x08, new int[] {1, 2}, new byte[] {1, 2, 3});
        fails(bytes(dir, "x.idx", data), "1 bytes after the data");
    }

    @Test
    void oneDimensionalDataRefused() {
        fails(bytes(dir, "x.idx", idx(0x08, new int[] {2}, new byte[] {1, 2})), "1 dimension;");
    }

    @Test
    void labelsFileProblems() {
        Path data = bytes(dir, "x-idx3-ubyte", images());
        Path three = bytes(dir, "three-idx1-ubyte", idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
        assertEquals(three + ": 3 labels for the 2 items of " + data, failsLabels(data, three));

        Path notLabels = bytes(dir, "img-idx3-ubyte", images());
        assertEquals(notLabels + ": not an IDX label file (magic 0x00000803, expected 0x00000801: unsigned bytes, one dimension)",
                failsLabels(data, notLabels));

        byte[] cut = Arrays.copyOf(idx(0x08, new int[] {2}, new byte[] {1, 2}), 9);
        Path shortLabels = bytes(dir, "short-idx1-ubyte.gz", cut);
        assertEquals(shortLabels + ": truncated: header declares 2 labels but only 1 bytes follow",
                failsLabels(data, shortLabels));

        Path missing = dir.resolve("nowhere-idx1-ubyte");
        assertEquals(missing + ": no such file", failsLabels(data, missing));
    }

    private static String failsLabels(Path data, Path labels) {
        return assertThrows(InputException.class,
                () -> Readers.read(data, ReadOptions.defaults().withLabelsFile(labels))).getMessage();
    }
}
