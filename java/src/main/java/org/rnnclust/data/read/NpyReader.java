package org.rnnclust.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * NumPy {@code .npy} files, format versions 1 to 3. Data of shape (N, T) is N univariate sequences,
 * (N, T, C) is N sequences of T steps by C channels. Element types: float32/64, signed and
 * unsigned integers of 1 to 8 bytes, either byte order. Fortran-ordered arrays are transposed.
 *
 * <p>Labels come from {@link ReadOptions#labelsFile()}: an .npy of shape (N,) holding integers
 * (or floats with integral values).
 */
final class NpyReader implements DatasetReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([<>|=])([fiu])(\\d+)['\"]");
    private static final Pattern ANY_DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*([^,]*)");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** A parsed .npy: element type, layout, shape, and the data bytes after the header. */
    private record Array(char kind, int size, boolean fortran, int[] shape, ByteBuffer data, int offset) {
        /** Element {@code index} of the flat data in file order. */
        double get(int index) {
            int pos = offset + index * size;
            return switch (kind) {
                case 'f' -> size == 4 ? data.getFloat(pos) : data.getDouble(pos);
                case 'u' -> switch (size) {
                    case 1 -> data.get(pos) & 0xff;
                    case 2 -> data.getShort(pos) & 0xffff;
                    case 4 -> data.getInt(pos) & 0xffffffffL;
                    default -> unsigned(data.getLong(pos));
                };
                default -> switch (size) {
                    case 1 -> data.get(pos);
                    case 2 -> data.getShort(pos);
                    case 4 -> data.getInt(pos);
                    default -> data.getLong(pos);
                };
            };
        }

        String shapeText() {
            return "(" + Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "))
                    + (shape.length == 1 ? ",)" : ")");
        }

        private static double unsigned(long v) {
            return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
        }
    }

    @Override
    public Dataset read(InputStream in, String source, ReadOptions options) throws IOException {
        Array a = parse(Readers.readAll(in, source), source);
        if (a.shape.length != 2 && a.shape.length != 3) {
            throw new InputException(source + ": NPY data of shape " + a.shapeText()
                    + "; expected (N, T) or (N, T, C)");
        }
        int n = a.shape[0];
        int steps = a.shape[1];
        int channels = a.shape.length == 3 ? a.shape[2] : 1;
        if (n == 0) throw new InputException(source + ": no data (shape " + a.shapeText() + ")");
        if (steps == 0 || channels == 0) {
            throw new InputException(source + ": sequences of shape " + a.shapeText() + " hold no values");
        }
        float[][] series = new float[n][steps * channels];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < channels; c++) {
                    // Fortran order stores the first index fastest
                    int index = a.fortran ? i + n * (t + steps * c) : (i * steps + t) * channels + c;
                    series[i][t * channels + c] = (float) a.get(index);
                }
            }
        }
        if (options.labelsFile() == null) return Dataset.unlabelled(source, series, channels);
        Labels.Indexed labels = readLabels(options.labelsFile(), n, source);
        return new Dataset(source, series, channels, labels.labels(), labels.names());
    }

    private static Labels.Indexed readLabels(Path file, int expected, String dataSource) {
        String source = file.toString();
        Array a = Readers.withStream(file, in -> parse(Readers.readAll(in, source), source));
        boolean column = a.shape.length == 1 || (a.shape.length == 2 && a.shape[1] == 1);
        if (!column) {
            throw new InputException(source + ": labels of shape " + a.shapeText() + "; expected (N,)");
        }
        if (a.shape[0] != expected) {
            throw new InputException(source + ": " + a.shape[0] + " labels for the " + expected + " sequences of " + dataSource);
        }
        List<String> raw = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            double v = a.get(i);
            if (v != Math.rint(v) || Math.abs(v) >= 1e15) {
                throw new InputException(source + ": label " + i + " is not an integer: " + v);
            }
            raw.add(Long.toString((long) v));
        }
        return Labels.index(raw);
    }

    /** Header and size checks; nothing sized by the header is allocated here. */
    private static Array parse(byte[] bytes, String source) {
        if (bytes.length < 10 || !Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new InputException(source + ": not an NPY file (no \\x93NUMPY magic)");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = le.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new InputException(source + ": truncated NPY header");
            headerLength = le.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new InputException(source + ": unsupported NPY format version " + major + "." + bytes[7]);
        }
        if (headerStart + headerLength > bytes.length) {
            throw new InputException(source + ": truncated NPY header (declares " + headerLength + " bytes, "
                    + (bytes.length - headerStart) + " present)");
        }
        int offset = headerStart + (int) headerLength;
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher descr = DESCR.matcher(header);
        if (!descr.find()) {
            Matcher any = ANY_DESCR.matcher(header);
            String found = any.find() ? any.group(1).strip() : "none";
            throw new InputException(source + ": unsupported NPY dtype " + Values.shorten(found)
                    + "; expected float32/64 or integers, e.g. '<f4'");
        }
        char order = descr.group(1).charAt(0);
        char kind = descr.group(2).charAt(0);
        int size = Integer.parseInt(descr.group(3));
        boolean sizeOk = kind == 'f' ? size == 4 || size == 8 : size == 1 || size == 2 || size == 4 || size == 8;
        if (!sizeOk) {
            throw new InputException(source + ": unsupported NPY dtype '" + descr.group(1) + kind + size + "'");
        }
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!fortran.find() || !shapeMatch.find()) {
            throw new InputException(source + ": NPY header lacks 'fortran_order' or 'shape'");
        }
        int[] shape = shape(shapeMatch.group(1), source);
        ByteOrder byteOrder = order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Array array = new Array(kind, size, fortran.group(1).equals("True"), shape,
                ByteBuffer.wrap(bytes).order(byteOrder), offset);

        long needed = size;
        try {
            for (int d : shape) needed = Math.multiplyExact(needed, (long) d);
        } catch (ArithmeticException e) {
            throw new InputException(source + ": NPY shape " + array.shapeText() + " is too large");
        }
        long available = bytes.length - (long) offset;
        if (needed != available) {
            throw new InputException(source + ": " + (needed > available ? "truncated: " : "")
                    + "shape " + array.shapeText() + " of " + kind + size + " needs " + needed
                    + " bytes but " + available + " follow the header");
        }
        return array;
    }

    private static int[] shape(String text, String source) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                int d = Integer.parseInt(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (d < 0) throw new NumberFormatException();
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new InputException(source + ": NPY shape (" + Values.shorten(text) + ") is not a list of sizes up to "
                        + Integer.MAX_VALUE);
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
