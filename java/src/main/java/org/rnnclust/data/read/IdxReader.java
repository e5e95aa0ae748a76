package org.rnnclust.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * IDX files (MNIST and the like), big-endian: two zero bytes, a type code, the number of
 * dimensions, one 32-bit size per dimension, then the values.
 *
 * <p>Data with dimensions [N, rows, cols] becomes N sequences of {@code rows} steps by {@code cols}
 * channels (an image read row by row); [N, T] becomes N univariate sequences of T steps. Labels come
 * from {@link ReadOptions#labelsFile()}, an IDX1 unsigned-byte file (magic 0x00000801).
 */
final class IdxReader implements DatasetReader {
    private static final int LABELS_MAGIC = 0x00000801;

    /** Type code, sizes, and where the values start. */
    private record Header(int type, int[] dims, int offset) {
        int itemSize() {
            return switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                default -> 8;
            };
        }

        String shape() {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < dims.length; i++) sb.append(i > 1 ? "×" : "").append(dims[i]);
            return sb.toString();
        }
    }

    @Override
    public Dataset read(InputStream in, String source, ReadOptions options) throws IOException {
        byte[] bytes = Readers.readAll(in, source);
        Header h = header(bytes, source);
        if (h.dims.length != 2 && h.dims.length != 3) {
            throw new InputException(source + ": IDX data with " + h.dims.length
                    + (h.dims.length == 1 ? " dimension" : " dimensions") + "; expected 3 (N×rows×cols images) or 2 (N×length)"
                    + (h.dims.length == 1 ? "; a labels file goes with the images as their labels file" : ""));
        }
        int n = h.dims[0];
        int steps = h.dims[1];
        int channels = h.dims.length == 3 ? h.dims[2] : 1;
        if (n == 0) throw new InputException(source + ": no data (the header declares 0 items)");
        if (steps == 0 || channels == 0) throw new InputException(source + ": items of size " + h.shape() + " hold no values");
        checkSize(bytes, h, source, n + " items of " + h.shape());

        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int perItem = steps * channels;  // fits: the size check bounds it by the file length
        int size = h.itemSize();
        float[][] series = new float[n][perItem];
        int pos = h.offset;
        for (int i = 0; i < n; i++) {
            float[] s = series[i];
            // [rows][cols] in the file is already time-major with cols as channels
            for (int k = 0; k < perItem; k++, pos += size) s[k] = value(buf, h.type, pos);
        }
        if (options.labelsFile() == null) return Dataset.unlabelled(source, series, channels);
        Labels.Indexed labels = readLabels(options.labelsFile(), n, source);
        return new Dataset(source, series, channels, labels.labels(), labels.names());
    }

    private static Labels.Indexed readLabels(Path file, int expected, String dataSource) {
        String source = file.toString();
        byte[] bytes = Readers.withStream(file, in -> Readers.readAll(in, source));
        Header h = header(bytes, source);
        int magic = (h.type << 8) | h.dims.length;
        if (magic != LABELS_MAGIC) {
            throw new InputException(source + ": not an IDX label file (magic 0x" + hex(magic)
                    + ", expected 0x" + hex(LABELS_MAGIC) + ": unsigned bytes, one dimension)");
        }
        int count = h.dims[0];
        checkSize(bytes, h, source, count + " labels");
        if (count != expected) {
            throw new InputException(source + ": " + count + " labels for the " + expected + " items of " + dataSource);
        }
        List<String> raw = new ArrayList<>(count);
        for (int i = 0; i < count; i++) raw.add(Integer.toString(bytes[h.offset + i] & 0xff));
        return Labels.index(raw);
    }

    private static Header header(byte[] bytes, String source) {
        if (bytes.length < 4) throw new InputException(source + ": not an IDX file (only " + bytes.length + " bytes)");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int magic = buf.getInt(0);
        int type = bytes[2] & 0xff;
        int ndims = bytes[3] & 0xff;
        boolean knownType = type == 0x08 || type == 0x09 || (type >= 0x0B && type <= 0x0E);
        if (bytes[0] != 0 || bytes[1] != 0 || !knownType || ndims == 0) {
            throw new InputException(source + ": not an IDX file (magic 0x" + hex(magic) + ")");
        }
        int offset = 4 + 4 * ndims;
        if (bytes.length < offset) {
            throw new InputException(source + ": truncated: the header declares " + ndims
                    + " dimensions but the file ends after " + bytes.length + " bytes");
        }
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt(4 + 4 * i);
            if (dims[i] < 0) {
                throw new InputException(source + ": IDX dimension " + (i + 1) + " is negative ("
                        + Integer.toUnsignedString(dims[i]) + " read as unsigned is too large)");
            }
        }
        return new Header(type, dims, offset);
    }

    /** The values must fill the rest of the file exactly; checked before anything is allocated. */
    private static void checkSize(byte[] bytes, Header h, String source, String declared) {
        long available = bytes.length - (long) h.offset;
        long needed;
        try {
            needed = h.itemSize();
            for (int d : h.dims) needed = Math.multiplyExact(needed, (long) d);
        } catch (ArithmeticException e) {
            needed = Long.MAX_VALUE;
        }
        if (needed > available) {
            throw new InputException(source + ": truncated: header declares " + declared
                    + " but only " + available + " bytes follow");
        }
        if (needed < available) {
            throw new InputException(source + ": " + (available - needed) + " bytes after the data the header declares ("
                    + declared + ")");
        }
    }

    private static float value(ByteBuffer buf, int type, int pos) {
        return switch (type) {
            case 0x08 -> buf.get(pos) & 0xff;
            case 0x09 -> buf.get(pos);
            case 0x0B -> buf.getShort(pos);
            case 0x0C -> buf.getInt(pos);
            case 0x0D -> buf.getFloat(pos);
            default -> (float) buf.getDouble(pos);
        };
    }

    private static String hex(int v) {
        return String.format("%08x", v);
    }
}
