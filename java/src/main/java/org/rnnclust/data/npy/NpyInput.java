package org.rnnclust.data.npy;

import static org.rnnclust.data.npy.NpyFormat.bad;
import static org.rnnclust.data.npy.NpyFormat.printable;
import static org.rnnclust.data.npy.NpyFormat.shapeText;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;

/**
 * Reads one NumPy {@code .npy} array from a stream, the one parser of the format in rnnclust: the
 * model weights of {@code io} and the datasets of {@code data.read} both come through it.
 * {@link #open} reads and checks the header, so a caller can look at the shape before the data
 * are read; then one of {@link #readFloat32} or {@link #readFloat64} reads the data, in C order
 * whatever the file's order (Fortran data are transposed), and checks that the stream ends there.
 * Element types: see {@link NpyDtype}. Any shape, 0-d included.
 *
 * <p>A header's declared shape is checked against the free heap before any data are read (a small
 * compressed file declaring gigabytes is refused at once, {@link HeapBudget}), and against the
 * stream's length when the caller knows it; beyond that it is never trusted for allocation: the
 * array grows only as data actually arrive, so a tiny file declaring 10⁸ elements fails as
 * truncated without using their memory.
 * Every problem is an {@link InputException} of one line that starts with the source's name.
 */
public final class NpyInput {
    private static final int CHUNK = 1 << 16;
    /** Elements allocated before any data have been seen. */
    private static final int FIRST_ALLOCATION = 1 << 20;

    /** What {@link #readFloat32} does with an integer that float32 cannot hold exactly (above 2²⁴, say). */
    public enum InexactIntegers {
        /** Refuse it, naming the value and its index: weights must survive the trip unchanged. */
        REFUSE,
        /**
         * Round it through float64 (exact up to 2⁵³ in magnitude, then rounded twice): data values,
         * which become float32 anyway.
         */
        ROUND
    }

    /** What the header says: element type, layout, shape, and the element count it implies. */
    private record Header(NpyDtype dtype, boolean fortran, int[] shape, long count) {}

    private final InputStream in;
    private final String source;
    private final Header header;
    private long dataStart;  // bytes before the first element: magic, version, header length and header
    private boolean read;
    private long streamed;  // elements read by readFloat32Into

    private NpyInput(InputStream in, String source, Header header) {
        this.in = in;
        this.source = source;
        this.header = header;
    }

    /**
     * Reads and checks the header; the stream is left at the first data byte.
     *
     * @param source names the data in error messages (a file, or "file.npz: entry x.npy")
     * @throws InputException for anything but the header of a supported array
     * @throws IOException when the stream itself fails
     */
    public static NpyInput open(InputStream in, String source) throws IOException {
        return open(in, source, -1);
    }

    /**
     * Reads and checks the header, and when the stream's length is known, that the data the header
     * declares fill the rest of it exactly; the stream is left at the first data byte.
     *
     * @param size the bytes {@code in} holds from here to its end, or -1 when not known
     */
    public static NpyInput open(InputStream in, String source, long size) throws IOException {
        byte[] start = in.readNBytes(8);
        if (start.length < 8 || !Arrays.equals(start, 0, 6, NpyFormat.MAGIC, 0, 6)) {
            throw bad(source, start.length == 0 ? "empty, not an .npy array" : "not an .npy array (no \\x93NUMPY magic)");
        }
        int major = start[6];
        if (major < 1 || major > 3) throw bad(source, "unsupported .npy format version " + major + "." + start[7]);
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (lengthBytes.length < (major == 1 ? 2 : 4)) throw bad(source, "truncated .npy header");
        ByteBuffer le = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        long length = major == 1 ? Short.toUnsignedInt(le.getShort()) : Integer.toUnsignedLong(le.getInt());
        if (length > NpyFormat.MAX_HEADER) {
            throw bad(source, "the .npy header declares " + length + " bytes; at most " + NpyFormat.MAX_HEADER + " are accepted");
        }
        byte[] text = in.readNBytes((int) length);
        if (text.length < length) throw bad(source, "truncated .npy header");
        String dict = new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyInput npy = new NpyInput(in, source, header(HeaderDict.parse(dict, source), source));
        npy.dataStart = start.length + lengthBytes.length + length;
        if (size >= 0) npy.checkDataSize(size - start.length - lengthBytes.length - length);
        return npy;
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
        if (count > NpyFormat.MAX_ELEMENTS) {
            throw bad(source, "shape " + shapeText(shape) + " has too many elements for one array");
        }
        return new Header(NpyDtype.parse(descr, source), fortran, shape, count);
    }

