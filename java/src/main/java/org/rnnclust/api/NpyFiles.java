package org.rnnclust.api;

import java.nio.file.Path;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.io.Npy;

/** NumPy .npy output: how embeddings and outputs leave rnnclust for Python. */
public final class NpyFiles {
    private NpyFiles() {}

    /**
     * A float32 array written a piece at a time, atomically: append its values in C order, then
     * commit; closed without a commit, it leaves nothing.
     */
    public static final class RowWriter implements AutoCloseable {
        private final Npy.RowWriter writer;

        private RowWriter(Npy.RowWriter writer) {
            this.writer = writer;
        }

        /** Appends {@code values[0, count)}. */
        public void append(float[] values, int count) {
            writer.append(values, count);
        }

        /** Renames the finished file into place; refuses a file short of its shape. */
        public void commit() {
            writer.commit();
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    /** Starts writing {@code file}, a float32 array of {@code shape}, a piece at a time. */
    public static RowWriter openRows(Path file, int[] shape) {
        return new RowWriter(Npy.openRows(file, shape));
    }

    /** Starts writing {@code file}, rows of {@code rowSize} float32 values whose number the commit settles. */
    public static RowWriter openRows(Path file, int rowSize) {
        return new RowWriter(Npy.openRows(file, rowSize));
    }

    /** Writes a float32 array of {@code shape} (C order) to {@code file}. */
    public static void write(Path file, int[] shape, float[] values) {
        Npy.write(file, new NpyArray(shape, values));
    }
}
