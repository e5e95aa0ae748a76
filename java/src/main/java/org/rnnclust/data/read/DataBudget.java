package org.rnnclust.data.read;

import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;

/**
 * The memory the sequences of one read take so far, checked before each allocation against
 * {@link ReadLimits#dataBytes} and, for a large one, against the heap that is free now
 * ({@link HeapBudget}). Text readers reserve each sequence as they meet it; binary readers reserve
 * the whole dataset their header declares before reading any of it.
 */
final class DataBudget {
    /** Allocations from this size on are also checked against the free heap (smaller ones are noise). */
    private static final long CHECK_FREE_FROM = 1 << 20;

    private final ReadLimits limits;
    private final String source;
    private long reserved;

    DataBudget(ReadLimits limits, String source) {
        this.limits = limits;
        this.source = source;
    }

    /**
     * Room for the sequence of line {@code line}: {@code values} float32 values and
     * {@code extraBytes} more (its label's text, say).
     */
    void sequence(long values, long extraBytes, long line) {
        if (values > HeapBudget.MAX_ARRAY_LENGTH) {
            throw new InputException(source + ": line " + line + ": a sequence of " + values + " values, more than one array holds");
        }
        long bytes = 4 * values + ReadLimits.SEQUENCE_OVERHEAD + extraBytes;
        reserved = addSaturated(reserved, bytes);
        // the message is made only when needed: this runs for every line
        if (reserved > limits.dataBytes()) throw overLimit("the sequences up to line " + line + " take more than");
        if (bytes >= CHECK_FREE_FROM) HeapBudget.require(bytes, source + ": the sequence of line " + line);
    }

    /**
     * Room for the {@code n} sequences of {@code perSequence} values a header declares, before
     * any of them is read.
     *
     * @param copies how many times the reader holds the values at its peak (1, or 2 when it
     *               decodes them into one array first and then splits it into sequences)
     * @param declared what the header declares, e.g. "2000000 items of 28×28", "array of shape (3, 4)"
     */
    void declared(long n, long perSequence, int copies, String declared) {
        if (perSequence > HeapBudget.MAX_ARRAY_LENGTH) {
            throw new InputException(source + ": the header declares " + declared + ", sequences of " + perSequence
                    + " values: more than one array holds");
        }
        long values = multiplySaturated(n, perSequence);
        long bytes = addSaturated(multiplySaturated(values, 4), multiplySaturated(n, ReadLimits.SEQUENCE_OVERHEAD));
        reserved = addSaturated(reserved, bytes);
        String what = "the values of the " + declared + " the header declares";
        if (reserved > limits.dataBytes()) throw overLimit(what + " need " + HeapBudget.bytes(bytes) + ", more than");
        long peak = multiplySaturated(bytes, copies);
        if (peak >= CHECK_FREE_FROM) HeapBudget.require(peak, source + ": " + what);
    }

    /** "SOURCE: WHAT the N a dataset may take (...): give the JVM more heap". */
    private InsufficientMemoryException overLimit(String what) {
        return new InsufficientMemoryException(source + ": " + what + " the " + HeapBudget.bytes(limits.dataBytes())
                + " a dataset may take (half of the Java heap of at most " + HeapBudget.bytes(limits.heapBytes())
                + "): give the JVM more heap (JAVA_OPTS=-Xmx...)");
    }

    private static long multiplySaturated(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private static long addSaturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
