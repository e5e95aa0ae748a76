package org.rnnclust.data.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rnnclust.data.npy.NpyBytes.dict;
import static org.rnnclust.data.npy.NpyBytes.npy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.data.npy.NpyInput.InexactIntegers;

/**
 * The one .npy parser against NumPy: every element type, both byte orders, Fortran order and
 * format versions 1 to 3, as numpy writes them (fixtures/npy/make_dtypes_fixture.py, with the
 * exact values beside them); then hand-made headers that are broken.
 */
class NpyInputTest {
    private static final String SOURCE = "w.npy";
    /** The fixture files by name, as numpy wrote them. */
    static final Map<String, byte[]> FILES = entries("/fixtures/npy/dtypes.npz");
    private static final JsonNode EXPECTED = json("/fixtures/npy/dtypes.json");

    static Stream<String> fixtures() {
        return FILES.keySet().stream();
    }

    /** Every fixture: its shape, and its values read as float64 are the exact values (integers rounded to nearest). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float64IsTheValueNumpyStored(String name) throws IOException {
        JsonNode e = EXPECTED.get(name);
        NpyInput npy = open(FILES.get(name), name);
        assertEquals(e.get("descr").asText(), npy.dtype());
        assertArrayEquals(ints(e.get("shape")), npy.shape());
        double[] got = npy.readFloat64();
        List<BigDecimal> exact = exactValues(e);
        assertEquals(exact.size(), got.length);
        for (int i = 0; i < got.length; i++) {
            double want = nearestDouble(e.get("values").get(i).asText(), exact.get(i));
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got[i]),
                    name + "[" + i + "]: " + e.get("values").get(i).asText() + " read as " + got[i]);
        }
    }

    /** float32 with rounding: the float64 value rounded once more; every value is read. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float32RoundedIsTheFloat64ValueRounded(String name) throws IOException {
        double[] wide = open(FILES.get(name), name).readFloat64();
        NpyArray narrow = open(FILES.get(name), name).readFloat32(InexactIntegers.ROUND);
        assertArrayEquals(ints(EXPECTED.get(name).get("shape")), narrow.shape());
        for (int i = 0; i < wide.length; i++) {
            assertEquals(Float.floatToRawIntBits((float) wide[i]), Float.floatToRawIntBits(narrow.data()[i]), name + "[" + i + "]");
        }
    }

    /** float32 refusing inexact integers: refused exactly when some integer has no float32 twin, naming the first. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void float32RefusesExactlyTheIntegersFloat32CannotHold(String name) throws IOException {
        JsonNode e = EXPECTED.get(name);
        boolean integers = !e.get("descr").asText().contains("f");
        int firstInexact = -1;
        List<BigDecimal> exact = exactValues(e);
        for (int i = 0; i < exact.size() && integers && firstInexact < 0; i++) {
            BigDecimal v = exact.get(i);
            if (new BigDecimal(v.floatValue()).compareTo(v) != 0) firstInexact = i;
        }
        if (firstInexact < 0) {
            NpyArray a = open(FILES.get(name), name).readFloat32(InexactIntegers.REFUSE);
            assertArrayEquals(open(FILES.get(name), name).readFloat32(InexactIntegers.ROUND).data(), a.data());
            return;
        }
        int at = firstInexact;
        InputException x = assertThrows(InputException.class,
                () -> open(FILES.get(name), name).readFloat32(InexactIntegers.REFUSE));
        // the index is the file's, which is the C index here: no integer fixture with inexact values is in Fortran order
        assertEquals(name + ": integer " + e.get("values").get(at).asText() + " at index " + at
                + " has no exact float32 value", x.getMessage());
    }

    @Test
    void fortranOrderIsTransposedIntoCOrder() throws IOException {
        // element (i, j, k) of shape (2, 3, 4) stands at i + 2j + 6k in Fortran order
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
        byte[] file = npy(dict("<f4", true, "(2, 3, 4)"), fb.array());
        assertArrayEquals(c, open(file, SOURCE).readFloat32(InexactIntegers.REFUSE).data());
        double[] wide = open(file, SOURCE).readFloat64();
        for (int i = 0; i < 24; i++) assertEquals(c[i], wide[i], 0.0);
    }

    @Test
    void dataLargerThanTheFirstAllocationGrowAsTheyArrive() throws IOException {
        int n = 3_000_001;
        ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putDouble(i * 0.5);
        float[] got = open(npy(dict("<f8", false, "(3000001,)"), b.array()), SOURCE).readFloat32(InexactIntegers.ROUND).data();
        assertEquals(n, got.length);
        for (int i = 0; i < n; i += 999_999) assertEquals(i * 0.5f, got[i], 0f);
        assertEquals((n - 1) * 0.5f, got[n - 1], 0f);
    }

    @Test
    void shapeAndByteCountMustAgree() {
        InputException fewer = assertThrows(InputException.class, () -> read(npy(dict("<f4", false, "(2, 3)"), new byte[20])));
        assertEquals(SOURCE + ": truncated: shape (2, 3) of <f4 needs 24 bytes, 20 follow the header", fewer.getMessage());
        InputException more = assertThrows(InputException.class, () -> read(npy(dict("<u2", false, "(2, 3)"), new byte[14])));
        assertEquals(SOURCE + ": more data than shape (2, 3) of <u2 declares (12 bytes)", more.getMessage());
    }

    @Test
    void hugeDeclaredShapeFailsQuicklyWithoutAllocatingIt() {
        // 2·10^9 float64 elements would be 16 GB, 8 GB as float32; the data are 100 bytes
        byte[] b = npy(dict("<f8", false, "(2000000000,)"), new byte[100]);
        // a stream of unknown length (gzip data, a pipe): the heap is checked before anything is read
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 8_000_000_000L, "a heap that holds 8 GB");
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(InsufficientMemoryException.class, () -> read(b)));
        assertTrue(e.getMessage().startsWith(SOURCE + ": the array of shape (2000000000,) of <f8 needs 7.5 GiB of Java heap"),
                e.getMessage());
        // a length known up front (a plain file): the shortfall is named before the heap is asked
        InputException known = assertThrows(InputException.class,
                () -> NpyInput.open(new ByteArrayInputStream(b), SOURCE, b.length));
        assertEquals(SOURCE + ": truncated: shape (2000000000,) of <f8 needs 16000000000 bytes, 100 follow the header",
                known.getMessage());
        byte[] tooMany = npy(dict("<f8", false, "(2000000000, 2000000000, 2000000000)"), new byte[8]);
        assertEquals(SOURCE + ": shape (2000000000, 2000000000, 2000000000) has too many elements for one array",
                assertThrows(InputException.class, () -> read(tooMany)).getMessage());
    }

    @Test
    void aKnownLengthIsCheckedAgainstTheShapeBeforeTheData() {
        byte[] fewer = npy(dict("<f4", false, "(2, 3)"), new byte[20]);
        assertEquals(SOURCE + ": truncated: shape (2, 3) of <f4 needs 24 bytes, 20 follow the header",
                assertThrows(InputException.class, () -> NpyInput.open(new ByteArrayInputStream(fewer), SOURCE, fewer.length))
                        .getMessage());
        byte[] more = npy(dict("<u2", false, "(2, 3)"), new byte[14]);
        assertEquals(SOURCE + ": more data than shape (2, 3) of <u2 declares (12 bytes)",
                assertThrows(InputException.class, () -> NpyInput.open(new ByteArrayInputStream(more), SOURCE, more.length))
                        .getMessage());
    }

    @Test
    void badHeadersAreOneLineErrorsNamingTheSource() {
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
                "{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }",
                "{'descr': '|b1', 'fortran_order': False, 'shape': (24,), }",
                "{'descr': '<i3', 'fortran_order': False, 'shape': (8,), }",
                "{'descr': '\n\n  \n\t\n<u2', 'fortran_order': False, 'shape': (12,), }",
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
        assertEquals(SOURCE + ": unsupported .npy dtype '<c8'; float32/64 and signed or unsigned integers of 1 to 8 bytes are read",
                assertThrows(InputException.class, () -> read(npy(dicts.get(12), six))).getMessage());
    }

    @Test
    void notNpyEmptyTruncatedAndUnknownVersionsAreRefused() {
        assertEquals(SOURCE + ": empty, not an .npy array", assertThrows(InputException.class, () -> read(new byte[0])).getMessage());
        assertEquals(SOURCE + ": not an .npy array (no \\x93NUMPY magic)", assertThrows(InputException.class,
                () -> read("PK\u0003\u0004 a zip, not npy".getBytes(StandardCharsets.ISO_8859_1))).getMessage());
        byte[] v4 = npy(dict("<f4", false, "()"), new byte[4]);
        v4[6] = 4;
        assertTrue(assertThrows(InputException.class, () -> read(v4)).getMessage().contains("format version 4.0"));
        // version 2.0 declaring a 2 GiB header
        byte[] big = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, (byte) 0x80, '{'};
        assertTrue(assertThrows(InputException.class, () -> read(big)).getMessage().contains("header declares"));
        byte[] good = FILES.get("i4_le");
        for (int length = 0; length < good.length; length++) {
            byte[] cut = Arrays.copyOf(good, length);
            assertThrows(InputException.class, () -> read(cut), "length " + length);
        }
    }

    @Test
    void theDataAreReadOnce() throws IOException {
        NpyInput npy = open(FILES.get("f4_le"), SOURCE);
        npy.readFloat64();
        assertThrows(IllegalStateException.class, () -> npy.readFloat32(InexactIntegers.ROUND));
    }

    // ---------------------------------------------------------------- helpers

    private static NpyInput open(byte[] file, String source) throws IOException {
        return NpyInput.open(new ByteArrayInputStream(file), source);
    }

    private static NpyArray read(byte[] file) throws IOException {
        return open(file, SOURCE).readFloat32(InexactIntegers.REFUSE);
    }

    /** The exact values of a fixture, or null for the infinities (which have no BigDecimal). */
    private static List<BigDecimal> exactValues(JsonNode e) {
        List<BigDecimal> out = new ArrayList<>();
        for (JsonNode v : e.get("values")) out.add(v.asText().endsWith("Infinity") ? null : new BigDecimal(v.asText()));
        return out;
    }

    /** The double nearest the exact value (BigDecimal rounds correctly), keeping the sign of -0.0. */
    private static double nearestDouble(String text, BigDecimal exact) {
        if (exact == null || text.startsWith("-0.0")) return Double.parseDouble(text);
        return exact.doubleValue();
    }

    private static int[] ints(JsonNode array) {
        int[] a = new int[array.size()];
        for (int i = 0; i < a.length; i++) a[i] = array.get(i).asInt();
        return a;
    }

    private static Map<String, byte[]> entries(String resource) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = NpyInputTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " missing from the test classpath");
            try (ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    out.put(e.getName().replace(".npy", ""), zip.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static JsonNode json(String resource) {
        try (InputStream in = NpyInputTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException(resource + " missing from the test classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
