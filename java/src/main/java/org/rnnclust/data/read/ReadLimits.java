package org.rnnclust.data.read;

import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;

/**
 * How much of the Java heap one read may take, so that a small file that expands to gigabytes (a
 * gzip bomb, a header declaring billions of values, one endless line) is refused with one line
 * long before it is read to the end:
 * <ul>
 *   <li>the sequences read, as float32 values plus a fixed overhead per sequence, may use at most
 *       half of the heap's maximum ({@link #dataBytes});</li>
 *   <li>a line of a UCR or .ts file may hold at most a sixteenth of the heap's maximum in
 *       characters ({@link #lineChars}; the line, its values and their copy stay within half the
 *       heap), a CSV line or record a quarter of that ({@link #csvLineChars}: its parser keeps every
 *       field as a string, some 30 bytes per character of short fields), and never more than one
 *       Java array holds.</li>
 * </ul>
 * Both are derived from the heap, so {@code -Xmx} raises them. Going past one is an
 * {@link InsufficientMemoryException} (exit 4) that says to give the JVM more heap, unless no heap
 * would do (more than one array holds), which is bad input (exit 2).
 *
 * @param heapBytes the heap maximum the limits are derived from (named in the messages)
 * @param dataBytes the most the sequences read may occupy
 * @param lineChars the most characters in a line of a UCR or .ts file
 */
record ReadLimits(long heapBytes, long dataBytes, int lineChars) {
    /** Bytes counted for each sequence besides its values: array header, references, a label string. */
    static final long SEQUENCE_OVERHEAD = 96;

    /** The limits for this JVM's heap. */
    static ReadLimits ofThisJvm() {
        return ofHeap(Runtime.getRuntime().maxMemory());
    }

    /** The limits a heap of at most {@code heapBytes} gives. */
    static ReadLimits ofHeap(long heapBytes) {
        return new ReadLimits(heapBytes, heapBytes / 2, (int) Math.min(HeapBudget.MAX_ARRAY_LENGTH, heapBytes / 16));
    }

    /** The most characters in a line, or a quoted record, of a CSV file. */
    int csvLineChars() {
        return lineChars / 4;
    }

    /**
     * The refusal of a line (or CSV record) longer than {@code limit} characters.
     *
     * @param where "file: line N" or the like
     */
    RuntimeException lineTooLong(String where, String what, long limit) {
        if (limit >= HeapBudget.MAX_ARRAY_LENGTH) {
            return new InputException(where + ": " + what + " longer than " + limit + " characters, more than one array holds");
        }
        return new InsufficientMemoryException(where + ": " + what + " longer than " + limit
                + " characters, the limit with a Java heap of at most " + HeapBudget.bytes(heapBytes)
                + ": give the JVM more heap (JAVA_OPTS=-Xmx...)");
    }
}
