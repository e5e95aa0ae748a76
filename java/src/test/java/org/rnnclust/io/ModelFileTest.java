package org.rnnclust.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.io.ModelFile.Tensor;

class ModelFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Values whose bits must survive: signed zero, subnormals, infinities, NaNs with payloads. */
    private static final float[] SPECIAL = {
        -0.0f, 0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0x1p-127f, Float.MIN_NORMAL, Float.MAX_VALUE,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00001), 1.0f / 3, -2.5e-20f
    };

    private static ObjectNode header() {
        ObjectNode h = JSON.createObjectNode();
        h.put("architecture", "lstm").put("hidden", 64).put("layers", 2);
        ObjectNode prep = h.putObject("preprocessing");
        prep.put("normalize", "znorm").put("length", 128);
        ArrayNode centroids = h.putArray("centroids");
        centroids.addArray().add(0.1).add(-3.5e-8).add(12345.678);
        centroids.addArray().add(1).add(2).add(3);
        h.putObject("training").put("seed", 42L).put("lr", 1e-3).put("unicode", "µ-läuft ✓");
        return h;
    }

    private static List<Tensor> tensors() {
        Random r = new Random(7);
        float[] w = new float[37 * 11];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        return List.of(
                new Tensor("encoder.weight_ih_l0", new int[] {37, 11}, w),
                new Tensor("special", new int[] {SPECIAL.length}, SPECIAL.clone()),
                new Tensor("empty", new int[] {0, 5}, new float[0]),
                new Tensor("scalar", new int[] {}, new float[] {-7.25f}),
                new Tensor("cube", new int[] {3, 1, 5}, Arrays.copyOf(w, 15)));
    }

    private Path written() {
        Path file = dir.resolve("model.rnnc");
        ModelFile.write(file, header(), tensors());
        return file;
    }

    private static void assertSameBits(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    @Test
    void roundTripKeepsHeaderTensorOrderAndEveryBit() {
        Path file = written();
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(header().toString(), loaded.header().toString());  // 42L reads back as an int node
        List<Tensor> expected = tensors();
        assertEquals(expected.stream().map(Tensor::name).toList(), List.copyOf(loaded.tensors().keySet()));
        for (Tensor t : expected) {
            Tensor got = loaded.tensors().get(t.name());
            assertArrayEquals(t.shape(), got.shape(), t.name());
            assertSameBits(t.data(), got.data());
        }
    }

    @Test
    void float64TensorsRoundTripBitForBitBesideFloat32Ones() throws Exception {
        double[] doubles = {0.1, -0.0, 1e-300, Double.MIN_VALUE, Math.PI, -7.25e300, 1.0 / 3, Double.NaN};
        float[] floats = {1.5f, -2.25f, 3e-30f};
        Path file = dir.resolve("mixed.rnnc");
        ModelFile.write(file, JSON.createObjectNode().put("a", 1), List.of(new Tensor("f", new int[] {3}, floats),
                Tensor.ofDoubles("d", new int[] {2, 4}, doubles), Tensor.ofDoubles("empty", new int[] {0}, new double[0])));
        ModelFile.Loaded loaded = ModelFile.read(file);
        Tensor d = loaded.tensors().get("d");
        assertTrue(d.isDouble());
        assertArrayEquals(new int[] {2, 4}, d.shape());
        for (int i = 0; i < doubles.length; i++) {
            assertEquals(Double.doubleToRawLongBits(doubles[i]), Double.doubleToRawLongBits(d.doubles()[i]), "value " + i);
        }
        assertArrayEquals(floats, loaded.tensors().get("f").data());
        assertEquals(0, loaded.tensors().get("empty").size());
        // On disk: 8 bytes per value, little-endian, at a 64-byte aligned offset after the float32 tensor.
        byte[] bytes = Files.readAllBytes(file);
        JsonNode entry = JSON.readTree(new String(bytes, 16, ByteBuffer.wrap(bytes, 12, 4).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(), StandardCharsets.UTF_8)).get("tensor_table").get("tensors").get(1);
        assertEquals("f64", entry.get("dtype").asText());
        assertEquals(64, entry.get("length").asLong());
        int header = 16 + ByteBuffer.wrap(bytes, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0, entry.get("offset").asLong() % 64);
        double fifth = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble(header + entry.get("offset").asInt() + 4 * 8);
        assertEquals(Double.doubleToRawLongBits(Math.PI), Double.doubleToRawLongBits(fifth));
    }

    @Test
    void layoutMatchesTheDocumentedFormat() throws Exception {
        Path file = written();
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("RNNCLUST", new String(bytes, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(1, le.getInt(8));
        int h = le.getInt(12);
        assertEquals(0, (16 + h) % 64, "data section starts 64-byte aligned");
        ObjectNode json = (ObjectNode) JSON.readTree(new String(bytes, 16, h, StandardCharsets.UTF_8));
        ObjectNode table = (ObjectNode) json.get(ModelFile.TENSOR_TABLE);
        long dataLength = table.get("data_length").asLong();
        assertEquals(16 + h + dataLength + 32, bytes.length);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
        assertArrayEquals(sha, Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length));
        for (var entry : table.get("tensors")) {
            Tensor t = tensors().stream().filter(x -> x.name().equals(entry.get("name").asText())).findFirst().orElseThrow();
            assertEquals("f32", entry.get("dtype").asText());
            long offset = entry.get("offset").asLong();
            assertEquals(0, offset % 64);
            assertEquals(4L * t.data().length, entry.get("length").asLong());
            for (int i = 0; i < t.data().length; i++) {  // raw little-endian float32 at the declared place
                assertEquals(Float.floatToRawIntBits(t.data()[i]), le.getInt((int) (16 + h + offset) + 4 * i));
            }
        }
    }

    @Test
    void manyTensorsAndAnEmptyModel() {
        Random r = new Random(1);
        List<Tensor> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = r.nextInt(40);
            float[] d = new float[n];
            for (int j = 0; j < n; j++) d[j] = r.nextFloat();
            many.add(new Tensor("t" + i, new int[] {n}, d));
        }
        float[] big = new float[100_003];  // more than one read buffer
        for (int j = 0; j < big.length; j++) big[j] = r.nextFloat() - 0.5f;
        many.add(150, new Tensor("big", new int[] {big.length}, big));
        Path file = dir.resolve("many.rnnc");
        ModelFile.write(file, JSON.createObjectNode(), many);
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(many, List.copyOf(loaded.tensors().values()));

        Path none = dir.resolve("none.rnnc");
        ModelFile.write(none, JSON.createObjectNode().put("k", 3), List.of());
        ModelFile.Loaded empty = ModelFile.read(none);
        assertTrue(empty.tensors().isEmpty());
        assertEquals(3, empty.header().get("k").asInt());
    }

    @Test
    void overwritingReplacesThePreviousModel() throws Exception {
        Path file = written();
        ModelFile.write(file, JSON.createObjectNode().put("v", 2), List.of(new Tensor("x", new int[] {1}, new float[] {5})));
        ModelFile.Loaded loaded = ModelFile.read(file);
        assertEquals(2, loaded.header().get("v").asInt());
        assertEquals(List.of("x"), List.copyOf(loaded.tensors().keySet()));
        assertOnly(dir, file);
    }

    @Test
    void everyFlippedByteIsRefused() throws Exception {
        Path file = dir.resolve("small.rnnc");
        ModelFile.write(file, JSON.createObjectNode().put("a", 1),
                List.of(new Tensor("w", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                        new Tensor("b", new int[] {3}, new float[] {-1, 0, 1})));
        byte[] good = Files.readAllBytes(file);
        Path bad = dir.resolve("bad.rnnc");
        for (int pos = 0; pos < good.length; pos++) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] b = good.clone();
                b[pos] ^= (byte) mask;
                Files.write(bad, b);
                assertRefused(bad, "byte " + pos + " ^ " + mask);
            }
        }
    }

    @Test
    void everyTruncationAndAnAppendedByteAreRefused() throws Exception {
        byte[] good = Files.readAllBytes(written());
        Path bad = dir.resolve("bad.rnnc");
        for (int length = 0; length < good.length; length++) {
            Files.write(bad, Arrays.copyOf(good, length));
            assertRefused(bad, "length " + length);
        }
        Files.write(bad, Arrays.copyOf(good, good.length + 1));
        assertRefused(bad, "one byte appended");
    }

    @Test
    void wrongMagicAndNewerVersionSayWhatTheyAre() throws Exception {
        Path other = dir.resolve("weights.npy");
        Files.writeString(other, "\u0093NUMPY not a model at all, but long enough to have a header");
        assertEquals(other + ": not an rnnclust model file", assertThrows(InputException.class, () -> ModelFile.read(other)).getMessage());

        byte[] b = Files.readAllBytes(written());
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 3);
        Path newer = dir.resolve("newer.rnnc");
        Files.write(newer, withChecksum(b));
        assertEquals(newer + ": model format version 3 is newer than this rnnclust supports (2)",
                assertThrows(InputException.class, () -> ModelFile.read(newer)).getMessage());

        Path missing = dir.resolve("missing.rnnc");
        assertEquals(missing + ": no such file", assertThrows(InputException.class, () -> ModelFile.read(missing)).getMessage());
        assertTrue(assertThrows(InputException.class, () -> ModelFile.read(dir)).getMessage().startsWith(dir + ": cannot read"));
    }

    @Test
    void checksumMismatchIsNamed() throws Exception {
        Path file = written();
        byte[] b = Files.readAllBytes(file);
        b[b.length - 40] ^= 0x10;  // inside the last tensor's data
        Files.write(file, b);
        assertEquals(file + ": checksum mismatch: the file is corrupted or truncated",
                assertThrows(InputException.class, () -> ModelFile.read(file)).getMessage());
    }

    @Test
    void hugeDeclaredShapeInASmallFileFailsQuicklyWithoutAllocating() throws Exception {
        Path file = dir.resolve("huge.rnnc");
        Files.write(file, craft(table(4_000_000_000L, tensor("w", "[1000000000]", 0, 4_000_000_000L)), new byte[64]));
        assertTrue(Files.size(file) < 1000);
        InputException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(InputException.class, () -> ModelFile.read(file)));
        assertTrue(e.getMessage().startsWith(file + ": truncated"), e.getMessage());
    }

    @Test
    void invalidTensorTablesAreRefusedEvenWithAValidChecksum() throws Exception {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("too large", table(64, tensor("w", "[2147483647, 2147483647, 3]", 0, 64))),
                Map.entry("size 4294967296", table(64, tensor("w", "[4294967296]", 0, 64))),
                Map.entry("not 64-byte aligned", table(128, tensor("w", "[2]", 4, 8))),
                Map.entry("overlaps another", table(128, tensor("a", "[4]", 0, 16), tensor("b", "[4]", 0, 16))),
                Map.entry("two tensors are named a", table(128, tensor("a", "[1]", 0, 4), tensor("a", "[1]", 64, 4))),
                Map.entry("needs 8", table(64, tensor("w", "[2]", 0, 12))),
                Map.entry("outside the 64-byte data section", table(64, tensor("w", "[2]", 64, 8))),
                Map.entry("offset is not a non-negative integer", table(64, tensor("w", "[2]", -64, 8))),
                Map.entry("shape is not a non-negative integer", table(64, "{\"name\":\"w\",\"dtype\":\"f32\",\"shape\":[1.5],\"offset\":0,\"length\":4}")),
                Map.entry("reads f32 and f64 only", table(64, "{\"name\":\"w\",\"dtype\":\"f16\",\"shape\":[2],\"offset\":0,\"length\":4}")),
                Map.entry("needs 16", table(64, "{\"name\":\"w\",\"dtype\":\"f64\",\"shape\":[2],\"offset\":0,\"length\":8}")),
                Map.entry("has no name", table(64, "{\"dtype\":\"f32\",\"shape\":[1],\"offset\":0,\"length\":4}")),
                Map.entry("no tensor table", "{\"architecture\":\"lstm\"}"),
                Map.entry("not a JSON object", "[1, 2]"),
                Map.entry("corrupted header", "{\"a\": 1, \"a\": 2, \"tensor_table\": {\"data_length\": 0, \"tensors\": []}}"));
        Path file = dir.resolve("crafted.rnnc");
        for (var c : cases.entrySet()) {
            long dataLength = c.getValue().contains("\"data_length\":128") ? 128 : 64;
            Files.write(file, craft(c.getValue(), new byte[(int) dataLength]));
            InputException e = assertThrows(InputException.class, () -> ModelFile.read(file), c.getKey());
            assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(c.getKey()), c.getKey() + " -> " + e.getMessage());
        }
    }

    @Test
    void unalignedOrOversizedHeaderLengthIsRefused() throws Exception {
        byte[] b = craft(table(0), new byte[0]);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        Path file = dir.resolve("h.rnnc");
        le.putInt(12, le.getInt(12) - 1);
        Files.write(file, withChecksum(b));
        assertRefused(file, "header length not aligned");
        le.putInt(12, -64);  // 4 GiB - 64
        Files.write(file, withChecksum(b));
        assertTrue(assertThrows(InputException.class, () -> ModelFile.read(file)).getMessage().contains("64 MiB"));
    }

    @Test
    void aWriteThatFailsMidwayKeepsThePreviousFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = written();
        byte[] before = Files.readAllBytes(file);
        List<Tensor> replacement = List.of(new Tensor("x", new int[] {2}, new float[] {1, 2}));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        ModelFile.writeTo(whole, header(), replacement);
        for (long limit : new long[] {0, 10, 300, whole.size() - 33, whole.size() - 1}) {
            InputException e = assertThrows(InputException.class, () -> AtomicFile.write(file,
                    out -> ModelFile.writeTo(new FailAfter(out, limit), header(), replacement)));
            assertTrue(e.getMessage().startsWith(file + ": cannot write: disk full (simulated)"), e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            assertOnly(dir, file);
        }
    }

    @Test
    void headersThatCannotBeWrittenLeaveThePreviousFile() throws Exception {
        Path file = written();
        byte[] before = Files.readAllBytes(file);
        List<Consumer<ObjectNode>> spoilers = List.of(
                h -> h.putPOJO("unserializable", new Object()),
                h -> h.putObject(ModelFile.TENSOR_TABLE));
        for (Consumer<ObjectNode> spoil : spoilers) {
            ObjectNode h = header();
            spoil.accept(h);
            assertThrows(IllegalArgumentException.class, () -> ModelFile.write(file, h, tensors()));
            assertArrayEquals(before, Files.readAllBytes(file));
            assertOnly(dir, file);
        }
        List<Tensor> twice = List.of(new Tensor("a", new int[] {1}, new float[1]), new Tensor("a", new int[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> ModelFile.write(file, header(), twice));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertOnly(dir, file);
    }

    @Test
    void tensorShapeMustMatchItsData() {
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new Tensor("w", new int[] {65536, 65536}, new float[0]));
        assertEquals(0, new Tensor("w", new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, 0}, new float[0]).data().length);
    }

    @Test
    void writingWhereNoFileCanBeCreatedIsAnInputErrorAndTouchesNothingElse() throws Exception {
        Path elsewhere = written();
        byte[] before = Files.readAllBytes(elsewhere);
        Path notAFolder = dir.resolve("plain-file");
        Files.writeString(notAFolder, "x");
        Path target = notAFolder.resolve("model.rnnc");
        InputException e = assertThrows(InputException.class, () -> ModelFile.write(target, header(), tensors()));
        assertTrue(e.getMessage().startsWith(target + ": cannot write"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(elsewhere));
    }

    @Test
    void writingIntoAReadOnlyFolderIsAnInputError() throws Exception {
        Path elsewhere = written();
        byte[] before = Files.readAllBytes(elsewhere);
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root ignores folder permissions; nothing to test then
            assumeFalse(Files.isWritable(locked), "running with permission to write into read-only folders (root?)");
            Path target = locked.resolve("model.rnnc");
            InputException e = assertThrows(InputException.class, () -> ModelFile.write(target, header(), tensors()));
            assertEquals(target + ": cannot write (permission denied)", e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(elsewhere));
            try (Stream<Path> files = Files.list(locked)) {
                assertEquals(0, files.count());
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    // ---- helpers ----

    private static void assertRefused(Path file, String what) {
        InputException e = assertThrows(InputException.class, () -> ModelFile.read(file), what);
        assertTrue(e.getMessage().startsWith(file + ": "), what + ": " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), what + ": " + e.getMessage());
    }

    private static void assertOnly(Path dir, Path file) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> left = files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
            assertEquals(List.of(), left, "temporary files left behind");
        }
        assertTrue(Files.exists(file));
    }

    private static String tensor(String name, String shape, long offset, long length) {
        return "{\"name\":\"" + name + "\",\"dtype\":\"f32\",\"shape\":" + shape + ",\"offset\":" + offset + ",\"length\":" + length + "}";
    }

    private static String table(long dataLength, String... tensors) {
        return "{\"tensor_table\":{\"data_length\":" + dataLength + ",\"tensors\":[" + String.join(",", tensors) + "]}}";
    }

    /** A file with the given header text and data section and a correct checksum. */
    private static byte[] craft(String json, byte[] data) throws Exception {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        int h = (16 + text.length + 63) / 64 * 64 - 16;
        ByteBuffer b = ByteBuffer.allocate(16 + h + data.length + 32).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RNNCLUST".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(h).put(text);
        while (b.position() < 16 + h) b.put((byte) ' ');
        b.put(data);
        return withChecksum(b.array());
    }

    private static byte[] withChecksum(byte[] file) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(file, file.length - 32));
        System.arraycopy(sha, 0, file, file.length - 32, 32);
        return file;
    }

    /** An output stream that fails like a full disk after {@code limit} bytes. */
    static final class FailAfter extends FilterOutputStream {
        private long left;

        FailAfter(OutputStream out, long limit) {
            super(out);
            left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) throw new IOException("disk full (simulated)");
            left -= len;
            out.write(b, off, len);
        }
    }
}
