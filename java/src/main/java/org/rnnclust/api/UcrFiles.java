package org.rnnclust.api;

import java.nio.file.Path;
import org.rnnclust.data.Dataset;
import org.rnnclust.io.UcrWriter;

/** Data sets written in the UCR archive's text format, which the UCR reader and other tools take back. */
public final class UcrFiles {
    private UcrFiles() {}

    /**
     * Writes a labelled univariate data set to {@code file} (gzip when its name ends in .gz): the
     * class number 1..k, then the values; all or nothing.
     */
    public static void write(Path file, Dataset data) {
        UcrWriter.write(file, data);
    }
}
