package org.rnnclust.data.read;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.data.LabelIndex;

/**
 * sktime/UEA {@code .ts} files: {@code #} comments, {@code @key value} header lines, then
 * {@code @data} and one case per line. A case holds its dimensions separated by {@code :} and the
 * values of one dimension separated by {@code ,}; with {@code @classLabel true} the last
 * {@code :} field is the label. {@code ?} is a missing value. Header keys and their true/false
 * values are case-insensitive. Read whole, in chunks or as a reservoir sample, each from
 * {@link #parse} ({@link TextReader}).
 */
final class TsReader extends TextReader {
    /** The most characters a header line may hold: a few keywords, a list of class labels. */
    static final int MAX_HEADER_LINE = 1 << 20;

    /** What the header declared; null where it said nothing. */
    private static final class Header {
        Boolean univariate;
        Integer dimensions;
        Boolean equalLength;
        Integer seriesLength;
        boolean labelled;
        LabelIndex classes;
        boolean data;
    }

    @Override
    void parse(SourceStream input, ReadOptions options, DataBudget budget, Cases cases) throws IOException {
        String source = input.name();
        TextLines lines = new TextLines(TextInput.lines(input.in(), source, input.limits()), source);
        Header header = new Header();
        int dims = -1;         // from the header, or from the first case when it does not say
        int firstLength = -1;
        while (lines.next()) {
            long lineNo = lines.number();
            char[] c = lines.chars();
            int from = lines.strippedStart();
            int to = lines.strippedEnd();
            if (from == to || c[from] == '#') continue;
            if (!header.data) {
                if (c[from] != '@') {
                    throw InputException.at(source, lineNo, "line", "data before the @data line");
                }
                if (to - from > MAX_HEADER_LINE) {
                    throw InputException.at(source, lineNo, "line", "a header line longer than " + MAX_HEADER_LINE + " characters");
                }
                headerLine(new String(c, from, to - from), header, source, lineNo);
                continue;
            }
            if (c[from] == '@') {
                String start = new String(c, from, Math.min(to - from, 41));  // all that shorten shows
                throw InputException.at(source, lineNo, "line", "header key after @data: '" + Values.shorten(start) + "'");
            }
            int fields = 1 + count(c, from, to, ':');
            int valueFields = fields - (header.labelled ? 1 : 0);
            if (dims < 0) dims = declaredDimensions(header, source, lineNo);
            if (dims < 0) dims = Math.max(valueFields, 1);
            if (valueFields != dims) {
                throw InputException.at(source, lineNo, "line", "expected " + dims + " dimension" + (dims == 1 ? "" : "s")
                        + (header.labelled ? " and a class label" : "") + ", found " + fields + " ':'-separated field"
                        + (fields == 1 ? "" : "s"));
            }
            float[] values = caseValues(c, from, to, dims, budget, source, lineNo);
            int length = values.length / dims;
            boolean equalLength = Boolean.TRUE.equals(header.equalLength);
            if (equalLength) {
                if (header.seriesLength != null && length != header.seriesLength) {
                    throw InputException.at(source, lineNo, "line", "series length " + length
                            + " differs from @seriesLength " + header.seriesLength);
                }
                if (firstLength >= 0 && length != firstLength) {
                    throw InputException.at(source, lineNo, "line", "series length " + length
                            + " differs from the first case's " + firstLength + " under @equalLength true");
                }
            }
            String label = null;
            if (header.labelled) {
                int labelFrom = lastIndexOf(c, from, to, ':') + 1;
                label = new String(c, labelFrom, to - labelFrom).strip();
                if (!header.classes.contains(label)) {
                    throw InputException.at(source, lineNo, "line", "class label '" + Values.shorten(label)
                            + "' is not among the declared @classLabel values");
                }
            }
            if (firstLength < 0) {
                firstLength = length;
                cases.start(new Layout(dims, equalLength ? length : -1, header.labelled,
                        header.labelled ? header.classes.names() : null));
            }
            cases.accept(values, label, lineNo);
        }
        if (!header.data) throw new InputException(source + ": no @data line");
        if (firstLength < 0) throw new InputException(source + ": no data after @data");
    }

