package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.npy.NpyBytes;

/** .npz archives; the fixtures come from make_npz_fixture.py (numpy.savez and numpy.savez_compressed). */
class NpzTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path file = dir.resolve(name);
        try (InputStream in = NpzTest.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) throw new IllegalStateException("fixtures/" + name + " missing from the test classpath");
            Files.copy(in, file);
        }
        return file;
    }

    /** (i - n/2) / 8 for i in 0..n-1, the fixture script's ramp. */
    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((i - n / 2.0) / 8);
        return v;
    }

    private static Map<String, NpyArray> expectedFixture() {
        float[] thirds = new float[8];
        for (int i = 0; i < 8; i++) thirds[i] = (float) (i / 3.0);
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("lstm.weight_ih_l0", new NpyArray(new int[] {8, 3}, ramp(24)));
        m.put("lstm.bias_ih_l0", NpyArray.of(thirds));
        m.put("scale", new NpyArray(new int[] {}, new float[] {2.5f}));
        m.put("cube", new NpyArray(new int[] {2, 3, 4}, ramp(24)));
        m.put("fortran", new NpyArray(new int[] {2, 3}, ramp(6)));
        m.put("big_endian", NpyArray.of(ramp(5)));
        m.put("steps", new NpyArray(new int[] {}, new float[] {7}));
        m.put("special", NpyArray.of(-0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1));
        m.put("empty", new NpyArray(new int[] {0, 4}, new float[0]));
        return m;
    }

    @Test
    void readsWhatNumpySavezWrites() throws Exception {
        for (String name : List.of("weights_small.npz", "weights_small_compressed.npz")) {
            Map<String, NpyArray> read = Npz.read(fixture(name));
            Map<String, NpyArray> expected = expectedFixture();
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(read.keySet()), name);
            for (String key : expected.keySet()) {
                assertEquals(expected.get(key), read.get(key), name + " " + key);
            }
            assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(read.get("special").data()[0]));
        }
    }

    @Test
    void roundTripKeepsOrderAndIsReproducible() throws Exception {
        Map<String, NpyArray> arrays = expectedFixture();
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Npz.write(a, arrays);
        Npz.write(b, arrays);
        assertEquals(arrays, Npz.read(a));
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(Npz.read(a).keySet()));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "same arrays, same bytes");
        Npz.write(a, Map.of());
        assertTrue(Npz.read(a).isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".")).toList());
        }
    }

    @Test
    void numpyReadsWhatWeWrite() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && run(PYTHON.toString(), "-c", "import numpy") == 0, "no /usr/bin/python3 with numpy");
        Path file = dir.resolve("ours.npz");
        Npz.write(file, expectedFixture());
        String check = String.join("\n",
                "import sys, numpy as np",
                "d = np.load(sys.argv[1])",
                "ramp = lambda n: ((np.arange(n) - n / 2) / 8).astype(np.float32)",
                "assert list(d.keys()) == ['lstm.weight_ih_l0', 'lstm.bias_ih_l0', 'scale', 'cube', 'fortran', 'big_endian', 'steps', 'special', 'empty'], list(d.keys())",
                "assert all(d[k].dtype == np.float32 for k in d)",
                "assert np.array_equal(d['lstm.weight_ih_l0'], ramp(24).reshape(8, 3))",
                "assert np.array_equal(d['cube'], ramp(24).reshape(2, 3, 4))",
                "assert np.array_equal(d['fortran'], ramp(6).reshape(2, 3))",
                "assert d['scale'].shape == () and d['scale'] == 2.5",
                "assert d['empty'].shape == (0, 4)",
                "assert np.array_equal(d['lstm.bias_ih_l0'], (np.arange(8) / 3).astype(np.float32))",
                "assert np.signbit(d['special'][0]) and d['special'][3] == np.float32(1e-45)");
        assertEquals(0, run(PYTHON.toString(), "-c", check, file.toString()));
    }

    @Test
    void nonNpyEntriesDuplicatesAndFolderEntriesAreRefused() throws Exception {
        byte[] one = NpyBytes.npy(NpyBytes.dict("<f4", false, "(1,)"), new byte[4]);
        Path file = dir.resolve("x.npz");

        Files.write(file, zip(Map.of("a.npy", one, "notes.txt", "hello".getBytes(StandardCharsets.UTF_8)), true));
        assertEquals(file + ": entry notes.txt: not an .npy array", refused(file));

        byte[] twice = zip(new LinkedHashMap<>(Map.of("a.npy", one, "b.npy", one)), true);
        replace(twice, "b.npy", "a.npy");  // ZipOutputStream refuses duplicate names; rename in the bytes
        Files.write(file, twice);
        assertEquals(file + ": entry a.npy: appears twice", refused(file));

        Files.write(file, zip(Map.of("sub/", new byte[0]), true));
        assertEquals(file + ": entry sub/: not an .npy array", refused(file));

        Files.write(file, zip(Map.of("a.npy", "plain text".getBytes(StandardCharsets.UTF_8)), false));
        assertEquals(file + ": entry a.npy: not an .npy array (no \\x93NUMPY magic)", refused(file));
    }

    @Test
    void malformedArraysInsideAreNamedByEntry() throws Exception {
        Path file = dir.resolve("x.npz");
        for (boolean stored : new boolean[] {true, false}) {
            Files.write(file, zip(Map.of("w.npy", NpyBytes.npy(NpyBytes.dict("<f4", false, "(2, 3)"), new byte[20])), stored));
            assertEquals(file + ": entry w.npy: truncated: shape (2, 3) of <f4 needs 24 bytes, 20 follow the header", refused(file));

            Files.write(file, zip(Map.of("w.npy", NpyBytes.npy("{'descr': '<f4', 'shape': (1,), }", new byte[4])), stored));
            assertTrue(refused(file).startsWith(file + ": entry w.npy: bad .npy header"));

            // 10^9 float32 declared, 64 bytes present: refused quickly, without allocating 4 GB
            Files.write(file, zip(Map.of("w.npy", NpyBytes.npy(NpyBytes.dict("<f4", false, "(1000000000,)"), new byte[64])), stored));
            String message = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(file));
            assertTrue(message.startsWith(file + ": entry w.npy: truncated"), message);
        }
    }

    @Test
    void corruptAndTruncatedZipsAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(fixture("weights_small.npz"));
        Path file = dir.resolve("bad.npz");
        Files.write(file, new byte[0]);
        assertTrue(refused(file).startsWith(file + ": not a valid .npz (zip) file"));
        assertEquals(dir.resolve("none.npz") + ": no such file", refused(dir.resolve("none.npz")));
        assertEquals(dir + ": cannot read: Is a directory", refused(dir));
        Files.writeString(file, "this is not a zip archive at all, just text");
        assertTrue(refused(file).startsWith(file + ": not a valid .npz (zip) file"));
        for (int length = 0; length < good.length; length += 7) {
            Files.write(file, Arrays.copyOf(good, length));
            refused(file);
        }
        // a changed data byte of a stored entry is caught by the CRC
        byte[] flipped = good.clone();
        int data = indexOf(good, "lstm.weight_ih_l0.npy".getBytes(StandardCharsets.US_ASCII)) + 200;
        flipped[data] ^= 0x04;
        Files.write(file, flipped);
        assertEquals(file + ": entry lstm.weight_ih_l0.npy: CRC mismatch: the file is corrupted", refused(file));
    }

    /** Any single changed byte either still reads (zip fields nobody checks) or is one InputException line. */
    @Test
    void flippedBytesNeverEscapeAsOtherExceptions() throws Exception {
        for (String name : List.of("weights_small.npz", "weights_small_compressed.npz")) {
            byte[] good = Files.readAllBytes(fixture(name));
            Path file = dir.resolve("flipped.npz");
            for (int pos = 0; pos < good.length; pos++) {
                byte[] b = good.clone();
                b[pos] ^= (byte) 0x41;
                Files.write(file, b);
                try {
                    Npz.read(file);
                } catch (InputException e) {
                    assertTrue(e.getMessage().startsWith(file + ": ") && !e.getMessage().contains("\n"), e.getMessage());
                }
            }
        }
    }

    @Test
    void writingWhereNoFileCanBeCreatedIsAnInputError() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Path target = plain.resolve("w.npz");
        InputException e = assertThrows(InputException.class, () -> Npz.write(target, expectedFixture()));
        assertTrue(e.getMessage().startsWith(target + ": cannot write"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npz.write(dir.resolve("w.npz"), Map.of("", NpyArray.of(1))));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(plain), files.toList());
        }
    }

    // ---- helpers ----

    private static String refused(Path file) {
        InputException e = assertThrows(InputException.class, () -> Npz.read(file));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static byte[] zip(Map<String, byte[]> entries, boolean stored) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (var e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (stored) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void replace(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.getBytes(StandardCharsets.US_ASCII);
        for (int i = indexOf(data, f); i >= 0; i = indexOf(data, f)) System.arraycopy(t, 0, data, i, t.length);
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (p.exitValue() != 0) System.err.println(output);
        return p.exitValue();
    }
}
