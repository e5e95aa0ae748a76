package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.bytes;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.gzip;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.Dataset;

/** gzip data as {@link GzipInput} reads it: every member of a concatenation, nothing after the last. */
class GzipInputTest {
    @TempDir Path dir;

    private static final byte[] UCR = "1\t1\t2\n2\t3\t4\n1\t5\t6\n".getBytes(StandardCharsets.UTF_8);

    private static byte[] concat(byte[]... parts) {
        byte[] out = new byte[0];
        for (byte[] p : parts) {
            int at = out.length;
            out = Arrays.copyOf(out, at + p.length);
            System.arraycopy(p, 0, out, at, p.length);
        }
        return out;
    }

    @Test
    void concatenatedMembersReadAsOneStream() {
        for (int cut = 0; cut <= UCR.length; cut++) {  // members may split a line, or be empty
            byte[] two = concat(gzip(Arrays.copyOf(UCR, cut)), gzip(Arrays.copyOfRange(UCR, cut, UCR.length)));
            Dataset d = Readers.read(bytes(dir, "m" + cut + ".tsv", two), null);
            assertEquals(3, d.size(), "cut at " + cut);
            assertSeries(d, 2, 5f, 6f);
        }
        byte[] many = concat(gzip(new byte[0]), gzip(UCR), gzip(new byte[0]));
        assertEquals(3, Readers.read(bytes(dir, "many.tsv", many), null).size());
    }

    @Test
    void dataAfterTheLastMemberIsRefused() {
        fails(bytes(dir, "text.tsv", concat(gzip(UCR), "junk".getBytes(StandardCharsets.US_ASCII))),
                "data after the end of the gzip data");
        fails(bytes(dir, "zeros.tsv", concat(gzip(UCR), new byte[8])), "data after the end of the gzip data");
        fails(bytes(dir, "half-magic.tsv", concat(gzip(UCR), new byte[] {0x1f})), "data after the end of the gzip data");
    }

    @Test
    void aDamagedSecondMemberIsCorruptOrTruncated() {
        byte[] second = gzip(UCR);
        fails(bytes(dir, "cut.tsv", concat(gzip(UCR), Arrays.copyOf(second, second.length - 3))), "truncated gzip data");
        byte[] badCrc = second.clone();
        badCrc[badCrc.length - 6] ^= 1;
        fails(bytes(dir, "crc.tsv", concat(gzip(UCR), badCrc)), "corrupt gzip data");
        fails(bytes(dir, "magic-only.tsv", concat(gzip(UCR), new byte[] {0x1f, (byte) 0x8b})), "truncated gzip data");
    }

    @Test
    void binaryFormatsSeeTheEndOfTheLastMemberToo() {
        byte[] idx = TestFiles.idx(0x08, new int[] {1, 2}, new byte[] {1, 2});
        Dataset d = Readers.read(bytes(dir, "a-idx3-ubyte", concat(gzip(Arrays.copyOf(idx, 7)), gzip(Arrays.copyOfRange(idx, 7, idx.length)))),
                null);
        assertSeries(d, 0, 1f, 2f);
        fails(bytes(dir, "b-idx3-ubyte", concat(gzip(idx), new byte[] {9})), "data after the end of the gzip data");
    }
}
