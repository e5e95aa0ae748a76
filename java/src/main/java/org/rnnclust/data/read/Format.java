package org.rnnclust.data.read;

/** The file formats rnnclust reads. Every one may also be gzip-compressed. */
public enum Format {
    /** Chosen from the file name (after stripping .gz). */
    AUTO,
    /** UCR archive: label first, then values; tab-separated (.tsv) or comma-separated (.txt/.csv). */
    UCR,
    /** sktime/UEA .ts with @ header keywords. */
    TS,
    /** IDX (MNIST): an image becomes a rows-step sequence of cols features. */
    IDX,
    /** CSV: one sequence per row, optional header and label column. */
    CSV,
    /** NumPy .npy, float32/float64, shape [N,T] or [N,T,C]. */
    NPY,
    /** Weka ARFF as the UCR/UEA archive ships it: numeric steps, or one relational attribute (UEA). */
    ARFF
}
