package org.rnnclust.data.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.data.LabelIndex;

/**
 * Weka ARFF files as the UCR/UEA archive and tsml-java ship them: {@code %} comments, an
 * {@code @relation}, the {@code @attribute} declarations, then {@code @data} and one instance per
 * line. Two layouts of a time series set are read:
 * <ul>
 *   <li>univariate: one numeric attribute per time step (numeric, real or integer), then the class;</li>
 *   <li>multivariate (UEA): one {@code relational} attribute whose inner numeric attributes are the
 *       time steps, then the class; an instance's relational value is a quoted string holding one
 *       row per channel, rows separated by the two characters {@code \n}.</li>
 * </ul>
 * The class is the last attribute when it is nominal ({@code {a,b,c}}); its declared order numbers
 * the labels, as the .ts reader's {@code @classLabel} list does, so that a set and its .ts twin read
 * alike. {@code ?} is a missing value (NaN). Keywords are case-insensitive; names may be quoted.
 * Sparse instances, string and date attributes, and a nominal attribute anywhere but last are
 * refused with one line naming the line. Read whole, in chunks or as a reservoir sample, each from
 * {@link #parse} ({@link TextReader}).
 */
final class ArffReader extends TextReader {
    /** The most characters a header line may hold (a nominal attribute lists its values). */
    static final int MAX_HEADER_LINE = 1 << 20;

    /** What the header declared. */
    private static final class Header {
        int numeric;               // numeric attributes at the top level (univariate layout)
        int relational = -1;       // inner numeric attributes of the relational attribute, −1 if none
        String relationalName;     // while inside its declaration
        boolean relationalDone;
        LabelIndex classes;        // the last attribute's values when it is nominal
        int attributes;            // top-level attributes declared
        boolean data;
    }

    @Override
    void parse(SourceStream input, ReadOptions options, DataBudget budget, Cases cases) throws IOException {
        String source = input.name();
        TextLines lines = new TextLines(TextInput.lines(input.in(), source, input.limits()), source);
        Header h = new Header();
        int channels = -1;
        boolean started = false;
        while (lines.next()) {
            long lineNo = lines.number();
            char[] c = lines.chars();
            int from = lines.strippedStart();
            int to = lines.strippedEnd();
            if (from == to || c[from] == '%') continue;
            if (!h.data) {
                if (c[from] != '@') throw InputException.at(source, lineNo, "line", "data before the @data line");
                if (to - from > MAX_HEADER_LINE) {
                    throw InputException.at(source, lineNo, "line", "a header line longer than " + MAX_HEADER_LINE + " characters");
                }
                headerLine(new String(c, from, to - from), h, source, lineNo);
                continue;
            }
            if (c[from] == '{') throw InputException.at(source, lineNo, "line", "sparse ARFF instances are not supported");
            List<String> fields = fields(c, from, to, source, lineNo);
            int expected = h.attributes;
            if (fields.size() != expected) {
                throw InputException.at(source, lineNo, "line", "expected " + expected + " comma-separated values ("
                        + (h.relational >= 0 ? "the series and " : h.numeric + " steps and ")
                        + (h.classes != null ? "the class" : "nothing else") + "), found " + fields.size());
            }
            float[] values;
            if (h.relational >= 0) {
                String[] rows = fields.get(0).split("\\\\n", -1);
                int dims = rows.length;
                if (channels < 0) channels = dims;
                if (dims != channels) {
                    throw InputException.at(source, lineNo, "line", dims + " channels, the first instance has " + channels);
                }
                if (budget != null) budget.sequence((long) h.relational * dims, 0, lineNo);
                values = new float[h.relational * dims];
                for (int d = 0; d < dims; d++) {
                    String[] tokens = rows[d].split(",", -1);
                    if (tokens.length != h.relational) {
                        throw InputException.at(source, lineNo, "line", "channel " + (d + 1) + " has " + tokens.length
                                + " values, the relational attribute declares " + h.relational);
                    }
                    for (int t = 0; t < tokens.length; t++) {
                        values[t * dims + d] = Values.parse(tokens[t].strip(), source, lineNo, d + 1, t + 1);
                    }
                }
            } else {
                channels = 1;
                if (budget != null) budget.sequence(h.numeric, 0, lineNo);
                values = new float[h.numeric];
                for (int t = 0; t < h.numeric; t++) values[t] = Values.parse(fields.get(t), source, lineNo, 1, t + 1);
            }
            String label = null;
            if (h.classes != null) {
                label = fields.get(fields.size() - 1);
                if (!h.classes.contains(label)) {
                    throw InputException.at(source, lineNo, "line", "class '" + Values.shorten(label)
                            + "' is not among the declared class values");
                }
            }
            if (!started) {
                started = true;
                cases.start(new Layout(channels, h.relational >= 0 ? h.relational : h.numeric, h.classes != null,
                        h.classes == null ? null : h.classes.names()));
            }
            cases.accept(values, label, lineNo);
        }
        if (!h.data) throw new InputException(source + ": no @data line");
        if (!started) throw new InputException(source + ": no data after @data");
    }

