package org.rnnclust.data.read;

import java.nio.file.Path;

/**
 * What a reader needs beyond the file itself.
 *
 * @param format       reader to use; {@link Format#AUTO} picks it from the file name
 * @param labelsFile   a second file holding the labels (IDX labels, NPY labels), or null
 * @param labelColumn  CSV: the label column, by header name or 0-based index; null for none
 * @param header       CSV: whether the first row is a header; null to detect it
 */
public record ReadOptions(Format format, Path labelsFile, String labelColumn, Boolean header) {
    public static ReadOptions defaults() {
        return new ReadOptions(Format.AUTO, null, null, null);
    }

    public ReadOptions withFormat(Format f) {
        return new ReadOptions(f, labelsFile, labelColumn, header);
    }

    public ReadOptions withLabelsFile(Path p) {
        return new ReadOptions(format, p, labelColumn, header);
    }
}
