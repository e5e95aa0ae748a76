package org.rnnclust.data.read;

import java.util.Arrays;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;

/** Parsing of one numeric text field, shared by the text readers so they agree on what a number is. */
final class Values {
    private Values() {}

    /** Empty, "?", "NA" and "NaN" (any case) mean a missing value. */
    static boolean isMissing(String token) {
        return token.isEmpty() || token.equals("?") || token.equalsIgnoreCase("nan") || token.equalsIgnoreCase("na");
    }

    /**
     * A plain decimal number: digits, sign, point and exponent only. Float.parseFloat alone would
     * also take "1d", "0x1p3" or "Infinity", which in a data file are more likely mistakes.
     */
    static boolean isNumber(String token) {
        if (!plainDecimal(token)) return false;
        try {
            Float.parseFloat(token);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean plainDecimal(String token) {
        boolean digit = false;
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            if (ch >= '0' && ch <= '9') digit = true;
            else if (ch != '.' && ch != '-' && ch != '+' && ch != 'e' && ch != 'E') return false;
        }
        return digit;
    }

    /** The float32 value of field {@code field} (1-based) of a line, NaN when missing. */
    static float parse(String token, String source, long line, int field) {
        try {
            return value(token);
        } catch (BadToken e) {
            throw InputException.at(source, line, "line", "field " + field + ": " + e.getMessage());
        }
    }

    /** The float32 value of value {@code index} of dimension {@code dimension} (both 1-based). */
    static float parse(String token, String source, long line, int dimension, int index) {
        try {
            return value(token);
        } catch (BadToken e) {
            throw InputException.at(source, line, "line",
                    "dimension " + dimension + ", value " + index + ": " + e.getMessage());
        }
    }

    /**
     * Parsed straight to float (not via double) so that the value is the correctly rounded float32
     * of the text. The position is added by the caller only on failure, keeping the loop cheap.
     */
    private static float value(String token) throws BadToken {
        if (isMissing(token)) return Float.NaN;
        float v;
        try {
            if (!plainDecimal(token)) throw new NumberFormatException();
            v = Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw new BadToken("not a number: '" + shorten(token) + "'");
        }
        if (Float.isInfinite(v)) throw new BadToken("out of float32 range: '" + shorten(token) + "'");
        return v;
    }

    private static final class BadToken extends Exception {
        BadToken(String problem) {
            super(problem, null, false, false);
        }
    }

    /**
     * Keeps a bad token readable in a one-line message: at most 40 characters, control characters
     * (a line break inside a damaged header, say) written as escapes so the message stays one line.
     */
    static String shorten(String token) {
        String t = token.length() <= 40 ? token : token.substring(0, 37) + "...";
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            switch (ch) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (Character.isISOControl(ch)) sb.append(String.format("\\x%02x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.toString();
    }

    /**
     * A growable float buffer for one row of unknown length, reused from row to row. A growth to
     * a million values or more is first checked against the free heap.
     */
    static final class Row {
        private static final int CHECK_FREE_FROM = 1 << 20;

        private final String source;
        private float[] values = new float[64];
        private int size;
        private long line;

        Row(String source) {
            this.source = source;
        }

        /** Empties the row for the values of line {@code line} (named if a growth is refused). */
        void clear(long line) {
            this.line = line;
            size = 0;
        }

        void add(float v) {
            if (size == values.length) grow();
            values[size++] = v;
        }

        private void grow() {
            long capacity = Math.min(2L * size, HeapBudget.MAX_ARRAY_LENGTH);
            if (capacity == size) {
                throw new InputException(source + ": line " + line + ": more values than one array holds");
            }
            if (capacity >= CHECK_FREE_FROM) HeapBudget.requireArray(capacity, 4, source + ": the values of line " + line);
            values = Arrays.copyOf(values, (int) capacity);
        }

        int size() { return size; }

        float get(int i) { return values[i]; }

        /** The first n values as a new array. */
        float[] toArray(int n) { return Arrays.copyOf(values, n); }
    }
}
