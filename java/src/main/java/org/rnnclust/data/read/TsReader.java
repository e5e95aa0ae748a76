package org.rnnclust.data.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.LabelIndex;

/**
 * sktime/UEA {@code .ts} files: {@code #} comments, {@code @key value} header lines, then
 * {@code @data} and one case per line. A case holds its dimensions separated by {@code :} and the
 * values of one dimension separated by {@code ,}; with {@code @classLabel true} the last
 * {@code :} field is the label. {@code ?} is a missing value. Header keys and their true/false
 * values are case-insensitive.
 */
final class TsReader implements DatasetReader {

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
    public Dataset read(InputStream in, String source, ReadOptions options) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Header header = new Header();
        List<float[]> series = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int dims = -1;         // from the header, or from the first case when it does not say
        int firstLength = -1;
        long lineNo = 0;
        for (String raw; (raw = lines.readLine()) != null; ) {
            lineNo++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (!header.data) {
                if (!line.startsWith("@")) {
                    throw InputException.at(source, lineNo, "line", "data before the @data line");
                }
                headerLine(line, header, source, lineNo);
                continue;
            }
            if (line.startsWith("@")) {
                throw InputException.at(source, lineNo, "line", "header key after @data: '" + Values.shorten(line) + "'");
            }
            String[] fields = line.split(":", -1);
            int valueFields = fields.length - (header.labelled ? 1 : 0);
            if (dims < 0) dims = declaredDimensions(header, source, lineNo);
            if (dims < 0) dims = Math.max(valueFields, 1);
            if (valueFields != dims) {
                throw InputException.at(source, lineNo, "line", "expected " + dims + " dimension" + (dims == 1 ? "" : "s")
                        + (header.labelled ? " and a class label" : "") + ", found " + fields.length + " ':'-separated field"
                        + (fields.length == 1 ? "" : "s"));
            }
            float[] values = caseValues(fields, dims, source, lineNo);
            int length = values.length / dims;
            if (Boolean.TRUE.equals(header.equalLength)) {
                if (header.seriesLength != null && length != header.seriesLength) {
                    throw InputException.at(source, lineNo, "line", "series length " + length
                            + " differs from @seriesLength " + header.seriesLength);
                }
                if (firstLength >= 0 && length != firstLength) {
                    throw InputException.at(source, lineNo, "line", "series length " + length
                            + " differs from the first case's " + firstLength + " under @equalLength true");
                }
            }
            if (firstLength < 0) firstLength = length;
            series.add(values);
            if (header.labelled) {
                String label = fields[fields.length - 1].strip();
                if (!header.classes.contains(label)) {
                    throw InputException.at(source, lineNo, "line", "class label '" + Values.shorten(label)
                            + "' is not among the declared @classLabel values");
                }
                labels.add(header.classes.indexOf(label));
            }
        }
        if (!header.data) throw new InputException(source + ": no @data line");
        if (series.isEmpty()) throw new InputException(source + ": no data after @data");
        float[][] all = series.toArray(float[][]::new);
        if (!header.labelled) return Dataset.unlabelled(source, all, dims);
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(source, all, dims, labelArray, header.classes.names());
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

    /** The values of one case, time-major; every dimension must have the same length. */
    private static float[] caseValues(String[] fields, int dims, String source, long lineNo) {
        String[][] perDim = new String[dims][];
        for (int d = 0; d < dims; d++) {
            if (fields[d].isBlank()) {
                throw InputException.at(source, lineNo, "line", "dimension " + (d + 1) + " has no values");
            }
            perDim[d] = fields[d].split(",", -1);
            if (perDim[d].length != perDim[0].length) {
                throw InputException.at(source, lineNo, "line", "dimensions differ in length: dimension 1 has "
                        + perDim[0].length + " values, dimension " + (d + 1) + " has " + perDim[d].length);
            }
        }
        int length = perDim[0].length;
        float[] values = new float[length * dims];
        for (int d = 0; d < dims; d++) {
            for (int t = 0; t < length; t++) {
                values[t * dims + d] = Values.parse(perDim[d][t].strip(), source, lineNo, d + 1, t + 1);
            }
        }
        return values;
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
