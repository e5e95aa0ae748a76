package org.rnnclust.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnclust.InputException;

/**
 * NumPy {@code .npy} arrays (format versions 1 to 3), the way weights move between PyTorch and
 * rnnclust. Writing produces {@code <f4} in C order, the layout {@code numpy.save} writes for a
 * float32 array. Reading accepts float32 and float64 (rounded to float32) and int32 and int64
 * (refused unless exactly representable as float32), in either byte order, C or Fortran order
 * (Fortran data is transposed into C order), of any shape including 0-d.
 *
 * <p>A header's declared shape is never trusted for allocation: the array grows only as data
 * actually arrive, so a tiny file declaring 10⁹ elements fails as truncated without using memory.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 16;
    /** Elements allocated before any data have been seen. */
    private static final int FIRST_ALLOCATION = 1 << 20;

    private enum Kind { F4, F8, I4, I8 }

    private record Dtype(Kind kind, int size, ByteOrder order, String text) {}

    private record Header(Dtype dtype, boolean fortran, int[] shape, long count) {}

    private Npy() {}

    /** Writes {@code array} as a version 1.0 (2.0 for a header over 64 KiB) {@code .npy}; does not close {@code out}. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText(array.shape()) + ", }";
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        // numpy pads the header with spaces and a newline so that the data start 64-byte aligned
        int prefix = 10;
        int length = paddedLength(prefix, text.length);
        if (length > 65535) length = paddedLength(prefix = 12, text.length);
        ByteBuffer head = ByteBuffer.allocate(prefix + length).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) head.putShort((short) length);
        else head.putInt(length);
        head.put(text);
        while (head.position() < head.limit() - 1) head.put((byte) ' ');
        head.put((byte) '\n');
        out.write(head.array());
        Float32.write(out, array.data());
    }

    /** Writes {@code array} to {@code file} atomically. */
    public static void write(Path file, NpyArray array) {
        AtomicFile.write(file, out -> write(out, array));
    }

    /**
     * Reads one array; the stream must end where the data end.
     *
     * @param source names the data in error messages (a file, or "file.npz: entry x.npy")
     * @throws InputException for anything but a well-formed .npy of a supported dtype
     * @throws IOException when the stream itself fails
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        Header h = readHeader(in, source);
        float[] data = readData(in, h, source);
        if (in.read() >= 0) {
            throw bad(source, "more data than shape " + shapeText(h.shape) + " of " + h.dtype.text + " declares ("
                    + h.count * h.dtype.size + " bytes)");
        }
        if (h.fortran) data = fortranToC(data, h.shape);
        return new NpyArray(h.shape, data);
    }

    /** Reads an {@code .npy} file. */
    public static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }

    private static Header readHeader(InputStream in, String source) throws IOException {
        byte[] start = in.readNBytes(8);
        if (start.length < 8 || !Arrays.equals(start, 0, 6, MAGIC, 0, 6)) {
            throw bad(source, start.length == 0 ? "empty, not an .npy array" : "not an .npy array (no \\x93NUMPY magic)");
        }
        int major = start[6];
        if (major < 1 || major > 3) throw bad(source, "unsupported .npy format version " + major + "." + start[7]);
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (lengthBytes.length < (major == 1 ? 2 : 4)) throw bad(source, "truncated .npy header");
        ByteBuffer le = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long length = major == 1 ? Short.toUnsignedInt(le.getShort()) : Integer.toUnsignedLong(le.getInt());
        if (length > MAX_HEADER) throw bad(source, "the .npy header declares " + length + " bytes; at most " + MAX_HEADER + " are accepted");
        byte[] text = in.readNBytes((int) length);
        if (text.length < length) throw bad(source, "truncated .npy header");
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return header(new DictParser(dict, source).parse(), source);
    }

    private static Header header(Map<String, Object> dict, String source) {
        if (!dict.keySet().equals(Set.of("descr", "fortran_order", "shape"))) {
            throw bad(source, "bad .npy header: keys " + printable(dict.keySet().toString()) + " instead of descr, fortran_order, shape");
        }
        if (!(dict.get("descr") instanceof String descr)) throw bad(source, "unsupported .npy dtype (a structured array?)");
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) throw bad(source, "bad .npy header: fortran_order is not True or False");
        if (!(dict.get("shape") instanceof List<?> dims)) throw bad(source, "bad .npy header: shape is not a tuple");
        int[] shape = new int[dims.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = (Long) dims.get(i);
            if (d > Integer.MAX_VALUE) throw bad(source, "bad .npy header: size " + d + " in shape is too large");
            shape[i] = (int) d;
            count = Math.min(count, 1L << 32) * d;  // saturates above any array length, stays exact below
        }
        if (count > ModelFile.MAX_ELEMENTS) throw bad(source, "shape " + shapeText(shape) + " has too many elements for one array");
        return new Header(dtype(descr, source), fortran, shape, count);
    }

    private static Dtype dtype(String descr, String source) {
        if (descr.length() == 3) {
            ByteOrder order = switch (descr.charAt(0)) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '=' -> ByteOrder.nativeOrder();
                default -> null;
            };
            Kind kind = switch (descr.substring(1)) {
                case "f4" -> Kind.F4;
                case "f8" -> Kind.F8;
                case "i4" -> Kind.I4;
                case "i8" -> Kind.I8;
                default -> null;
            };
            if (order != null && kind != null) return new Dtype(kind, descr.charAt(2) - '0', order, descr);
        }
        throw bad(source, "unsupported .npy dtype '" + printable(descr) + "'; float32/64 and int32/64 are read");
    }

    /** The data, grown as bytes arrive so that memory follows the bytes present, not the header's claim. */
    private static float[] readData(InputStream in, Header h, String source) throws IOException {
        int size = h.dtype.size;
        byte[] buf = new byte[CHUNK];
        float[] out = new float[(int) Math.min(h.count, FIRST_ALLOCATION)];
        int filled = 0;
        while (filled < h.count) {
            int n = (int) Math.min(h.count - filled, CHUNK / size);
            int got = in.readNBytes(buf, 0, n * size);
            if (got < n * size) {
                throw bad(source, "truncated: shape " + shapeText(h.shape) + " of " + h.dtype.text + " needs "
                        + h.count * size + " bytes, " + ((long) filled * size + got) + " follow the header");
            }
            if (filled + n > out.length) out = Arrays.copyOf(out, (int) Math.min(h.count, Math.max(2L * out.length, filled + n)));
            ByteBuffer b = ByteBuffer.wrap(buf, 0, n * size).order(h.dtype.order);
            switch (h.dtype.kind) {
                case F4 -> b.asFloatBuffer().get(out, filled, n);
                case F8 -> {
                    for (int i = 0; i < n; i++) out[filled + i] = (float) b.getDouble(8 * i);
                }
                case I4, I8 -> {
                    for (int i = 0; i < n; i++) {
                        long v = size == 4 ? b.getInt(4 * i) : b.getLong(8 * i);
                        float f = v;
                        if (f >= 0x1p63f || (long) f != v) {
                            throw bad(source, "integer " + v + " at index " + (filled + i) + " has no exact float32 value");
                        }
                        out[filled + i] = f;
                    }
                }
            }
            filled += n;
        }
        return out;
    }

    /** Reorders Fortran (first index fastest) data into C order (last index fastest). */
    private static float[] fortranToC(float[] f, int[] shape) {
        if (shape.length < 2 || f.length == 0) return f;
        int rank = shape.length;
        long[] stride = new long[rank];  // Fortran strides, in elements
        stride[0] = 1;
        for (int k = 1; k < rank; k++) stride[k] = stride[k - 1] * shape[k - 1];
        float[] c = new float[f.length];
        int[] index = new int[rank];
        long position = 0;
        for (int i = 0; i < c.length; i++) {
            c[i] = f[(int) position];
            for (int k = rank - 1; k >= 0; k--) {  // odometer over the C index
                position += stride[k];
                if (++index[k] < shape[k]) break;
                position -= stride[k] * shape[k];
                index[k] = 0;
            }
        }
        return c;
    }

    private static int paddedLength(int prefix, int text) {
        return (prefix + text + 1 + 63) / 64 * 64 - prefix;
    }

    static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }

    private static InputException bad(String source, String problem) {
        return new InputException(source + ": " + problem);
    }

    /**
     * The header: a Python dict literal of string keys and values that are strings, True/False or
     * tuples of integers, e.g. {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}.
     * A list value (a structured dtype) is read as null and refused by the caller.
     */
    private static final class DictParser {
        private final String text;
        private final String source;
        private int i;

        DictParser(String text, String source) {
            this.text = text.strip();
            this.source = source;
        }

        Map<String, Object> parse() {
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                if (dict.containsKey(key)) throw fail("key '" + printable(key) + "' appears twice");
                dict.put(key, value());
                if (peek() == ',') i++;
                else if (peek() != '}') throw fail("expected ',' or '}'");
            }
            i++;
            if (i != text.length()) throw fail("text after the closing '}'");
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') return string();
            if (c == '(') return tuple();
            if (c == '[') {
                skipBracketed();
                return null;
            }
            if (text.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            throw fail("unexpected value");
        }

        private List<Long> tuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (peek() != ')') {
                int start = i;
                while (i < text.length() && Character.isDigit(text.charAt(i)) && i - start < 12) i++;
                if (i == start || (i < text.length() && Character.isDigit(text.charAt(i)))) {
                    throw fail("shape holds something other than sizes");
                }
                values.add(Long.parseLong(text, start, i, 10));
                if (i < text.length() && text.charAt(i) == 'L') i++;  // Python 2 long
                if (peek() == ',') i++;
                else if (peek() != ')') throw fail("expected ',' or ')' in the shape");
            }
            i++;
            return values;
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') throw fail("expected a quoted key");
            int end = text.indexOf(quote, ++i);
            if (end < 0) throw fail("unterminated string");
            String s = text.substring(i, end);
            i = end + 1;
            return s;
        }

        private void skipBracketed() {
            int depth = 0;
            do {
                char c = peek();
                if (c == '[' || c == '(') depth++;
                else if (c == ']' || c == ')') depth--;
                i++;
            } while (depth > 0);
        }

        private void expect(char c) {
            if (peek() != c) throw fail("expected '" + c + "'");
            i++;
        }

        /** The next character after spaces; fails at the end of the text. */
        private char peek() {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) i++;
            if (i >= text.length()) throw fail("header ends early");
            return text.charAt(i);
        }

        private InputException fail(String problem) {
            return bad(source, "bad .npy header (" + problem + " at character " + i + "): " + printable(text));
        }
    }
}
