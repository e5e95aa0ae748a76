package org.rnnclust.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.rnnclust.InputException;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.npy.NpyFormat;
import org.rnnclust.data.npy.NpyInput;
import org.rnnclust.data.read.InputFile;

/**
 * NumPy {@code .npy} files of weights and embeddings, the way arrays move between PyTorch and
 * rnnclust. Writing produces {@code <f4} in C order, what {@code numpy.save} writes for a float32
 * array. Reading goes through {@link NpyInput} and refuses integers that float32 cannot hold
 * exactly, so that a weight never changes on the way in.
 */
public final class Npy {
    private static final int CHUNK = 1 << 16;

    private Npy() {}

    /** Writes {@code array} as a version 1.0 (2.0 for a header over 64 KiB) {@code .npy}; does not close {@code out}. */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        out.write(NpyFormat.float32Header(array.shape()));
        LittleEndianArrays.write(out, array.data());
    }

    /** Writes {@code array} to {@code file} atomically. */
    public static void write(Path file, NpyArray array) {
        AtomicFile.write(file, out -> write(out, array));
    }

    /**
     * A float32 {@code .npy} of a known shape written as its values arrive, atomically: the header
     * first, then {@link #append}ed pieces in C order; {@link #commit} checks that the shape is
     * full and renames the file into place. Closed without a commit (a failure on the way), it
     * leaves nothing, and a previous file stays as it was.
     */
    public static final class RowWriter implements AutoCloseable {
        private final Path file;
        private final AtomicFile.Pending pending;
        private final long total;
        /** With an unknown row count: the size of a row, and the header's size to patch; else 0. */
        private final int rowSize;
        private final int headerBytes;
        private long written;

        private RowWriter(Path file, int[] shape, boolean rowsKnown) {
            long n = 1;
            for (int d : shape) n *= d;
            this.file = file;
            this.total = rowsKnown ? n : Long.MAX_VALUE;
            this.rowSize = rowsKnown ? 0 : shape[1];
            byte[] header = NpyFormat.float32Header(shape);
            this.headerBytes = header.length;
            this.pending = AtomicFile.Pending.open(file);
            try {
                pending.out.write(header);
            } catch (IOException e) {
                pending.close();
                throw FileErrors.cannotWrite(file, e);
            }
        }

        /** Appends {@code values[0, count)}. */
        public void append(float[] values, int count) {
            if (written + count > total) {
                throw new IllegalStateException(file + ": more than the " + total + " values of the shape");
            }
            try {
                LittleEndianArrays.write(pending.out, values, 0, count);
            } catch (IOException e) {
                throw FileErrors.cannotWrite(file, e);
            }
            written += count;
        }

        /** Renames the finished file into place (with an unknown row count, its header written first). */
        public void commit() {
            if (rowSize > 0) {
                if (written % rowSize != 0) {
                    throw new IllegalStateException(file + ": " + written + " values are not whole rows of " + rowSize);
                }
                pending.overwrite(0, NpyFormat.float32Header(new int[] {(int) (written / rowSize), rowSize}, headerBytes));
                pending.commit();
                return;
            }
            if (written != total) {
                throw new IllegalStateException(file + ": " + written + " values written of the " + total + " of the shape");
            }
            pending.commit();
        }

        @Override
        public void close() {
            pending.close();
        }
    }

    /** Starts writing {@code file}, a float32 array of {@code shape}, a piece at a time. */
    public static RowWriter openRows(Path file, int[] shape) {
        return new RowWriter(file, shape, true);
    }

    /**
     * Starts writing {@code file}, a float32 array of rows of {@code rowSize} values whose number is
     * known only at the end: the header is written for the largest count and patched in place, to
     * the same size, when the file is committed.
     */
    public static RowWriter openRows(Path file, int rowSize) {
        if (rowSize < 1) throw new IllegalArgumentException("row size must be >= 1, got " + rowSize);
        return new RowWriter(file, new int[] {Integer.MAX_VALUE, rowSize}, false);
    }

    /**
     * Reads one array; the stream must end where the data end.
     *
     * @param source names the data in error messages (a file, or "file.npz: entry x.npy")
     * @throws InputException for anything but a well-formed .npy of a supported dtype
     * @throws IOException when the stream itself fails
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        return NpyInput.open(in, source).readFloat32(NpyInput.InexactIntegers.REFUSE);
    }

    /** Reads an {@code .npy} file, or the bytes of one from a pipe ({@link InputFile}). */
    public static NpyArray read(Path file) {
        try (InputStream in = new BufferedInputStream(InputFile.open(file), CHUNK)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw FileErrors.cannotRead(file, e);
        }
    }
}
