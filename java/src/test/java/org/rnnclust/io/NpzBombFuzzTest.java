package org.rnnclust.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.npy.NpyBytes;
import org.rnnclust.fuzz.Bombs;
import org.rnnclust.fuzz.FuzzHarness;
import org.rnnclust.fuzz.FuzzHarness.Input;

/**
 * Compressed bombs in {@code .npz} archives: an entry that starts with a valid .npy header and
 * inflates to 1 to 4 GiB of zeros, sometimes after a valid entry. Its declared shape is either small
 * (a few million elements: read, then refused as longer than declared) or beyond the heap (refused
 * before any data are read). Shapes in between, which the heap holds, are read up to their size
 * by design, so they are left out to keep each try fast. The entry's CRC is not computed (it would
 * take seconds); the reader must refuse the bomb before the CRC could matter.
 *
 * <p>The default run tries {@code rnnclust.fuzz.tries}/10 bombs (at least 5); the long run
 * ({@code -Drnnclust.fuzz.tries=10000}) a thousand.
 */
class NpzBombFuzzTest {
    /** The most elements of a small declared shape. */
    private static final long SMALL = 4L << 20;

    @TempDir static Path dir;

    @Test
    void npzBombs() {
        FuzzHarness.forAll("npz-bomb", Math.max(5, FuzzHarness.tries() / 10), NpzBombFuzzTest::draw);
    }

    private static Input draw(SplittableRandom r) {
        String descr = FuzzHarness.oneOf(r, "<f4", "<f8", "<i4", "|u1");
        String shape = r.nextBoolean() ? smallShape(r) : hugeShape(r);
        byte[] header = NpyBytes.npy(r.nextInt(1, 4), NpyBytes.dict(descr, r.nextBoolean(), shape), new byte[0]);
        int units = FuzzHarness.between(r, (1 << 30) / Bombs.UNIT, 255);
        boolean validFirst = r.nextBoolean();
        byte[] zip = zip(header, units, validFirst);
        Path file = dir.resolve("bomb.npz");
        try {
            Files.write(file, zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String description = "bomb.npz: " + (validFirst ? "a valid entry, then " : "") + "w.npy of " + descr + " shape " + shape
                + " then " + units + " × " + (Bombs.UNIT >> 20) + " MiB of zeros (" + zip.length + " bytes)";
        return Input.bomb(description, zip, "bomb.npz", () -> Npz.read(file),
                FuzzHarness.FIXED_BYTES + 2 * 8 * SMALL, zip.length / 4);
    }

    /** One to three sizes whose product is at most {@link #SMALL}. */
    private static String smallShape(SplittableRandom r) {
        int rank = r.nextInt(1, 4);
        long left = SMALL;
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < rank; i++) {
            long d = Math.max(1, Math.round(Math.pow(left, r.nextDouble())));
            left /= d;
            s.append(i > 0 ? ", " : "").append(d);
        }
        return s.append(rank == 1 ? ",)" : ")").toString();
    }

    /** A shape of at least 1.5·10⁹ elements: 6 GB as float32, beyond the test JVM's heap. */
    private static String hugeShape(SplittableRandom r) {
        long first = 1_500_000_000L + r.nextLong(Integer.MAX_VALUE - 1_500_000_000L);
        return r.nextBoolean() ? "(" + first + ",)" : "(" + first + ", " + r.nextInt(1, 1 << 20) + ")";
    }

    /** A zip holding the bomb entry, raw deflate data of {@code header} and zeros. */
    private static byte[] zip(byte[] header, int units, boolean validFirst) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            if (validFirst) {
                ByteArrayOutputStream npy = new ByteArrayOutputStream();
                Npy.write(npy, NpyArray.of(1f, 2f));
                ZipArchiveEntry first = new ZipArchiveEntry("b.npy");
                zip.putArchiveEntry(first);
                zip.write(npy.toByteArray());
                zip.closeArchiveEntry();
            }
            byte[] raw = Bombs.deflated(header, units);
            ZipArchiveEntry bomb = new ZipArchiveEntry("w.npy");
            bomb.setMethod(ZipEntry.DEFLATED);
            bomb.setSize(header.length + (long) units * Bombs.UNIT);
            bomb.setCompressedSize(raw.length);
            bomb.setCrc(0);
            zip.addRawArchiveEntry(bomb, new ByteArrayInputStream(raw));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
