package org.rnnclust.data.read;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.io.input.CloseShieldInputStream;
import org.rnnclust.InputException;

/**
 * The decompressed bytes of gzip data: every member of a concatenation in turn (what
 * {@code cat a.gz b.gz} makes, and what gzip itself reads), and anything after the last member
 * refused, where {@link java.util.zip.GZIPInputStream} would drop it without a word. It reads
 * from a stream, never seeking, so a pipe works.
 *
 * <p>A member is decompressed by Apache Commons Compress, which leaves the underlying stream at the
 * member's end; what follows is then the end, the magic bytes of another member, or refused. A
 * damaged or truncated member is an {@link InputException} naming the source; a failure of the
 * underlying stream itself passes as the IOException it was.
 */
final class GzipInput extends FilterInputStream {
    private final BufferedInputStream raw;
    private final String source;
    private boolean ended;

    private GzipInput(BufferedInputStream raw, String source) throws IOException {
        super(null);
        this.raw = raw;
        this.source = source;
        this.in = member();
    }

    /** Decompresses {@code raw}, which starts with the gzip magic bytes and supports mark/reset. */
    static InputStream of(BufferedInputStream raw, String source) throws IOException {
        return new GzipInput(raw, source);
    }

    /** Whether {@code in} starts with the gzip magic bytes; leaves it where it was. */
    static boolean startsWithMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (!ended) {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                throw translated(e);
            }
            if (n >= 0) return n;
            in.close();  // frees the member's inflater; the shield keeps raw open
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 < 0) {
                ended = true;
            } else if (b0 == 0x1f && b1 == 0x8b) {
                in = member();
            } else {
                throw new InputException(source + ": data after the end of the gzip data (not another gzip member)");
            }
        }
        return -1;
    }

    /** A gzip member starting here, its header read. */
    private InputStream member() throws IOException {
        try {
            return new GzipCompressorInputStream(CloseShieldInputStream.wrap(new Underlying(raw)));
        } catch (IOException e) {
            throw translated(e);
        }
    }

    /**
     * A failure of the gzip data as an InputException (thrown); one of the underlying stream as
     * the IOException it was (returned, for the caller to throw).
     */
    private IOException translated(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Underlying.Failure f) return f.original();
        }
        if (e instanceof EOFException) throw new InputException(source + ": truncated gzip data", e);
        throw new InputException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
    }

    /** Marks the failures of the stream under the gzip data, so that they are not taken for corrupt data. */
    private static final class Underlying extends FilterInputStream {
        static final class Failure extends IOException {
            private final IOException original;

            Failure(IOException original) {
                super(original);
                this.original = original;
            }

            IOException original() {
                return original;
            }
        }

        Underlying(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }
    }
}
