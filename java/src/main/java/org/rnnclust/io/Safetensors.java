package org.rnnclust.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.data.npy.NpyArray;

/**
 * The safetensors format (Hugging Face; what {@code safetensors.torch.save_file} writes and
 * {@code load_file} reads): an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range (and an optional {@code "__metadata__"} map of strings), then
 * the tensors' little-endian bytes. Written atomically; read with every offset checked before any
 * tensor is allocated, and one line naming the file for anything malformed.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A header larger than this is not one rnnclust wrote or reads (the format's own readers cap it likewise). */
    private static final long MAX_HEADER = 100L << 20;

    private Safetensors() {}

    /**
     * Writes {@code tensors} (float32 as F32, float64 as F64), in the given order, with
     * {@code metadata} under {@code "__metadata__"}.
     */
    public static void write(Path file, List<ModelFile.Tensor> tensors, Map<String, String> metadata) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (ModelFile.Tensor t : tensors) {
            if (t.name().equals("__metadata__")) throw new IllegalArgumentException("a tensor may not be named __metadata__");
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", t.isDouble() ? "F64" : "F32");
            var shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            long bytes = (long) t.size() * (t.isDouble() ? 8 : 4);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] text = header.toString().getBytes(StandardCharsets.UTF_8);
        // Padded with spaces so that the data start 8-byte aligned, as the reference writer does.
        int padded = (text.length + 7) / 8 * 8;
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(text);
            for (int i = text.length; i < padded; i++) out.write(' ');
            for (ModelFile.Tensor t : tensors) {
                if (t.isDouble()) LittleEndianArrays.write(out, t.doubles());
                else LittleEndianArrays.write(out, t.data());
            }
        });
    }

    /** A safetensors file read: its tensors as float32 (F64, F16 and BF16 converted) and its metadata. */
    public record Contents(Map<String, NpyArray> tensors, Map<String, String> metadata) {}

    /** Reads {@code file}; tensors of other dtypes than F32, F64, F16 and BF16 are refused. */
    public static Contents read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            byte[] prefix = in.readNBytes(8);
            if (prefix.length < 8) throw new InputException(file + ": not a safetensors file (shorter than its 8-byte header length)");
            long headerLength = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw new InputException(file + ": not a safetensors file (header length " + headerLength + " in a file of "
                        + size + " bytes)");
            }
            JsonNode header;
            try {
                header = JSON.readTree(in.readNBytes((int) headerLength));
            } catch (IOException e) {
                throw new InputException(file + ": safetensors header is not JSON: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
            if (header == null || !header.isObject()) throw new InputException(file + ": safetensors header is not a JSON object");
            long dataSize = size - 8 - headerLength;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                } else {
                    entries.add(Entry.of(file, e.getKey(), e.getValue(), dataSize));
                }
            }
            entries.sort((a, b) -> Long.compare(a.begin, b.begin));
            long expected = 0;
            for (Entry e : entries) {
                if (e.begin != expected) {
                    throw new InputException(file + ": tensor '" + e.name + "' starts at byte " + e.begin + " of the data, "
                            + "expected " + expected + " (overlapping or missing data)");
                }
                expected = e.end;
            }
            if (expected != dataSize) {
                throw new InputException(file + ": the tensors cover " + expected + " of the " + dataSize + " data bytes");
            }
            Map<String, NpyArray> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                byte[] bytes = in.readNBytes((int) (e.end - e.begin));
                tensors.put(e.name, new NpyArray(e.shape, e.decode(bytes)));
            }
            return new Contents(tensors, metadata);
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    /** A tensor's entry in the header; {@code width}: bytes per value of its dtype. */
    private record Entry(String name, String dtype, int width, int[] shape, long begin, long end) {
        static Entry of(Path file, String name, JsonNode node, long dataSize) {
            String dtype = node.path("dtype").asText();
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F64" -> 8;
                case "F16", "BF16" -> 2;
                default -> throw new InputException(file + ": tensor '" + name + "' has dtype '" + dtype
                        + "'; rnnclust reads F32, F64, F16 and BF16");
            };
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new InputException(file + ": tensor '" + name + "' lacks its shape or data_offsets");
            }
            int[] shape = new int[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = shapeNode.get(i).asLong(-1);
                if (d < 0 || d > Integer.MAX_VALUE) throw new InputException(file + ": tensor '" + name + "' has shape " + shapeNode);
                shape[i] = (int) d;
                count = Math.multiplyExact(count, d);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize || end - begin != count * width || count > Integer.MAX_VALUE / 8) {
                throw new InputException(file + ": tensor '" + name + "' of shape " + shapeNode + " and dtype " + dtype
                        + " does not fit its data_offsets " + offsets + " (" + dataSize + " data bytes)");
            }
            return new Entry(name, dtype, width, shape, begin, end);
        }

        float[] decode(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int n = (int) ((end - begin) / width);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case "F32" -> b.getFloat();
                    case "F64" -> (float) b.getDouble();
                    case "F16" -> halfToFloat(b.getShort());
                    default -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);  // BF16: the high half of a float32
                };
            }
            return out;
        }

        /** IEEE 754 binary16 to float32 (Java 17 has no Float.float16ToFloat). */
        private static float halfToFloat(short h) {
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            if (exponent == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));  // inf, NaN
            if (exponent == 0) {  // zero or subnormal: mantissa · 2^-24
                float v = mantissa * 0x1p-24f;
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
    }
}
