package org.rnnclust.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/** float32 and float64 arrays to and from byte streams, little-endian, through a bounded buffer. */
final class LittleEndianArrays {
    private static final int CHUNK = 1 << 16;

    private LittleEndianArrays() {}

    static void write(OutputStream out, float[] data) throws IOException {
        write(out, data, 0, data.length);
    }

    /** Writes {@code data[from, from + count)}. */
    static void write(OutputStream out, float[] data, int from, int count) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, 4L * count)];
        FloatBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < count; ) {
            int n = Math.min(buf.length / 4, count - i);
            view.clear();
            view.put(data, from + i, n);
            out.write(buf, 0, 4 * n);
            i += n;
        }
    }

    /** Fills {@code dst}; false when the stream ends first. */
    static boolean read(InputStream in, float[] dst) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, 4L * dst.length)];
        FloatBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int i = 0; i < dst.length; ) {
            int n = Math.min(buf.length / 4, dst.length - i);
            if (in.readNBytes(buf, 0, 4 * n) < 4 * n) return false;
            view.clear();
            view.get(dst, i, n);
            i += n;
        }
        return true;
    }

    static void write(OutputStream out, double[] data) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, 8L * data.length)];
        DoubleBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        for (int i = 0; i < data.length; ) {
            int n = Math.min(buf.length / 8, data.length - i);
            view.clear();
            view.put(data, i, n);
            out.write(buf, 0, 8 * n);
            i += n;
        }
    }

    /** Fills {@code dst}; false when the stream ends first. */
    static boolean read(InputStream in, double[] dst) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, 8L * dst.length)];
        DoubleBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        for (int i = 0; i < dst.length; ) {
            int n = Math.min(buf.length / 8, dst.length - i);
            if (in.readNBytes(buf, 0, 8 * n) < 8 * n) return false;
            view.clear();
            view.get(dst, i, n);
            i += n;
        }
        return true;
    }
}
