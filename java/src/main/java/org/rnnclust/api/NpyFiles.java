package org.rnnclust.api;

import java.nio.file.Path;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/** NumPy .npy output: how embeddings and outputs leave rnnclust for Python. */
public final class NpyFiles {
    private NpyFiles() {}

    /** Writes a float32 array of {@code shape} (C order) to {@code file}. */
    public static void write(Path file, int[] shape, float[] values) {
        Npy.write(file, new NpyArray(shape, values));
    }
}
