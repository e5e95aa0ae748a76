package org.rnnclust.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rnnclust.data.read.TestFiles.assertSeries;
import static org.rnnclust.data.read.TestFiles.bytes;
import static org.rnnclust.data.read.TestFiles.fails;
import static org.rnnclust.data.read.TestFiles.gzip;
import static org.rnnclust.data.read.TestFiles.labelOf;
import static org.rnnclust.data.read.TestFiles.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

class ReadersTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({
            "CBF_TRAIN.tsv, UCR", "CBF_TRAIN.TSV.GZ, UCR", "old.txt, UCR", "digits.csv.gz, CSV",
            "BasicMotions_TRAIN.ts.gz, TS", "x.npy, NPY", "t10k-images-idx3-ubyte.gz, IDX",
            "train-labels.idx1-ubyte, IDX", "data.idx, IDX"})
    void formatFromFileName(String name, Format expected) {
        assertEquals(expected, Readers.formatOf(Path.of("some/dir", name)));
    }

    @Test
    void unknownExtensionListsTheAcceptedOnes() {
        Path f = text(dir, "data.json", "[]");
        fails(f, "cannot tell the format", ".tsv", ".csv", ".ts", ".npy", "idx");
        fails(text(dir, "data.gz", "1\t2\n"), "cannot tell the format");
    }

    @Test
    void formatOptionOverridesTheName() {
        Path f = text(dir, "UCR_comma.csv", "1,0.5,0.25\n2,1,2\n");
        Dataset d = Readers.read(f, ReadOptions.defaults().withFormat(Format.UCR));
        assertEquals(List.of("1", "2"), d.labelNames());
        assertSeries(d, 0, 0.5f, 0.25f);
        assertEquals(3, Readers.read(f, null).length(0), "as plain CSV all three fields are values");
    }

    @Test
    void gzipIsDetectedByMagicNotName() {
        Path f = bytes(dir, "packed.tsv", gzip("1\t2\t3\n".getBytes(StandardCharsets.UTF_8)));
        assertSeries(Readers.read(f, null), 0, 2f, 3f);
        Path plain = text(dir, "plain.tsv", "1\t2\t3\n");
        Path misnamed = dir.resolve("plain.tsv.gz");
        try {
            Files.copy(plain, misnamed);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertSeries(Readers.read(misnamed, null), 0, 2f, 3f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"e.tsv", "e.ts", "e.csv", "e.npy", "e-idx3-ubyte", "e.tsv.gz", "e.ts.gz", "e.csv.gz",
            "e.npy.gz", "e-idx3-ubyte.gz"})
    void emptyFileOfEveryFormat(String name) {
        fails(bytes(dir, name, new byte[0]), "empty file");
    }

    @Test
    void corruptGzip() {
        byte[] gz = gzip("1\t2\t3\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        byte[] corrupt = gz.clone();
        for (int i = 12; i < corrupt.length - 8; i++) corrupt[i] ^= 0x5a;
        fails(bytes(dir, "corrupt.tsv", corrupt), "corrupt gzip data");

        byte[] badCrc = gz.clone();
        badCrc[badCrc.length - 6] ^= 1;
        fails(bytes(dir, "crc.tsv", badCrc), "corrupt gzip data");

        fails(bytes(dir, "truncated.tsv", Arrays.copyOf(gz, gz.length / 2)), "truncated gzip data");
        fails(bytes(dir, "header.tsv", new byte[] {0x1f, (byte) 0x8b, 8}), "truncated gzip data");
    }

    @Test
    void missingFileAndDirectory() {
        fails(dir.resolve("absent.tsv"), "no such file");
        Path sub = dir.resolve("sub.tsv");
        try {
            Files.createDirectory(sub);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        fails(sub, "is a directory");
    }

    @Test
    void unreadableFile() throws IOException {
        Path f = text(dir, "secret.tsv", "1\t2\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(f), "running as a user who can read any file");
        fails(f, "permission denied");
    }

    @Test
    void optionsThatTheFormatWouldIgnore() {
        Path f = text(dir, "x.tsv", "1\t2\n");
        fails(f, ReadOptions.defaults().withLabelsFile(dir.resolve("y.npy")), "labels file is only used with IDX and NPY");
        fails(f, new ReadOptions(Format.AUTO, null, "-1", null), "only used with CSV");
    }

    @Test
    void mergedTrainAndTestUniteLabelsByName() {
        Path train = text(dir, "a_TRAIN.tsv", "1\t1\t2\n2\t3\t4\n");
        Path test = bytes(dir, "a_TEST.tsv.gz", "3.0000000e+00\t5\t6\n1\t7\t8\n".getBytes(StandardCharsets.UTF_8));
        Dataset d = Readers.readMerged(train, test, null);
        assertEquals(4, d.size());
        assertEquals(List.of("1", "2", "3"), d.labelNames());
        assertEquals("3", labelOf(d, 2));
        assertEquals("1", labelOf(d, 3));
        assertSeries(d, 3, 7f, 8f);
    }

    @Test
    void mergedRefusesASharedLabelsFile() {
        Path labels = dir.resolve("l.npy");
        InputException e = assertThrows(InputException.class, () -> Readers.readMerged(
                dir.resolve("a.npy"), dir.resolve("b.npy"), ReadOptions.defaults().withLabelsFile(labels)));
        assertEquals(true, e.getMessage().startsWith(labels.toString()), e.getMessage());
    }

    /**
     * Rows read where they lie equal the same rows of the whole file: big-endian float64 and three
     * dimensions (decoded as the whole-file read decodes), in any ascending selection; gzip and
     * Fortran order cannot seek and answer null.
     */
    @Test
    void npyRowsAreTheWholeFilesRows() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(5 * 3 * 2 * 8).order(java.nio.ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < 5 * 3 * 2; i++) b.putDouble(i * 0.5 - 3);
        byte[] file = org.rnnclust.data.npy.NpyBytes.npy(2, org.rnnclust.data.npy.NpyBytes.dict(">f8", false, "(5, 3, 2)"),
                b.array());
        Path npy = bytes(dir, "x.npy", file);
        Dataset whole = Readers.read(npy, null);
        try (NpyRows rows = NpyRows.openIfSeekable(npy)) {
            assertEquals(5, rows.count());
            assertEquals(3, rows.steps());
            assertEquals(2, rows.channels());
            Dataset some = rows.read(new int[] {0, 3, 4});
            assertEquals(2, some.channels());
            int[] picked = {0, 3, 4};
            for (int i = 0; i < picked.length; i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(whole.series(picked[i]), some.series(i));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> rows.read(new int[] {5}));
        }
        org.junit.jupiter.api.Assertions.assertNull(NpyRows.openIfSeekable(bytes(dir, "x.npy.gz", gzip(file))));
        byte[] fortran = org.rnnclust.data.npy.NpyBytes.npy(2,
                org.rnnclust.data.npy.NpyBytes.dict(">f8", true, "(5, 3, 2)"), b.array());
        org.junit.jupiter.api.Assertions.assertNull(NpyRows.openIfSeekable(bytes(dir, "f.npy", fortran)));
    }

    /** A chunk of a streamed file numbers its records from the file's start, as messages must. */
    @Test
    void streamedChunksNumberTheirRecordsFromTheFilesStart() {
        Path ucr = text(dir, "s.tsv", "1\t1\t2\n2\t3\t4\n1\t5\t6\n\n2\t7\t8\n1\t9\t10\n");
        List<Long> firsts = new java.util.ArrayList<>();
        Readers.streamRows(ucr, Format.AUTO, 2, new Readers.Rows() {
            @Override public void start(int sequences, int steps, int channels) { }

            @Override public void rows(Dataset chunk) { firsts.add(chunk.recordNumber(0)); }
        });
        assertEquals(List.of(1L, 3L, 5L), firsts, "chunks of 2 of 5 records (a blank line is none)");
        firsts.clear();
        float[] values = new float[7 * 2];
        Path npy = dir.resolve("s.npy");
        org.rnnclust.io.Npy.write(npy, new org.rnnclust.data.npy.NpyArray(new int[] {7, 2}, values));
        Readers.streamRows(npy, Format.AUTO, 3, new Readers.Rows() {
            @Override public void start(int sequences, int steps, int channels) { }

            @Override public void rows(Dataset chunk) { firsts.add(chunk.recordNumber(chunk.size() - 1)); }
        });
        assertEquals(List.of(3L, 6L, 7L), firsts, "the last record of each chunk of 3 of 7");
    }
}
