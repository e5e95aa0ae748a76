package org.rnnclust.data.npy;

import static org.rnnclust.data.npy.NpyFormat.bad;
import static org.rnnclust.data.npy.NpyFormat.printable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types read: float32 and float64 ({@code f4}, {@code f8}), signed integers
 * ({@code i1} to {@code i8}) and unsigned ones ({@code u1} to {@code u8}), either byte order
 * ({@code <}, {@code >}, {@code |} for single bytes, {@code =} for the machine's).
 *
 * @param kind  'f', 'i' or 'u'
 * @param size  bytes per element
 * @param descr the header's text for it, e.g. {@code <f4}
 */
record NpyDtype(char kind, int size, ByteOrder order, String descr) {
    static NpyDtype parse(String descr, String source) {
        if (descr.length() == 3) {
            ByteOrder order = switch (descr.charAt(0)) {
                case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
                case '>' -> ByteOrder.BIG_ENDIAN;
                case '=' -> ByteOrder.nativeOrder();
                default -> null;
            };
            char kind = descr.charAt(1);
            int size = descr.charAt(2) - '0';
            boolean known = kind == 'f' ? size == 4 || size == 8
                    : (kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8);
            if (order != null && known) return new NpyDtype(kind, size, order, descr);
        }
        throw bad(source, "unsupported .npy dtype '" + printable(descr)
                + "'; float32/64 and signed or unsigned integers of 1 to 8 bytes are read");
    }

    boolean isFloat32() {
        return kind == 'f' && size == 4;
    }

    boolean isInteger() {
        return kind != 'f';
    }

    /**
     * Element {@code i} of {@code b} as a double: exact for floats and for integers up to 2⁵³ in
     * magnitude, the nearest double beyond.
     */
    double toDouble(ByteBuffer b, int i) {
        int pos = i * size;
        if (kind == 'f') return size == 4 ? b.getFloat(pos) : b.getDouble(pos);
        long v = integer(b, pos);
        return kind == 'u' && size == 8 ? unsignedToDouble(v) : v;
    }

    /**
     * Integer element at byte {@code pos} of {@code b}: the value itself for every type but u8,
     * whose values of 2⁶³ and above come back as their bits (a negative long).
     */
    long integer(ByteBuffer b, int pos) {
        boolean unsigned = kind == 'u';
        return switch (size) {
            case 1 -> unsigned ? b.get(pos) & 0xff : b.get(pos);
            case 2 -> unsigned ? b.getShort(pos) & 0xffff : b.getShort(pos);
            case 4 -> unsigned ? b.getInt(pos) & 0xffffffffL : b.getInt(pos);
            default -> b.getLong(pos);
        };
    }

    /** The integer's value as text (unsigned for u8). */
    String integerText(long v) {
        return kind == 'u' && size == 8 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** Whether float32 holds the integer exactly: at most 24 significant bits. */
    boolean exactInFloat32(long v) {
        long magnitude = kind == 'u' || v >= 0 ? v : -v;  // -Long.MIN_VALUE keeps its bits, 2⁶³ unsigned
        int bits = 64 - Long.numberOfLeadingZeros(magnitude) - Long.numberOfTrailingZeros(magnitude);
        return magnitude == 0 || bits <= 24;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }
}
