package org.rnnclust.data.read;

import java.nio.file.Path;

/**
 * What a reader needs beyond the file itself.
 *
 * @param format       reader to use; {@link Format#AUTO} picks it from the file name
 * @param labelsFile   a second file holding the labels (IDX labels, NPY labels), or null
 * @param labelColumn  CSV: the label column, by header name or 0-based index; null for none
 * @param header       CSV: whether the first row is a header; null to detect it
 * @param layout       NPY: how a three-dimensional array holds its sequences
 */
public record ReadOptions(Format format, Path labelsFile, String labelColumn, Boolean header, NpyLayout layout) {
    public ReadOptions {
        if (layout == null) layout = NpyLayout.NTC;
    }

    /** The options in rnnclust's own .npy layout, (N, T, C). */
    public ReadOptions(Format format, Path labelsFile, String labelColumn, Boolean header) {
        this(format, labelsFile, labelColumn, header, NpyLayout.NTC);
    }

    public static ReadOptions defaults() {
        return new ReadOptions(Format.AUTO, null, null, null);
    }

    public ReadOptions withFormat(Format f) {
        return new ReadOptions(f, labelsFile, labelColumn, header, layout);
    }

    public ReadOptions withLabelsFile(Path p) {
        return new ReadOptions(format, p, labelColumn, header, layout);
    }

    public ReadOptions withLayout(NpyLayout l) {
        return new ReadOptions(format, labelsFile, labelColumn, header, l);
    }
}
