package org.rnnclust.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.rnnclust.InputException;

/**
 * Plain CSV: one univariate sequence per row, all rows the same length (variable-length data
 * belongs in .ts). Fields are separated by commas, or by ';' or tab when the first line has no
 * comma. An optional header row, and an optional label column chosen by header name or 0-based
 * index (negative counts from the end, -1 = last).
 *
 * <p>The fields are split by Apache Commons CSV: a field in double quotes may hold the separator,
 * a line break or a doubled quote; lines may end in LF, CRLF or CR. Spaces around a field, quoted
 * or not, are dropped, and blank lines are skipped. Errors name the line a record starts on. A
 * record may hold at most {@link ReadLimits#csvLineChars} characters.
 *
 * <p>With {@code header == null} the first row is a header when one of its fields, other than the
 * label column, is neither a number nor a missing value. A header of numbers alone is therefore
 * read as data unless the header is requested explicitly.
 *
 * <p>Each record is a whole sequence, so a file streams in one pass (see {@link TextReader}): the
 * whole-file read, the read in chunks and the reservoir sample all take their records from
 * {@link #parse}. A long layout (one value per row, grouped by a sequence id) is not read.
 */
final class CsvReader extends TextReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    /** Characters of the first line looked at to choose the separator. */
    private static final int SEPARATOR_LOOKAHEAD = 1 << 20;

    @Override
    void parse(SourceStream input, ReadOptions options, DataBudget budget, Cases cases) throws IOException {
        String source = input.name();
        BufferedReader buffered = new BufferedReader(TextInput.uncapped(input.in(), source, input.limits()), 1 << 16);
        char separator = separator(buffered);
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(separator)
                .setIgnoreEmptyLines(false)  // skipped below, so that the parser's line count stays the file's
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .get();
        String labelSpec = options.labelColumn() == null ? null : options.labelColumn().strip();
        int width = -1;           // fields per row, from the first row
        int labelCol = -1;
        boolean started = false;
        RecordCap text = new RecordCap(buffered, source, input.limits());
        try (CSVParser parser = format.parse(text)) {
            Iterator<CSVRecord> records = parser.iterator();
            while (true) {
                long lineNo = parser.getCurrentLineNumber() + 1;  // where the next record starts
                text.startRecord(lineNo);
                CSVRecord record = next(records, source, lineNo);
                if (record == null) break;
                String[] fields = record.values();
                if (isBlankLine(fields, separator)) continue;
                if (width < 0) {
                    width = fields.length;
                    Integer index = labelSpec != null && INTEGER.matcher(labelSpec).matches()
                            ? labelIndex(labelSpec, width, source) : null;
                    boolean header = isHeader(fields, index, labelSpec, options.header(), source);
                    if (labelSpec != null) labelCol = index != null ? index : columnByName(fields, labelSpec, source);
                    if (width - (labelCol >= 0 ? 1 : 0) == 0) {
                        throw new InputException(source + ": no value columns besides the label column");
                    }
                    if (header) continue;
                }
                if (fields.length != width) {
                    throw InputException.at(source, lineNo, "line", "expected " + width + " fields, found " + fields.length);
                }
                int valueCount = width - (labelCol >= 0 ? 1 : 0);
                if (budget != null) budget.sequence(valueCount, labelCol >= 0 ? 2L * fields[labelCol].length() : 0, lineNo);
                float[] values = new float[valueCount];
                for (int k = 0, v = 0; k < width; k++) {
                    if (k == labelCol) continue;
                    values[v++] = Values.parse(fields[k], source, lineNo, k + 1);
                }
                if (labelCol >= 0 && fields[labelCol].isEmpty()) {
                    throw InputException.at(source, lineNo, "line", "field " + (labelCol + 1) + ": empty label");
                }
                if (!started) {
                    started = true;
                    cases.start(new Layout(1, valueCount, labelCol >= 0, null));
                }
                cases.accept(values, labelCol >= 0 ? fields[labelCol] : null, lineNo);
            }
        }
        if (!started) throw new InputException(source + ": no data");
    }

    /**
     * The next record, or null at the end. Malformed quoting becomes an InputException at the
     * record's line; a failure of the stream itself (a corrupt gzip, say) stays an IOException.
     */
    private static CSVRecord next(Iterator<CSVRecord> records, String source, long lineNo) throws IOException {
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException e) {  // how the parser's iterator reports any IOException
            if (e.getCause() instanceof CSVException bad) {
                // the parser's own words, less its "(startline N)": the line is named already
                String why = bad.getMessage().replaceFirst("^\\(startline \\d+\\) ", "").replaceAll("[\\r\\n]+", " ");
                throw InputException.at(source, lineNo, "line", "bad quoting: " + why);
            }
            throw e.getCause();
        }
    }

    /**
     * Whether the fields came from a line of spaces: one empty field, or with tab as the separator
     * (itself a space) nothing but empty fields.
     */
    private static boolean isBlankLine(String[] fields, char separator) {
        if (fields.length > 1 && separator != '\t') return false;
        for (String f : fields) if (!f.isEmpty()) return false;
        return true;
    }

    /**
     * ',' unless the first non-blank line has none and has a ';' (then ';') or a tab (then tab).
     * Leaves {@code text} where it was.
     */
    private static char separator(BufferedReader text) throws IOException {
        text.mark(SEPARATOR_LOOKAHEAD);
        boolean semicolon = false;
        boolean tab = false;
        boolean blank = true;
        for (int i = 0; i < SEPARATOR_LOOKAHEAD; i++) {
            int c = text.read();
            if (c < 0 || ((c == '\n' || c == '\r') && !blank)) break;
            if (c == ',') {
                semicolon = tab = false;
                break;
            }
            if (c == '\n' || c == '\r') {  // a blank line: look at the next one
                semicolon = tab = false;
                continue;
            }
            semicolon |= c == ';';
            tab |= c == '\t';
            blank &= Character.isWhitespace(c);
        }
        text.reset();
        return semicolon ? ';' : tab ? '\t' : ',';
    }

    private static int labelIndex(String spec, int width, String source) {
        long resolved;
        try {
            long k = Long.parseLong(spec);
            resolved = k < 0 ? width + k : k;
        } catch (NumberFormatException e) {  // more digits than a long holds
            resolved = -1;
        }
        if (resolved < 0 || resolved >= width) {
            throw new InputException(source + ": label column " + spec + " is out of range for rows of " + width + " fields");
        }
        return (int) resolved;
    }

    private static boolean isHeader(String[] first, Integer labelCol, String labelSpec, Boolean declared, String source) {
        boolean byName = labelSpec != null && labelCol == null;
        if (declared != null) {
            if (byName && !declared) {
                throw new InputException(source + ": label column '" + labelSpec + "' is given by name but the file has no header");
            }
            return declared;
        }
        if (byName) return true;
        for (int k = 0; k < first.length; k++) {
            if (labelCol != null && k == labelCol) continue;
            if (!Values.isMissing(first[k]) && !Values.isNumber(first[k])) return true;
        }
        return false;
    }

    /** Only reached with a header row: a label column by name implies one. */
    private static int columnByName(String[] header, String name, String source) {
        for (int k = 0; k < header.length; k++) if (header[k].equals(name)) return k;
        throw new InputException(source + ": no column named '" + Values.shorten(name) + "' in the header");
    }
}
