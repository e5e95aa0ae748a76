package org.rnnclust.data.read;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyInput;

/**
 * Sequences of an uncompressed, C-order {@code .npy} of shape (N, T) or (N, T, C) read where they
 * lie in the file, in any order: for a reader that draws rows from anywhere in a file larger than
 * the heap (streamed mini-batch k-means takes each batch from a fresh shuffle of all the rows, as
 * in memory). A gzip file or a Fortran-order array cannot be read this way: {@link #openIfSeekable}
 * then answers null, and such a file is read front to back.
 */
public final class NpyRows implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final NpyInput npy;
    private final int count;
    private final int steps;
    private final int channels;
    private final int rowBytes;
    private final long dataStart;

    private NpyRows(Path file, FileChannel channel, NpyInput npy, int[] shape) {
        this.file = file;
        this.channel = channel;
        this.npy = npy;
        this.count = shape[0];
        this.steps = shape[1];
        this.channels = shape.length == 3 ? shape[2] : 1;
        this.rowBytes = Math.multiplyExact(steps * channels, npy.elementSize());
        this.dataStart = npy.dataStart();
    }

    /**
     * The file's rows, or null when it is not a regular file (a pipe), gzipped, or in Fortran order:
     * then its rows are not where a seek would find them.
     *
     * @throws InputException naming the file for a header that is not a supported (N, T[, C]) array,
     *                        or data shorter or longer than it declares
     */
    public static NpyRows openIfSeekable(Path file) {
        if (!Files.isRegularFile(file)) return null;
        try {
            try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                if (GzipInput.startsWithMagic(in)) return null;
            }
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                // The header through a stream on the channel; left open: closing it would close the channel.
                InputStream header = Channels.newInputStream(channel);
                NpyInput npy = NpyInput.open(header, file.toString(), channel.size());
                if (npy.fortranOrder()) {
                    channel.close();
                    return null;
                }
                return new NpyRows(file, channel, npy, NpyReader.sequenceShape(npy, file.toString()));
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public int count() {
        return count;
    }

    public int steps() {
        return steps;
    }

    public int channels() {
        return channels;
    }

    /** The sequences at {@code rows} (indices from 0, best ascending: fewer seeks), in that order, unlabelled. */
    public Dataset read(int[] rows) {
        int rowSize = steps * channels;
        float[][] series = new float[rows.length][];
        byte[] bytes = new byte[rowBytes];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= count) throw new IndexOutOfBoundsException("row " + rows[i] + " of " + count);
            readFully(bytes, rows[i], 1);
            series[i] = new float[rowSize];
            npy.decodeFloat32(bytes, rowSize, series[i], 0, NpyInput.InexactIntegers.ROUND);
        }
        return Dataset.unlabelled(file.toString(), series, channels);
    }

    /** The {@code count} sequences from index {@code from}, in one read, unlabelled, numbered as in the file. */
    public Dataset readRange(int from, int count) {
        if (from < 0 || count < 0 || (long) from + count > this.count) {
            throw new IndexOutOfBoundsException("rows " + from + " to " + ((long) from + count) + " of " + this.count);
        }
        int rowSize = steps * channels;
        byte[] bytes = new byte[Math.multiplyExact(count, rowBytes)];
        readFully(bytes, from, count);
        float[] values = new float[Math.multiplyExact(count, rowSize)];
        npy.decodeFloat32(bytes, values.length, values, 0, NpyInput.InexactIntegers.ROUND);
        float[][] series = new float[count][];
        for (int i = 0; i < count; i++) series[i] = java.util.Arrays.copyOfRange(values, i * rowSize, (i + 1) * rowSize);
        return Dataset.unlabelled(file.toString(), series, channels).asRecordsFrom(from);
    }

    /** The bytes of {@code rows} rows from row {@code from} into {@code bytes}. */
    private void readFully(byte[] bytes, int from, int rows) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, Math.multiplyExact(rows, rowBytes));
        long at = dataStart + (long) from * rowBytes;
        try {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, at + buffer.position()) < 0) {
                    throw new InputException(file + ": truncated since it was opened (row " + (from + 1)
                            + (rows > 1 ? " to " + (from + rows) : "") + ")");
                }
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
