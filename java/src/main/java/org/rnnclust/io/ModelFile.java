package org.rnnclust.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnclust.InputException;

/**
 * The rnnclust model file: a JSON header and named float32 tensors, versioned and checksummed.
 *
 * <h2>Format, version 1</h2>
 * All integers are unsigned little-endian.
 * <pre>
 * offset      size  content
 * 0           8     magic, the ASCII bytes "RNNCLUST"
 * 8           4     format version, 1
 * 12          4     H, the length of the header in bytes
 * 16          H     header: one UTF-8 JSON object, padded with spaces so that 16 + H is a multiple of 64
 * 16+H        L     data section: the tensors' elements
 * 16+H+L      32    SHA-256 of every byte before it (offsets 0 to 16+H+L)
 * </pre>
 * The header holds the caller's fields (architecture, preprocessing, centroids, training
 * configuration, ...) and one reserved field, {@code "tensor_table"}:
 * <pre>
 * "tensor_table": {"data_length": L,
 *                  "tensors": [{"name": "encoder.weight_ih_l0", "dtype": "f32", "shape": [512, 3],
 *                               "offset": 0, "length": 6144}, ...]}
 * </pre>
 * {@code offset} and {@code length} are in bytes, relative to the start of the data section; each
 * offset is a multiple of 64 (so every tensor is 64-byte aligned in the file and can be
 * memory-mapped), {@code length} is the element size × the product of {@code shape}, tensors do
 * not overlap and lie inside the data section, names are unique. The dtypes are {@code "f32"}
 * (IEEE 754 binary32, 4 bytes) and {@code "f64"} (binary64, 8 bytes; for fitted statistics kept
 * in double precision, so that a loaded model computes what the fitted one did), little-endian,
 * C (row-major) order. Bytes between tensors are zero. A file is exactly
 * 16 + H + L + 32 bytes long. A reader refuses a version newer than its own; a later version that
 * only adds header fields keeps version 1.
 *
 * <h2>Version 2: a signed file</h2>
 * The same bytes, the version field 2, and a signature block after the checksum:
 * <pre>
 * 16+H+L+32   64    Ed25519 signature of the ASCII bytes "rnnclust-model-signature-v1" followed
 *                   by the 32 checksum bytes (so it covers the version, the header and the tensors)
 * </pre>
 * A signed file is exactly 16 + H + L + 96 bytes long. Read without a key, it loads as an
 * unsigned one does (checksum checked); read with a key ({@link ModelSignatures}), it must be
 * signed by that key. Unsigned files stay version 1, so files written without a key keep their
 * bytes, and an older rnnclust refuses a signed file by its version.
 *
 * <p>Reading checks all of this before it allocates anything sized by the file, and reads the
 * file once, hashing as it goes; every problem is one {@link InputException} line naming the file.
 * Writing is atomic ({@link AtomicFile}): a failed write leaves any previous file as it was.
 */
public final class ModelFile {
    /** The newest format version this class reads: 2, a signed file. */
    public static final int VERSION = 2;
    static final int UNSIGNED = 1;
    static final int SIGNED = 2;
    /** The header field holding the tensor table, reserved for this class. */
    public static final String TENSOR_TABLE = "tensor_table";

    static final int PREFIX = 16;
    static final int ALIGN = 64;
    static final int CHECKSUM = 32;
    static final long MAX_HEADER = 64L << 20;
    /** The most elements a Java array can hold on common JVMs. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final byte[] MAGIC = "RNNCLUST".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private ModelFile() {}

    /**
     * A named array in C order: float32 ({@code data}) or float64 ({@code doubles}), exactly one of
     * them not null. The arrays are not copied.
     *
     * @throws IllegalArgumentException when the shape has a negative size or does not match the data length
     */
    public record Tensor(String name, int[] shape, float[] data, double[] doubles) {
        public Tensor {
            if (name == null) throw new IllegalArgumentException("tensor name is null");
            if ((data == null) == (doubles == null)) {
                throw new IllegalArgumentException("tensor " + name + ": needs float32 or float64 values, not both");
            }
            long count = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("tensor " + name + ": negative size in shape " + Arrays.toString(shape));
                count = Math.min(count, 1L << 32) * d;  // saturates above any array length, stays exact below
            }
            int length = data != null ? data.length : doubles.length;
            if (count != length) {
                throw new IllegalArgumentException("tensor " + name + ": shape " + Arrays.toString(shape) + " does not hold "
                        + length + " values");
            }
        }