    /** The array's shape (a copy). */
    public int[] shape() {
        return header.shape.clone();
    }

    /** The element type as the header writes it, e.g. {@code <f4}. */
    public String dtype() {
        return header.dtype.descr();
    }

    /**
     * The data as float32 in C order: float64 rounded to nearest, integers as {@code integers} says.
     *
     * @throws InputException when the data are short or longer than the shape, or an integer is refused
     * @throws IOException when the stream itself fails
     */
    public NpyArray readFloat32(InexactIntegers integers) throws IOException {
        requireHeap(4);
        Float32Elements out = new Float32Elements(integers);
        readData(out);
        return new NpyArray(shape(), header.fortran ? FortranOrder.toC(out.values, header.shape) : out.values);
    }

    /**
     * The data as float64 in C order (of {@link #shape()}): exact for float32, float64 and integers
     * up to 2⁵³ in magnitude.
     *
     * @throws InputException when the data are short or longer than the shape
     * @throws IOException when the stream itself fails
     */
    public double[] readFloat64() throws IOException {
        requireHeap(8);
        Float64Elements out = new Float64Elements();
        readData(out);
        return header.fortran ? FortranOrder.toC(out.values, header.shape) : out.values;
    }

    /** Whether the data are in Fortran order (then they cannot be read a row at a time). */
    public boolean fortranOrder() {
        return header.fortran && header.shape.length > 1;
    }

    /**
     * Streaming: decodes the next {@code count} elements (C order) as float32 into
     * {@code dst[0, count)}, integers as {@code integers} says; the caller reads the array in
     * pieces of its choosing and then calls {@link #finish}. Memory: {@code dst} and a 64 KiB buffer.
     *
     * @throws IllegalStateException for Fortran-order data, or past the declared elements
     * @throws InputException when the data are short
     */
    public void readFloat32Into(float[] dst, int count, InexactIntegers integers) throws IOException {
        if (fortranOrder()) throw new IllegalStateException(source + ": Fortran-order data cannot be read in pieces");
        if (streamed + count > header.count) {
            throw new IllegalStateException(source + ": " + (streamed + count) + " elements asked of " + header.count);
        }
        read = true;
        Float32Elements out = new Float32Elements(integers);
        out.values = dst;
        int size = header.dtype.size();
        byte[] buf = new byte[CHUNK];
        int filled = 0;
        while (filled < count) {
            int n = Math.min(count - filled, CHUNK / size);
            int got = in.readNBytes(buf, 0, n * size);
            if (got < n * size) {
                throw bad(source, "truncated: " + declared() + " needs " + header.count * size + " bytes, "
                        + ((streamed + filled) * size + got) + " follow the header");
            }
            out.decode(ByteBuffer.wrap(buf, 0, n * size).order(header.dtype.order()), n, filled);
            filled += n;
        }
        streamed += count;
    }

    /** The file offset of the first element: what a reader that seeks to rows adds to their offsets. */
    public long dataStart() {
        return dataStart;
    }

    /** Bytes per element. */
    public int elementSize() {
        return header.dtype.size();
    }

    /**
     * Decodes {@code n} elements of this array's dtype, read from the file elsewhere (a reader that
     * seeks to rows), into {@code dst} from {@code at}, as {@link #readFloat32Into} would.
     */
    public void decodeFloat32(byte[] bytes, int n, float[] dst, int at, InexactIntegers integers) {
        Float32Elements out = new Float32Elements(integers);
        out.values = dst;
        out.decode(ByteBuffer.wrap(bytes, 0, n * header.dtype.size()).order(header.dtype.order()), n, at);
    }

