package org.rnnclust.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * IDX files (MNIST and the like), big-endian: two zero bytes, a type code, the number of
 * dimensions, one 32-bit size per dimension, then the values.
 *
 * <p>Data with dimensions [N, rows, cols] becomes N sequences of {@code rows} steps by {@code cols}
 * channels (an image read row by row); [N, T] becomes N univariate sequences of T steps. Labels come
 * from {@link ReadOptions#labelsFile()}, an IDX1 unsigned-byte file (magic 0x00000801).
 *
 * <p>The header is read and checked first; the declared data are then checked against the file's
 * size when it is known, and against the {@link ReadLimits} in any case, before any of them is
 * read; then exactly the declared bytes are read, an item at a time, and the file must end there.
 */
final class IdxReader implements DatasetReader {
    private static final int LABELS_MAGIC = 0x00000801;
    /** Bytes after the data counted for the message about them, when the size is not known. */
    private static final int TRAILING_COUNTED = 1 << 16;
    /** Values of an item allocated before its bytes have been seen. */
    private static final int FIRST_ALLOCATION = 1 << 16;

    /** Type code and sizes. */
    private record Header(int type, int[] dims) {
        int itemSize() {
            return switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                default -> 8;
            };
        }

        /** Bytes of the header itself. */
        int length() {
            return 4 + 4 * dims.length;
        }

        /** Bytes of the values the sizes declare; saturates at Long.MAX_VALUE. */
        long dataBytes() {
            try {
                long needed = itemSize();
                for (int d : dims) needed = Math.multiplyExact(needed, (long) d);
                return needed;
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        String shape() {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < dims.length; i++) sb.append(i > 1 ? "×" : "").append(dims[i]);
            return sb.toString();
        }
    }

    /** A data file's checked header: its items, their steps and channels, and how messages name them. */
    private record Items(Header header, int n, int steps, int channels, String declared) {
        long perItem() {
            return (long) steps * channels;
        }
    }

    /** Reads and checks the header of a data file (not a labels file), and its size when known. */
    private static Items items(SourceStream input) throws IOException {
        String source = input.name();
        Header h = header(input.in(), source);
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
        String declared = n + " items of " + h.shape();
        checkSize(input.size(), h, source, declared);
        return new Items(h, n, steps, channels, declared);
    }

    @Override
    public Dataset read(SourceStream input, ReadOptions options) throws IOException {
        String source = input.name();
        Items items = items(input);
        input.budget().declared(items.n, items.perItem(), 1, items.declared);

        // within the budget; still allocated only as the bytes arrive, in case the file is short
        Values values = new Values(input.in(), items.header, source, items.declared);
        List<float[]> series = new ArrayList<>();
        for (int i = 0; i < items.n; i++) {
            // [rows][cols] in the file is already time-major with cols as channels
            series.add(values.item((int) items.perItem()));
        }
        checkEnd(input.in(), source, items.declared);
        float[][] all = series.toArray(float[][]::new);
        if (options.labelsFile() == null) return Dataset.unlabelled(source, all, items.channels);
        Labels.Indexed labels = readLabels(options.labelsFile(), items.n, source, input.limits());
        return new Dataset(source, all, items.channels, labels.labels(), labels.names());
    }

    /**
     * Reads the items front to back and hands {@code body} their shape, then the items (unlabelled)
     * in chunks of {@code chunkRows}, or with 0 of {@link Readers#autoChunkRows}: memory for one
     * chunk whatever the file's size.
     */
    static void stream(SourceStream input, int chunkRows, Readers.Rows body) throws IOException {
        String source = input.name();
        Items items = items(input);
        int perItem = Math.toIntExact(items.perItem());
        int rows = Math.min(items.n, chunkRows > 0 ? chunkRows : Readers.autoChunkRows(perItem));
        HeapBudget.requireArray((long) rows * perItem, 4, source + ": a chunk of " + rows + " items");
        body.start(items.n, items.steps, items.channels);
        Values values = new Values(input.in(), items.header, source, items.declared);
        for (int from = 0; from < items.n; from += rows) {
            float[][] chunk = new float[Math.min(rows, items.n - from)][];
            for (int i = 0; i < chunk.length; i++) chunk[i] = values.item(perItem);
            body.rows(Dataset.unlabelled(source, chunk, items.channels).asRecordsFrom(from));
        }
        checkEnd(input.in(), source, items.declared);
    }

    private static Labels.Indexed readLabels(Path file, int expected, String dataSource, ReadLimits limits) {
        return Readers.withStream(file, limits, input -> {
            String source = input.name();
            InputStream in = input.in();
            Header h = header(in, source);
            int magic = (h.type << 8) | h.dims.length;
            if (magic != LABELS_MAGIC) {
                throw new InputException(source + ": not an IDX label file (magic 0x" + hex(magic)
                        + ", expected 0x" + hex(LABELS_MAGIC) + ": unsigned bytes, one dimension)");
            }
            int count = h.dims[0];
            String declared = count + " labels";
            checkSize(input.size(), h, source, declared);
            if (count != expected) {
                throw new InputException(source + ": " + count + " labels for the " + expected + " items of " + dataSource);
            }
            byte[] bytes = new byte[count];  // as many as the data have: no more than they took
            int got = in.readNBytes(bytes, 0, count);
            if (got < count) throw truncated(source, declared, got);
            checkEnd(in, source, declared);
            List<String> raw = new ArrayList<>(count);
            for (int i = 0; i < count; i++) raw.add(Integer.toString(bytes[i] & 0xff));
            return Labels.index(raw);
        });
    }

    /** Reads and checks the magic bytes, then the sizes; the stream is left at the first value. */
    private static Header header(InputStream in, String source) throws IOException {
        byte[] start = in.readNBytes(4);
        if (start.length < 4) throw new InputException(source + ": not an IDX file (only " + start.length + " bytes)");
        int magic = ByteBuffer.wrap(start).order(ByteOrder.BIG_ENDIAN).getInt();
        int type = start[2] & 0xff;
        int ndims = start[3] & 0xff;
        boolean knownType = type == 0x08 || type == 0x09 || (type >= 0x0B && type <= 0x0E);
        if (start[0] != 0 || start[1] != 0 || !knownType || ndims == 0) {
            throw new InputException(source + ": not an IDX file (magic 0x" + hex(magic) + ")");
        }
        byte[] sizes = in.readNBytes(4 * ndims);
        if (sizes.length < 4 * ndims) {
            throw new InputException(source + ": truncated: the header declares " + ndims
                    + " dimensions but the file ends after " + (4 + sizes.length) + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(sizes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[ndims];
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt(4 * i);
            if (dims[i] < 0) {
                throw new InputException(source + ": IDX dimension " + (i + 1) + " is negative ("
                        + Integer.toUnsignedString(dims[i]) + " read as unsigned is too large)");
            }
        }
        return new Header(type, dims);
    }

    /**
     * When the file's size is known, the values must fill the rest of it exactly; checked before
     * anything is allocated.
     */
    private static void checkSize(long fileSize, Header h, String source, String declared) {
        if (fileSize < 0) return;
        long available = fileSize - h.length();
        long needed = h.dataBytes();
        if (needed > available) throw truncated(source, declared, available);
        if (needed < available) {
            throw new InputException(source + ": " + (available - needed) + " bytes after the data the header declares ("
                    + declared + ")");
        }
    }

    /** The stream must end after the declared values (a size not known up front is checked here). */
    private static void checkEnd(InputStream in, String source, String declared) throws IOException {
        int extra = in.readNBytes(TRAILING_COUNTED).length;
        if (extra == 0) return;
        String count = extra < TRAILING_COUNTED ? Integer.toString(extra) : "at least " + TRAILING_COUNTED;
        throw new InputException(source + ": " + count + " bytes after the data the header declares (" + declared + ")");
    }

    private static InputException truncated(String source, String declared, long available) {
        return new InputException(source + ": truncated: header declares " + declared
                + " but only " + available + " bytes follow");
    }

    /** Decodes the values of the file's type from the stream, one item at a time. */
    private static final class Values {
        private final InputStream in;
        private final Header h;
        private final String source;
        private final String declared;
        private final byte[] chunk;
        private final ByteBuffer buf;
        private long consumed;

        Values(InputStream in, Header h, String source, String declared) {
            this.in = in;
            this.h = h;
            this.source = source;
            this.declared = declared;
            this.chunk = new byte[(1 << 16) / 8 * h.itemSize()];
            this.buf = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        }

        /** The next {@code count} values, in an array grown as they arrive. */
        float[] item(int count) throws IOException {
            int size = h.itemSize();
            int perChunk = chunk.length / size;
            float[] s = new float[Math.min(count, FIRST_ALLOCATION)];
            for (int k = 0; k < count; ) {
                int n = Math.min(perChunk, count - k);
                int got = in.readNBytes(chunk, 0, n * size);
                if (got < n * size) throw truncated(source, declared, consumed + got);
                consumed += got;
                if (k + n > s.length) s = Arrays.copyOf(s, (int) Math.min(count, Math.max(2L * s.length, k + n)));
                for (int j = 0; j < n; j++) s[k + j] = value(buf, h.type, j * size);
                k += n;
            }
            return s;
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