        /** A float32 tensor. */
        public Tensor(String name, int[] shape, float[] data) {
            this(name, shape, data, null);
        }

        /** A float64 tensor. */
        public static Tensor ofDoubles(String name, int[] shape, double[] values) {
            return new Tensor(name, shape, null, values);
        }

        /** Whether its values are float64. */
        public boolean isDouble() {
            return doubles != null;
        }

        /** Its values' count. */
        public int size() {
            return data != null ? data.length : doubles.length;
        }

        long bytes() {
            return (long) elementBytes(isDouble()) * size();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tensor t && name.equals(t.name) && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data)
                    && Arrays.equals(doubles, t.doubles);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data))
                    + Arrays.hashCode(doubles);
        }

        @Override
        public String toString() {
            return "Tensor[" + name + ", shape " + Arrays.toString(shape) + "]";
        }
    }

    /** A model file's content: the caller's header fields (without the tensor table) and the tensors in file order. */
    public record Loaded(ObjectNode header, Map<String, Tensor> tensors) {}

    /**
     * Writes {@code tensors} and the fields of {@code header} to {@code file}, atomically.
     *
     * @throws InputException when the file cannot be written (the previous file, if any, is kept)
     * @throws IllegalArgumentException for duplicate tensor names, a header using {@value #TENSOR_TABLE},
     *     or a header Jackson cannot serialize or larger than 64 MiB
     */
    public static void write(Path file, ObjectNode header, List<Tensor> tensors) {
        write(file, header, tensors, null);
    }

    /** {@link #write(Path, ObjectNode, List)}, signed by {@code signer} (version 2) unless it is null (version 1). */
    public static void write(Path file, ObjectNode header, List<Tensor> tensors, ModelSignatures.Signer signer) {
        AtomicFile.write(file, out -> writeTo(out, header, tensors, signer));
    }

    /** The whole file's bytes, in order, to {@code out}. */
    static void writeTo(OutputStream out, ObjectNode header, List<Tensor> tensors) throws IOException {
        writeTo(out, header, tensors, null);
    }

    static void writeTo(OutputStream out, ObjectNode header, List<Tensor> tensors, ModelSignatures.Signer signer)
            throws IOException {
        long[] offsets = new long[tensors.size()];
        long end = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = align(end);
            end = offsets[i] + tensors.get(i).bytes();
        }
        byte[] json = encodeHeader(header, tensors, offsets, end);

        MessageDigest sha = sha256();
        DigestOutputStream hashed = new DigestOutputStream(out, sha);
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN);
        prefix.put(MAGIC).putInt(signer == null ? UNSIGNED : SIGNED).putInt(json.length);
        hashed.write(prefix.array());
        hashed.write(json);
        long position = 0;
        for (int i = 0; i < offsets.length; i++) {
            hashed.write(new byte[(int) (offsets[i] - position)]);
            Tensor t = tensors.get(i);
            if (t.isDouble()) LittleEndianArrays.write(hashed, t.doubles()); else LittleEndianArrays.write(hashed, t.data());
            position = offsets[i] + t.bytes();
        }
        byte[] checksum = sha.digest();
        out.write(checksum);
        if (signer != null) out.write(signer.signatureBlock(checksum));
    }

    private static byte[] encodeHeader(ObjectNode header, List<Tensor> tensors, long[] offsets, long dataLength) {
        if (header.has(TENSOR_TABLE)) {
            throw new IllegalArgumentException("model header field '" + TENSOR_TABLE + "' is reserved for the tensor table");
        }
        ObjectNode root = header.deepCopy();
        ObjectNode table = root.putObject(TENSOR_TABLE);
        table.put("data_length", dataLength);
        ArrayNode list = table.putArray("tensors");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < offsets.length; i++) {
            Tensor t = tensors.get(i);
            if (!names.add(t.name())) throw new IllegalArgumentException("two tensors are named " + t.name());
            ObjectNode entry = list.addObject();
            entry.put("name", t.name());
            entry.put("dtype", t.isDouble() ? "f64" : "f32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.put("offset", offsets[i]);
            entry.put("length", t.bytes());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model header cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        if (json.length > MAX_HEADER) {
            throw new IllegalArgumentException("model header is " + json.length
                    + " bytes of JSON, more than the 64 MiB a reader accepts; store large arrays as tensors");
        }
        byte[] padded = Arrays.copyOf(json, (int) (align(PREFIX + json.length) - PREFIX));
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /**
     * Reads and checks a model file.
     *
     * @throws InputException naming the file when it cannot be read, is not a model file, comes from a
     *     newer rnnclust, or is corrupted or truncated
     */
    public static Loaded read(Path file) {
        return read(file, null);
    }

    /**
     * {@link #read(Path)}; with a {@code verifier} (null: none), the file must also be signed by its
     * key, and anything else is refused: an unsigned file, another key's signature, a signature that
     * does not verify (any byte changed), a cut signature block.
     */
    public static Loaded read(Path file, ModelSignatures.Verifier verifier) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, file.toString(), verifier);
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    private static Loaded read(FileChannel channel, String source, ModelSignatures.Verifier verifier) throws IOException {
        long size = channel.size();
        MessageDigest sha = sha256();
        DigestInputStream in = new DigestInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16), sha);

        byte[] prefix = in.readNBytes(PREFIX);
        int magic = Math.min(prefix.length, MAGIC.length);
        if (magic == 0 || !Arrays.equals(prefix, 0, magic, MAGIC, 0, magic)) {
            throw bad(source, "not an rnnclust model file");
        }
        if (prefix.length < PREFIX) throw bad(source, "truncated: " + size + " bytes, too short for a model file");
        ByteBuffer le = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        long version = Integer.toUnsignedLong(le.getInt(8));
        if (version > VERSION) {
            throw bad(source, "model format version " + version + " is newer than this rnnclust supports (" + VERSION + ")");
        }
        if (version < 1) throw bad(source, "unknown model format version " + version);
        int trailer = CHECKSUM + (version == SIGNED ? ModelSignatures.BLOCK : 0);
        if (verifier != null && version != SIGNED) {
            throw bad(source, "not signed, and a verification key was given: refusing it");
        }
        long headerLength = Integer.toUnsignedLong(le.getInt(12));
        if (headerLength > MAX_HEADER) {
            throw bad(source, "corrupted: declares a " + headerLength + "-byte header, more than the 64 MiB limit");
        }
        if (PREFIX + headerLength + trailer > size) {
            throw bad(source, "truncated: declares a " + headerLength + "-byte header, the file has " + size + " bytes");
        }
        if ((PREFIX + headerLength) % ALIGN != 0) {
            throw bad(source, "corrupted: the header does not end on a 64-byte boundary (length " + headerLength + ")");
        }
        byte[] json = in.readNBytes((int) headerLength);
        if (json.length < headerLength) throw bad(source, "truncated while reading the header");
        ObjectNode header = parseHeader(json, source);
        Table table = Table.of(header.remove(TENSOR_TABLE), source);

        long room = size - PREFIX - headerLength - trailer;
        if (table.dataLength > room) {
            throw bad(source, "truncated: the header declares " + table.dataLength + " data bytes, the file has room for " + room);
        }
        if (table.dataLength < room) {
            throw bad(source, "corrupted: " + (room - table.dataLength) + " bytes more than the header declares");
        }

        // The data section, in file order; memory used is bounded by the size just checked.
        Tensor[] tensors = new Tensor[table.entries.size()];
        List<Entry> byOffset = new ArrayList<>(table.entries);
        byOffset.sort(Comparator.comparingLong(Entry::offset));
        long position = 0;
        for (Entry e : byOffset) {
            skip(in, e.offset - position, source);  // an empty tensor may sit inside the previous one: n <= 0
            boolean ok;
            if (e.isDouble) {
                double[] data = new double[(int) (e.length / 8)];
                ok = LittleEndianArrays.read(in, data);
                tensors[e.index] = Tensor.ofDoubles(e.name, e.shape, data);
            } else {
                float[] data = new float[(int) (e.length / 4)];
                ok = LittleEndianArrays.read(in, data);
                tensors[e.index] = new Tensor(e.name, e.shape, data);
            }
            if (!ok) throw bad(source, "truncated while reading tensor " + e.name);
            position = Math.max(position, e.offset + e.length);
        }
        skip(in, table.dataLength - position, source);
        in.on(false);
        byte[] stored = in.readNBytes(CHECKSUM);
        if (!MessageDigest.isEqual(stored, sha.digest())) {
            throw bad(source, "checksum mismatch: the file is corrupted or truncated");
        }
        if (version == SIGNED) {
            byte[] block = in.readNBytes(ModelSignatures.BLOCK);
            if (block.length < ModelSignatures.BLOCK) throw bad(source, "truncated in the signature block");
            if (verifier != null) {
                String problem = verifier.problem(stored, block);
                if (problem != null) throw bad(source, problem);
            }
        }
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : tensors) byName.put(t.name(), t);
        return new Loaded(header, Collections.unmodifiableMap(byName));
    }

    /** Reads (and so hashes) {@code n} bytes; DigestInputStream.skip would bypass the digest. */
    private static void skip(DigestInputStream in, long n, String source) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        while (n > 0) {
            int got = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (got < 0) throw bad(source, "truncated in the data section");
            n -= got;
        }
    }

    private static ObjectNode parseHeader(byte[] json, String source) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw bad(source, "corrupted header: " + oneLine(why));
        }
        if (!(node instanceof ObjectNode header)) throw bad(source, "corrupted header: not a JSON object");
        return header;
    }

    private record Entry(int index, String name, int[] shape, boolean isDouble, long offset, long length) {}

    private static int elementBytes(boolean isDouble) {
        return isDouble ? 8 : 4;
    }

    /** The tensor table, checked against the format's rules. */
    private record Table(long dataLength, List<Entry> entries) {
        static Table of(JsonNode node, String source) {
            if (node == null || !node.isObject()) throw bad(source, "corrupted header: no tensor table");
            long dataLength = natural(node.get("data_length"), "tensor_table.data_length", source);
            JsonNode list = node.get("tensors");
            if (list == null || !list.isArray()) throw bad(source, "corrupted header: tensor_table.tensors is not a list");
            List<Entry> entries = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (JsonNode t : list) {
                String where = "tensor " + (entries.size() + 1);
                if (!t.isObject() || !t.path("name").isTextual()) throw bad(source, "corrupted header: " + where + " has no name");
                String name = t.get("name").asText();
                where = "tensor " + name;
                if (!names.add(name)) throw bad(source, "corrupted header: two tensors are named " + name);
                String dtype = t.path("dtype").asText(null);
                if (!"f32".equals(dtype) && !"f64".equals(dtype)) {
                    throw bad(source, where + " has dtype " + oneLine(String.valueOf(t.get("dtype")))
                            + "; this rnnclust reads f32 and f64 only");
                }
                boolean isDouble = "f64".equals(dtype);
                JsonNode dims = t.get("shape");
                if (dims == null || !dims.isArray()) throw bad(source, "corrupted header: " + where + " has no shape");
                int[] shape = new int[dims.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    long d = natural(dims.get(i), where + " shape", source);
                    if (d > Integer.MAX_VALUE) throw bad(source, "corrupted header: " + where + " shape has size " + d);
                    shape[i] = (int) d;
                    count = Math.min(count, 1L << 32) * d;  // saturates above any array length, stays exact below
                }
                if (count > MAX_ELEMENTS) throw bad(source, "corrupted header: " + where + " shape " + dims + " is too large");
                long offset = natural(t.get("offset"), where + " offset", source);
                long length = natural(t.get("length"), where + " length", source);
                long needed = elementBytes(isDouble) * count;
                if (length != needed) {
                    throw bad(source, "corrupted header: " + where + " has length " + length + " but shape " + dims + " needs " + needed);
                }
                if (offset % ALIGN != 0) throw bad(source, "corrupted header: " + where + " offset " + offset + " is not 64-byte aligned");
                if (offset > dataLength - length) {
                    throw bad(source, "corrupted header: " + where + " lies outside the " + dataLength + "-byte data section");
                }
                entries.add(new Entry(entries.size(), name, shape, isDouble, offset, length));
            }
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort(Comparator.comparingLong(Entry::offset).thenComparingLong(Entry::length));
            long end = 0;
            for (Entry e : sorted) {
                if (e.length == 0) continue;  // an empty tensor overlaps nothing
                if (e.offset < end) throw bad(source, "corrupted header: tensor " + e.name + " overlaps another");
                end = e.offset + e.length;
            }
            return new Table(dataLength, entries);
        }

        private static long natural(JsonNode n, String what, String source) {
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
                throw bad(source, "corrupted header: " + what + " is not a non-negative integer");
            }
            return n.asLong();
        }
    }

    private static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String oneLine(String s) {
        if (s == null) return "";
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }

    private static InputException bad(String source, String problem) {
        return new InputException(source + ": " + problem);
    }
}
