package org.rnnclust.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

/**
 * Plain CSV: one univariate sequence per row, all rows the same length (variable-length data
 * belongs in .ts). Fields are separated by commas, or by ';' or tab when the first line has no
 * comma. An optional header row, and an optional label column chosen by header name or 0-based
 * index (negative counts from the end, -1 = last).
 *
 * <p>With {@code header == null} the first row is a header when one of its fields, other than the
 * label column, is neither a number nor a missing value. A header of numbers alone is therefore
 * read as data unless the header is requested explicitly.
 */
final class CsvReader implements DatasetReader {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    @Override
    public Dataset read(InputStream in, String source, ReadOptions options) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<float[]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        String labelSpec = options.labelColumn() == null ? null : options.labelColumn().strip();
        char separator = 0;
        int width = -1;           // fields per row, from the first row
        int labelCol = -1;
        long lineNo = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            if (separator == 0) {
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);  // byte-order mark
                separator = line.indexOf(',') < 0 && line.indexOf(';') >= 0 ? ';'
                        : line.indexOf(',') < 0 && line.indexOf('\t') >= 0 ? '\t' : ',';
            }
            String[] fields = split(line, separator);
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
            float[] values = new float[width - (labelCol >= 0 ? 1 : 0)];
            for (int k = 0, v = 0; k < width; k++) {
                if (k == labelCol) continue;
                values[v++] = Values.parse(fields[k], source, lineNo, k + 1);
            }
            if (labelCol >= 0) {
                if (fields[labelCol].isEmpty()) {
                    throw InputException.at(source, lineNo, "line", "field " + (labelCol + 1) + ": empty label");
                }
                labels.add(fields[labelCol]);
            }
            series.add(values);
        }
        if (series.isEmpty()) throw new InputException(source + ": no data");
        float[][] all = series.toArray(float[][]::new);
        if (labelCol < 0) return Dataset.unlabelled(source, all, 1);
        Labels.Indexed indexed = Labels.index(labels);
        return new Dataset(source, all, 1, indexed.labels(), indexed.names());
    }

    /** Fields trimmed and stripped of surrounding double quotes (no quoted separators in numeric data). */
    private static String[] split(String line, char separator) {
        // ',', ';' and tab are not regex metacharacters, so split takes its fast path
        String[] fields = line.split(String.valueOf(separator), -1);
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i].strip();
            if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) f = f.substring(1, f.length() - 1).strip();
            fields[i] = f;
        }
        return fields;
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
