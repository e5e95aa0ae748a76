package org.rnnclust.data.read;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import org.rnnclust.HeapBudget;

/**
 * The lines of a text file, one at a time, in one reused buffer: a reader looks at the characters
 * in place and makes strings only of the fields it keeps. Lines end at {@code \n}, {@code \r\n}
 * or {@code \r}, as {@link java.io.BufferedReader#readLine} has them; how long a line may be is
 * {@link TextInput}'s business.
 */
final class TextLines {
    /** Buffer sizes from which a growth is first checked against the free heap. */
    private static final int CHECK_FREE_FROM = 1 << 20;

    private final Reader in;
    private final String source;
    private final char[] chunk = new char[1 << 16];
    private int pos;
    private int end;
    private boolean eof;
    private boolean skipLineFeed;
    private char[] line = new char[1 << 10];
    private int length;
    private long number;

    TextLines(Reader in, String source) {
        this.in = in;
        this.source = source;
    }

    /** Moves to the next line; false at the end of the text. */
    boolean next() throws IOException {
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                if (eof || !fill()) {
                    if (!any) return false;
                    break;
                }
            }
            char c = chunk[pos];
            if (skipLineFeed) {
                skipLineFeed = false;
                if (c == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int start = pos;
            while (pos < end && chunk[pos] != '\n' && chunk[pos] != '\r') pos++;
            append(start, pos);
            if (pos < end) {
                skipLineFeed = chunk[pos] == '\r';
                pos++;
                break;
            }
        }
        number++;
        return true;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(chunk, 0, chunk.length);
        } while (n == 0);
        pos = 0;
        end = Math.max(n, 0);
        eof = n < 0;
        return n > 0;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (length + n > line.length) {
            // the line is within TextInput's cap, itself at most one array's length
            long capacity = Math.min(Math.max((long) line.length * 2, (long) length + n), HeapBudget.MAX_ARRAY_LENGTH);
            if (capacity >= CHECK_FREE_FROM) HeapBudget.requireArray(capacity, 2, source + ": line " + (number + 1));
            line = Arrays.copyOf(line, (int) capacity);
        }
        System.arraycopy(chunk, from, line, length, n);
        length += n;
    }

    /** The current line's characters, from 0 to {@link #length()} (the array is reused). */
    char[] chars() {
        return line;
    }

    int length() {
        return length;
    }

    /** Where the current line starts once leading whitespace is skipped (what String.strip drops). */
    int strippedStart() {
        int from = 0;
        while (from < length && Character.isWhitespace(line[from])) from++;
        return from;
    }

    /** Where the current line ends once trailing whitespace is dropped; never before {@link #strippedStart()}. */
    int strippedEnd() {
        int from = strippedStart();
        int to = length;
        while (to > from && Character.isWhitespace(line[to - 1])) to--;
        return to;
    }

    /** The current line's number, from 1. */
    long number() {
        return number;
    }
}
