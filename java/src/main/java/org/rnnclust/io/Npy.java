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
