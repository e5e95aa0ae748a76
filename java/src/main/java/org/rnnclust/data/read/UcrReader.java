package org.rnnclust.data.read;

import java.io.IOException;
import org.rnnclust.InputException;

/**
 * UCR archive files: one series per line, the class label first, then the values. The separator
 * is taken from the first data line: tab if it has one, else comma, else runs of whitespace.
 *
 * <p>Rows may differ in length (variable-length UCR sets). NaN at the end of a row is padding and
 * is dropped; NaN inside a row stays as a missing value.
 *
 * <p>Fields are cut out of the line in place, so a line of millions of values costs its values,
 * not a string for each (see {@link TextLines}). Read whole, in chunks or as a reservoir sample,
 * each from {@link #parse} ({@link TextReader}).
 */
final class UcrReader extends TextReader {
    private enum Separator { TAB, COMMA, WHITESPACE }

    /** Every line a univariate case of its own length, labelled as written. */
    private static final Layout LAYOUT = new Layout(1, -1, true, null);

    @Override
    void parse(SourceStream input, ReadOptions options, DataBudget budget, Cases cases) throws IOException {
        String source = input.name();
        TextLines lines = new TextLines(TextInput.lines(input.in(), source, input.limits()), source);
        Values.Row row = new Values.Row(source);
        Separator separator = null;
        while (lines.next()) {
            long lineNo = lines.number();
            char[] c = lines.chars();
            int end = lines.length();
            if (isBlank(c, end)) continue;
            if (separator == null) {
                separator = detect(c, end);
                cases.start(LAYOUT);
            }
            Fields fields = new Fields(c, end, separator);
            String label = fields.next();
            if (label.isEmpty()) throw InputException.at(source, lineNo, "line", "empty class label in field 1");
            row.clear(lineNo);
            for (int k = 2; fields.hasNext(); k++) row.add(Values.parse(fields.next(), source, lineNo, k));
            int length = row.size();
            while (length > 0 && Float.isNaN(row.get(length - 1))) length--;
            if (length == 0) throw InputException.at(source, lineNo, "line", "no values after the class label");
            if (budget != null) budget.sequence(length, 2L * label.length(), lineNo);
            cases.accept(row.toArray(length), label, lineNo);
        }
        if (separator == null) throw new InputException(source + ": no data");
    }

    /** What {@link String#isBlank} says of the line. */
    private static boolean isBlank(char[] c, int end) {
        for (int i = 0; i < end; i++) if (!Character.isWhitespace(c[i])) return false;
        return true;
    }

    private static Separator detect(char[] c, int end) {
        for (int i = 0; i < end; i++) if (c[i] == '\t') return Separator.TAB;
        for (int i = 0; i < end; i++) if (c[i] == ',') return Separator.COMMA;
        return Separator.WHITESPACE;
    }

    /**
     * The fields of a line, each trimmed as {@link String#trim} does: split at every tab or comma
     * (empty fields included), or, for whitespace, the line trimmed and split at runs of
     * {@code [ \t\n\x0B\f\r]} (the regular expression {@code \s+}).
     */
    private static final class Fields {
        private final char[] c;
        private final Separator separator;
        private int pos;
        private final int end;
        private boolean done;

        Fields(char[] c, int end, Separator separator) {
            this.c = c;
            this.separator = separator;
            int from = 0;
            int to = end;
            if (separator == Separator.WHITESPACE) {
                while (from < to && c[from] <= ' ') from++;
                while (to > from && c[to - 1] <= ' ') to--;
            }
            this.pos = from;
            this.end = to;
        }

        boolean hasNext() {
            return !done;
        }

        /** The next field, trimmed. */
        String next() {
            int start = pos;
            int stop;
            if (separator == Separator.WHITESPACE) {
                while (pos < end && !isRegexSpace(c[pos])) pos++;
                stop = pos;
                while (pos < end && isRegexSpace(c[pos])) pos++;
            } else {
                char sep = separator == Separator.TAB ? '\t' : ',';
                while (pos < end && c[pos] != sep) pos++;
                stop = pos;
                if (pos < end) pos++;
                else done = true;
            }
            if (separator == Separator.WHITESPACE && pos >= end) done = true;
            while (start < stop && c[start] <= ' ') start++;
            while (stop > start && c[stop - 1] <= ' ') stop--;
            return new String(c, start, stop - start);
        }

        private static boolean isRegexSpace(char ch) {
            return ch == ' ' || ch == '\t' || ch == '\n' || ch == 0x0B || ch == '\f' || ch == '\r';
        }
    }
}
