package org.rnnclust;

import java.util.Locale;

/**
 * Checks an allocation against the Java heap before it is made, so that a file or a setting that
 * asks for too much ends with one line naming what needed how much ({@link InsufficientMemoryException},
 * exit 4), or, for an array no JVM can hold, with bad input (exit 2), instead of an
 * {@code OutOfMemoryError} in the middle of the work.
 */
public final class HeapBudget {
    /** The largest array length every JVM accepts (a few header words below 2^31). */
    public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** How to give the JVM more heap, in words, for the end of a message. */
    public static final String MORE_HEAP = "give the JVM more heap (JAVA_OPTS=-Xmx...)";

    private HeapBudget() {}

    /**
     * Throws unless an array of {@code elements} values of {@code bytesPerElement} bytes each fits
     * in one Java array and in the heap that is free now (after a collection, when it looks tight).
     *
     * @param what names the allocation in the message, e.g. "the series of line 3 of data.tsv"
     * @param settings the settings whose lowering would shrink it (the CLI names their flags)
     */
    public static void requireArray(long elements, int bytesPerElement, String what, Setting... settings) {
        if (elements > MAX_ARRAY_LENGTH) {
            throw new InputException(what + " would need " + elements + " values in one array; at most "
                    + MAX_ARRAY_LENGTH + " fit", settings);
        }
        require(elements * bytesPerElement, what, settings);
    }

    /** Throws unless {@code bytes} more fit in the heap (see {@link #requireArray}). */
    public static void require(long bytes, String what, Setting... settings) {
        require(bytes, what, "ask for less", settings);
    }

    /**
     * Throws unless {@code bytes} more fit in the heap; the message ends with {@code remedy} (what to
     * lower, in words) and the heap option.
     */
    public static void require(long bytes, String what, String remedy, Setting... settings) {
        long free = freeFor(bytes);
        if (bytes <= free) return;
        throw new InsufficientMemoryException(what + " needs " + bytes(bytes) + " of Java heap, " + bytes(free)
                + " is free of at most " + bytes(Runtime.getRuntime().maxMemory()) + ": " + remedy + ", or "
                + MORE_HEAP, settings);
    }

    /** Bytes the heap can still grow into: the maximum minus what is in use now. */
    public static long free() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /**
     * {@link #free()}, after a garbage collection when {@code bytes} look more than that: what looks
     * used may be garbage, and one collection before refusing is cheap next to the work.
     */
    public static long freeFor(long bytes) {
        long free = free();
        if (bytes <= free) return free;
        System.gc();
        return free();
    }

    /** 1536 → "1.5 KiB", in powers of 1024 with one decimal. */
    public static String bytes(long n) {
        if (n < 1024) return n + " bytes";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
