package org.rnnclust.data.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * UCR archive files: one series per line, the class label first, then the values. The separator
 * is taken from the first data line: tab if it has one, else comma, else runs of whitespace.
 *
 * <p>Rows may differ in length (variable-length UCR sets). NaN at the end of a row is padding and
 * is dropped; NaN inside a row stays as a missing value.
 *
 * <p>Fields are cut out of the line in place, so a line of millions of values costs its values,
 * not a string for each (see {@link TextLines}).
 */
final class UcrReader implements DatasetReader {
    private enum Separator { TAB, COMMA, WHITESPACE }

    @Override
    public Dataset read(SourceStream input, ReadOptions options) throws IOException {
        String source = input.name();
        List<float[]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        parse(input, input.budget(), (values, label, lineNo) -> {
            series.add(values);
            labels.add(label);
        });
        if (series.isEmpty()) throw new InputException(source + ": no data");
        Labels.Indexed indexed = Labels.index(labels);
        return new Dataset(source, series.toArray(float[][]::new), 1, indexed.labels(), indexed.names());
    }

    /**
     * A seeded uniform sample of {@code m} lines of the file, read front to back (reservoir sampling,
     * Vitter's Algorithm R: the number of lines is unknown until the end), in the file's order, with
     * their labels: memory for the sample, whatever the file's size. All the lines when it has no
     * more than m.
     */
    static Dataset sample(SourceStream input, int m, java.util.SplittableRandom random) throws IOException {
        String source = input.name();
        float[][] kept = new float[m][];
        String[] keptLabels = new String[m];
        long[] keptLine = new long[m];
        long[] seen = {0};
        parse(input, null, (series, label, lineNo) -> {
            long i = seen[0]++;
            int slot = i < m ? (int) i : (int) random.nextLong(i + 1);
            if (slot < m) {
                kept[slot] = series;
                keptLabels[slot] = label;
                keptLine[slot] = i;
            }
        });
        if (seen[0] == 0) throw new InputException(source + ": no data");
        int size = (int) Math.min(m, seen[0]);
        Integer[] byLine = new Integer[size];
        for (int i = 0; i < size; i++) byLine[i] = i;
        java.util.Arrays.sort(byLine, java.util.Comparator.comparingLong(i -> keptLine[i]));
        float[][] series = new float[size][];
        List<String> labels = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            series[i] = kept[byLine[i]];
            labels.add(keptLabels[byLine[i]]);
        }
        Labels.Indexed indexed = Labels.index(labels);
        return new Dataset(source, series, 1, indexed.labels(), indexed.names());
    }

    /**
     * Reads the file front to back and hands {@code body} its sequences (without their labels) in
     * chunks of {@code chunkRows}, or, with 0, of as many as hold {@code autoValues} values: memory
     * for one chunk whatever the file's size.
     */
    static void stream(SourceStream input, int chunkRows, int autoValues, Readers.Rows body) throws IOException {
        String source = input.name();
        List<float[]> chunk = new ArrayList<>();
        long[] values = {0};
        long[] handed = {0};
        body.start(-1, -1, 1);
        // No budget for the whole file: only a chunk is held (a line is bounded by TextInput's limit).
        parse(input, null, (series, label, lineNo) -> {
            chunk.add(series);
            values[0] += series.length;
            boolean full = chunkRows > 0 ? chunk.size() >= chunkRows
                    : values[0] >= autoValues || chunk.size() >= Readers.AUTO_CHUNK_MAX_ROWS;
            if (full) {
                body.rows(Dataset.unlabelled(source, chunk.toArray(float[][]::new), 1).asRecordsFrom(handed[0]));
                handed[0] += chunk.size();
                chunk.clear();
                values[0] = 0;
            }
        });
        if (handed[0] == 0 && chunk.isEmpty()) throw new InputException(source + ": no data");
        if (!chunk.isEmpty()) body.rows(Dataset.unlabelled(source, chunk.toArray(float[][]::new), 1).asRecordsFrom(handed[0]));
    }

    /** One line's sequence and class label. */
    private interface LineSink {
        void accept(float[] series, String label, long lineNo) throws IOException;
    }

    /** Each line's sequence to {@code sink}, after {@code budget} (when given) has room for it. */
    private static void parse(SourceStream input, DataBudget budget, LineSink sink) throws IOException {
        String source = input.name();
        TextLines lines = new TextLines(TextInput.lines(input.in(), source, input.limits()), source);
        Values.Row row = new Values.Row(source);
        Separator separator = null;
        while (lines.next()) {
            long lineNo = lines.number();
            char[] c = lines.chars();
            int end = lines.length();
            if (isBlank(c, end)) continue;
            if (separator == null) separator = detect(c, end);
            Fields fields = new Fields(c, end, separator);
            String label = fields.next();
            if (label.isEmpty()) throw InputException.at(source, lineNo, "line", "empty class label in field 1");
            row.clear(lineNo);
            for (int k = 2; fields.hasNext(); k++) row.add(Values.parse(fields.next(), source, lineNo, k));
            int length = row.size();
            while (length > 0 && Float.isNaN(row.get(length - 1))) length--;
            if (length == 0) throw InputException.at(source, lineNo, "line", "no values after the class label");
            if (budget != null) budget.sequence(length, 2L * label.length(), lineNo);
            sink.accept(row.toArray(length), label, lineNo);
        }
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
