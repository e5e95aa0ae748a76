package org.rnnclust.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 */
final class UcrReader implements DatasetReader {
    private enum Separator { TAB, COMMA, WHITESPACE }

    @Override
    public Dataset read(InputStream in, String source, ReadOptions options) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<float[]> series = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Values.Row row = new Values.Row();
        Separator separator = null;
        long lineNo = 0;
        for (String line; (line = lines.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            if (separator == null) separator = detect(line);
            String[] fields = split(line, separator);
            String label = fields[0].trim();
            if (label.isEmpty()) throw InputException.at(source, lineNo, "line", "empty class label in field 1");
            row.clear();
            for (int k = 1; k < fields.length; k++) {
                row.add(Values.parse(fields[k].trim(), source, lineNo, k + 1));
            }
            int length = row.size();
            while (length > 0 && Float.isNaN(row.get(length - 1))) length--;
            if (length == 0) throw InputException.at(source, lineNo, "line", "no values after the class label");
            series.add(row.toArray(length));
            labels.add(label);
        }
        if (series.isEmpty()) throw new InputException(source + ": no data");
        Labels.Indexed indexed = Labels.index(labels);
        return new Dataset(source, series.toArray(float[][]::new), 1, indexed.labels(), indexed.names());
    }

    private static Separator detect(String line) {
        if (line.indexOf('\t') >= 0) return Separator.TAB;
        if (line.indexOf(',') >= 0) return Separator.COMMA;
        return Separator.WHITESPACE;
    }

    private static String[] split(String line, Separator separator) {
        return switch (separator) {
            case TAB -> line.split("\t", -1);
            case COMMA -> line.split(",", -1);
            case WHITESPACE -> line.trim().split("\\s+");
        };
    }
}
