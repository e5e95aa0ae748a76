package org.rnnclust.data.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.rnnclust.InputException;

/**
 * The layout of NumPy's {@code .npy} file (format versions 1 to 3): the magic string, the format
 * version, the header length, and a header that is a Python dict literal padded with spaces and a
 * newline so that the data start 64-byte aligned. {@link NpyInput} reads it; this class writes the
 * header of the one kind of array rnnclust writes, float32 in C order.
 */
public final class NpyFormat {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Largest header accepted (numpy's own headers are a few hundred bytes). */
    static final int MAX_HEADER = 1 << 20;
    /** The most elements one Java array holds. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int V1_PREFIX = 10;  // magic, version, 2-byte header length
    private static final int V2_PREFIX = 12;  // magic, version, 4-byte header length

    private NpyFormat() {}

    /**
     * The header {@code numpy.save} writes for a float32 array of {@code shape}: version 1.0, or
     * 2.0 when the header needs more than 64 KiB. The data, little-endian float32 in C order, follow it.
     */
    public static byte[] float32Header(int[] shape) {
        return float32Header(shape, 0);
    }

    /**
     * {@link #float32Header(int[])} padded to at least {@code minBytes} bytes in all: a header
     * written before the row count is known (with the largest count) is later overwritten in place
     * by the real one padded to the same size.
     */
    public static byte[] float32Header(int[] shape, int minBytes) {
        return header("<f4", shape, minBytes);
    }

    /** The header of a C-order array of numpy dtype {@code descr} ({@code <f4}, {@code <f8}, {@code |u1}). */
    public static byte[] header(String descr, int[] shape, int minBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        int prefix = V1_PREFIX;
        int length = Math.max(paddedLength(prefix, text.length), minBytes - prefix);
        if (length > 65535) length = Math.max(paddedLength(prefix = V2_PREFIX, text.length), minBytes - prefix);
        ByteBuffer head = ByteBuffer.allocate(prefix + length).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (prefix == V1_PREFIX ? 1 : 2)).put((byte) 0);
        if (prefix == V1_PREFIX) head.putShort((short) length);
        else head.putInt(length);
        head.put(text);
        while (head.position() < head.limit() - 1) head.put((byte) ' ');
        head.put((byte) '\n');
        return head.array();
    }

    /** The header text's length with the padding that makes prefix + header a multiple of 64. */
    private static int paddedLength(int prefix, int text) {
        return (prefix + text + 1 + 63) / 64 * 64 - prefix;
    }

    /** A shape as Python writes the tuple: {@code (2, 3)}, {@code (4,)}, {@code ()}. */
    public static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** Header text made safe for a one-line message: only printable ASCII, at most 120 characters. */
    static String printable(String s) {
        String t = s.replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }

    static InputException bad(String source, String problem) {
        return new InputException(source + ": " + problem);
    }
}