    private static void headerLine(String line, Header h, String source, long lineNo) {
        String[] words = line.split("\\s+");
        String key = words[0].toLowerCase(Locale.ROOT);
        switch (key) {
            case "@problemname", "@missing" -> { } // '?' is read as missing whatever @missing says
            case "@timestamps" -> {
                if (bool(words, source, lineNo)) {
                    throw InputException.at(source, lineNo, "line", "@timeStamps true is not supported");
                }
            }
            case "@univariate" -> h.univariate = bool(words, source, lineNo);
            case "@equallength" -> h.equalLength = bool(words, source, lineNo);
            case "@dimensions" -> h.dimensions = positive(words, source, lineNo);
            case "@serieslength" -> h.seriesLength = positive(words, source, lineNo);
            case "@classlabel" -> {
                h.labelled = bool(words, source, lineNo);
                if (h.labelled && words.length < 3) {
                    throw InputException.at(source, lineNo, "line", "@classLabel true lists no class labels");
                }
                h.classes = new LabelIndex(Arrays.asList(words).subList(h.labelled ? 2 : words.length, words.length));
            }
            case "@targetlabel" -> {
                if (bool(words, source, lineNo)) {
                    throw InputException.at(source, lineNo, "line",
                            "@targetLabel true (a regression problem) is not supported; rnnclust reads classification or unlabelled .ts files");
                }
            }
            case "@data" -> h.data = true;
            default -> throw InputException.at(source, lineNo, "line",
                    "unknown header key '" + Values.shorten(words[0]) + "'");
        }
    }

    /** Dimensions from @dimensions / @univariate, -1 when the header says neither. */
    private static int declaredDimensions(Header h, String source, long lineNo) {
        if (Boolean.TRUE.equals(h.univariate) && h.dimensions != null && h.dimensions != 1) {
            throw InputException.at(source, lineNo, "line",
                    "header says @univariate true but @dimensions " + h.dimensions);
        }
        if (h.dimensions != null) return h.dimensions;
        return Boolean.TRUE.equals(h.univariate) ? 1 : -1;
    }

    /**
     * The values of one case, time-major: the first {@code dims} ':'-separated fields of
     * {@code c[from..to)}, each a ','-separated list, all of the same length.
     */
    private static float[] caseValues(char[] c, int from, int to, int dims, DataBudget budget, String source, long lineNo) {
        int length = 0;
        int pos = from;
        for (int d = 0; d < dims; d++) {
            int end = indexOf(c, pos, to, ':');
            if (isBlank(c, pos, end)) {
                throw InputException.at(source, lineNo, "line", "dimension " + (d + 1) + " has no values");
            }
            int n = 1 + count(c, pos, end, ',');
            if (d == 0) length = n;
            else if (n != length) {
                throw InputException.at(source, lineNo, "line", "dimensions differ in length: dimension 1 has "
                        + length + " values, dimension " + (d + 1) + " has " + n);
            }
            pos = end + 1;
        }
        if (budget != null) budget.sequence((long) length * dims, 0, lineNo);
        float[] values = new float[length * dims];
        pos = from;
        for (int d = 0; d < dims; d++) {
            for (int t = 0; t < length; t++) {
                int end = t == length - 1 ? indexOf(c, pos, to, ':') : indexOf(c, pos, to, ',');
                String token = new String(c, pos, end - pos).strip();
                values[t * dims + d] = Values.parse(token, source, lineNo, d + 1, t + 1);
                pos = end + 1;
            }
        }
        return values;
    }

    private static int count(char[] c, int from, int to, char ch) {
        int n = 0;
        for (int i = from; i < to; i++) if (c[i] == ch) n++;
        return n;
    }

    /** The first {@code ch} in {@code c[from..to)}, or {@code to}. */
    private static int indexOf(char[] c, int from, int to, char ch) {
        int i = from;
        while (i < to && c[i] != ch) i++;
        return i;
    }

    private static int lastIndexOf(char[] c, int from, int to, char ch) {
        int i = to - 1;
        while (i >= from && c[i] != ch) i--;
        return i;
    }

    /** What {@link String#isBlank} says of {@code c[from..to)}. */
    private static boolean isBlank(char[] c, int from, int to) {
        for (int i = from; i < to; i++) if (!Character.isWhitespace(c[i])) return false;
        return true;
    }

    private static boolean bool(String[] words, String source, long lineNo) {
        if (words.length >= 2) {
            if (words[1].equalsIgnoreCase("true")) return true;
            if (words[1].equalsIgnoreCase("false")) return false;
        }
        throw InputException.at(source, lineNo, "line", words[0] + " needs true or false");
    }

    private static int positive(String[] words, String source, long lineNo) {
        try {
            if (words.length == 2) {
                int n = Integer.parseInt(words[1]);
                if (n > 0) return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw InputException.at(source, lineNo, "line", words[0] + " needs one positive integer");
    }
}