    private static void headerLine(String line, Header h, String source, long lineNo) {
        String keyword = line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        switch (keyword) {
            case "@relation" -> { }
            case "@attribute" -> attribute(line.substring(keyword.length()).strip(), h, source, lineNo);
            case "@end" -> {
                if (h.relationalName == null) throw InputException.at(source, lineNo, "line", "@end outside a relational attribute");
                if (h.relational < 1) {
                    throw InputException.at(source, lineNo, "line", "relational attribute with no numeric attribute inside");
                }
                h.relationalName = null;
                h.relationalDone = true;
            }
            case "@data" -> {
                if (h.relationalName != null) throw InputException.at(source, lineNo, "line", "@data before @end " + h.relationalName);
                if (h.numeric == 0 && h.relational < 0) throw InputException.at(source, lineNo, "line", "no numeric attribute before @data");
                h.data = true;
            }
            default -> throw InputException.at(source, lineNo, "line", "unknown header keyword '" + Values.shorten(keyword) + "'");
        }
    }

    /** One {@code @attribute NAME TYPE}, {@code rest} being "NAME TYPE". */
    private static void attribute(String rest, Header h, String source, long lineNo) {
        int nameEnd = nameEnd(rest);
        String name = unquote(rest.substring(0, nameEnd));
        String type = rest.substring(nameEnd).strip();
        String lower = type.toLowerCase(Locale.ROOT);
        boolean numeric = lower.equals("numeric") || lower.equals("real") || lower.equals("integer");
        if (h.relationalName != null) {  // inside the relational attribute: its time steps
            if (!numeric) {
                throw InputException.at(source, lineNo, "line", "attribute '" + Values.shorten(name) + "' inside a relational "
                        + "attribute is " + Values.shorten(type) + "; the time steps must be numeric");
            }
            h.relational++;
            return;
        }
        if (h.classes != null) {
            throw InputException.at(source, lineNo, "line", "attribute '" + Values.shorten(name) + "' after the nominal class "
                    + "attribute; the class must be the last attribute");
        }
        h.attributes++;
        if (numeric) {
            if (h.relational >= 0) {
                throw InputException.at(source, lineNo, "line", "numeric attribute beside a relational one; a UEA file holds "
                        + "the relational series and the class only");
            }
            h.numeric++;
        } else if (lower.equals("relational")) {
            if (h.numeric > 0 || h.relational >= 0) {
                throw InputException.at(source, lineNo, "line", "a second series attribute; one relational attribute, or "
                        + "numeric ones, hold the series");
            }
            h.relational = 0;
            h.relationalName = name;
        } else if (type.startsWith("{") && type.endsWith("}")) {
            List<String> values = new ArrayList<>();
            for (String v : splitOutsideQuotes(type.substring(1, type.length() - 1))) values.add(unquote(v.strip()));
            if (values.isEmpty() || values.contains("")) {
                throw InputException.at(source, lineNo, "line", "nominal attribute '" + Values.shorten(name) + "' has an empty value");
            }
            h.classes = new LabelIndex(values);
        } else {
            throw InputException.at(source, lineNo, "line", "attribute '" + Values.shorten(name) + "' of type "
                    + Values.shorten(type) + " is not supported (numeric, relational and a nominal class are)");
        }
    }

    /** Where the attribute's name ends: after its closing quote, or at the first whitespace. */
    private static int nameEnd(String rest) {
        if (!rest.isEmpty() && (rest.charAt(0) == '\'' || rest.charAt(0) == '"')) {
            int close = rest.indexOf(rest.charAt(0), 1);
            return close < 0 ? rest.length() : close + 1;
        }
        int i = 0;
        while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) i++;
        return i;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '\'' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** The comma-separated values of an instance, quotes removed ({@code '…'} or {@code "…"} may hold commas). */
    private static List<String> fields(char[] c, int from, int to, String source, long lineNo) {
        List<String> out = new ArrayList<>();
        int i = from;
        while (i <= to) {
            while (i < to && c[i] == ' ') i++;
            if (i < to && (c[i] == '\'' || c[i] == '"')) {
                char q = c[i];
                int close = i + 1;
                while (close < to && c[close] != q) close++;
                if (close >= to) throw InputException.at(source, lineNo, "line", "unterminated quoted value");
                out.add(new String(c, i + 1, close - i - 1));
                i = close + 1;
                while (i < to && c[i] == ' ') i++;
                if (i < to && c[i] != ',') throw InputException.at(source, lineNo, "line", "text after a quoted value");
                i++;
            } else {
                int end = i;
                while (end < to && c[end] != ',') end++;
                out.add(new String(c, i, end - i).strip());
                i = end + 1;
            }
        }
        return out;
    }

    private static List<String> splitOutsideQuotes(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        for (char ch : s.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) quote = 0;
                cur.append(ch);
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                cur.append(ch);
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