    /** After {@link #readFloat32Into} has read every element: checks that the stream ends there. */
    public void finish() throws IOException {
        if (streamed != header.count) {
            throw new IllegalStateException(source + ": " + streamed + " of " + header.count + " elements read");
        }
        if (in.read() >= 0) {
            throw bad(source, "more data than " + declared() + " declares (" + header.count * header.dtype.size() + " bytes)");
        }
    }

    /** The data bytes the header declares; they must be exactly the {@code available} ones. */
    private void checkDataSize(long available) {
        long needed = header.count * header.dtype.size();
        if (needed > available) {
            throw bad(source, "truncated: " + declared() + " needs " + needed + " bytes, " + Math.max(available, 0) + " follow the header");
        }
        if (needed < available) throw bad(source, "more data than " + declared() + " declares (" + needed + " bytes)");
    }

    /**
     * Checks the array against the free heap before any of it is read, so that a small compressed
     * file whose header declares gigabytes is refused at once; counted twice when Fortran order
     * needs a transposed copy.
     */
    private void requireHeap(int bytesPerElement) {
        String what = source + ": the array of " + declared();
        HeapBudget.requireArray(header.count, bytesPerElement, what);
        if (header.fortran && header.shape.length > 1) HeapBudget.require(2 * header.count * bytesPerElement, what);
    }

    private String declared() {
        return "shape " + shapeText(header.shape) + " of " + header.dtype.descr();
    }

    /** Decodes the data a chunk at a time, growing the array only as bytes arrive; then checks the stream ends. */
    private void readData(Elements out) throws IOException {
        if (read) throw new IllegalStateException("the data of " + source + " have been read already");
        read = true;
        long count = header.count;
        int size = header.dtype.size();
        String declared = declared();
        byte[] buf = new byte[CHUNK];
        out.grow((int) Math.min(count, FIRST_ALLOCATION));
        int filled = 0;
        while (filled < count) {
            int n = (int) Math.min(count - filled, CHUNK / size);
            int got = in.readNBytes(buf, 0, n * size);
            if (got < n * size) {
                throw bad(source, "truncated: " + declared + " needs " + count * size + " bytes, "
                        + ((long) filled * size + got) + " follow the header");
            }
            if (filled + n > out.capacity()) {
                out.grow((int) Math.min(count, Math.max(2L * out.capacity(), filled + n)));
            }
            out.decode(ByteBuffer.wrap(buf, 0, n * size).order(header.dtype.order()), n, filled);
            filled += n;
        }
        if (in.read() >= 0) throw bad(source, "more data than " + declared + " declares (" + count * size + " bytes)");
    }

    /** Where decoded elements go: an array grown on demand. */
    private interface Elements {
        int capacity();

        /** Makes room for {@code capacity} elements, keeping those decoded so far. */
        void grow(int capacity);

        /** Decodes the {@code n} elements of {@code chunk} into positions {@code at..at+n-1}. */
        void decode(ByteBuffer chunk, int n, int at);
    }

    private final class Float32Elements implements Elements {
        private final InexactIntegers integers;
        float[] values = new float[0];

        Float32Elements(InexactIntegers integers) {
            this.integers = integers;
        }

        @Override public int capacity() { return values.length; }

        @Override public void grow(int capacity) { values = Arrays.copyOf(values, capacity); }

        @Override
        public void decode(ByteBuffer chunk, int n, int at) {
            NpyDtype dtype = header.dtype;
            if (dtype.isFloat32()) {
                chunk.asFloatBuffer().get(values, at, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                if (dtype.isInteger() && integers == InexactIntegers.REFUSE) {
                    long v = dtype.integer(chunk, i * dtype.size());
                    if (!dtype.exactInFloat32(v)) {
                        throw bad(source, "integer " + dtype.integerText(v) + " at index " + (at + i)
                                + " has no exact float32 value");
                    }
                }
                values[at + i] = (float) dtype.toDouble(chunk, i);
            }
        }
    }

    private final class Float64Elements implements Elements {
        double[] values = new double[0];

        @Override public int capacity() { return values.length; }

        @Override public void grow(int capacity) { values = Arrays.copyOf(values, capacity); }

        @Override
        public void decode(ByteBuffer chunk, int n, int at) {
            for (int i = 0; i < n; i++) values[at + i] = header.dtype.toDouble(chunk, i);
        }
    }
}
