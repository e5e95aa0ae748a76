package org.rnnclust.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.rnnclust.InputException;

/**
 * The characters of a text data file, as every text reader (UCR, .ts, CSV) gets them: decoded as
 * UTF-8, a leading byte-order mark dropped (an editor's mark must not become part of the first
 * label), a NUL character refused (binary data or a file of zeros is not text), and each line's
 * length capped so that one endless line cannot take the heap: see {@link ReadLimits}.
 * Lines end at {@code \n}, {@code \r\n} or {@code \r}. (CSV, whose quoted fields may span lines,
 * caps its records instead: {@link RecordCap}.)
 */
final class TextInput extends Reader {
    static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Reader decoded;
    private final String source;
    private final ReadLimits limits;
    private final long maxLine;
    private boolean started;
    private boolean afterCarriageReturn;
    private long line = 1;
    private long lineLength;

    private TextInput(InputStream in, String source, ReadLimits limits, long maxLine) {
        this.decoded = new InputStreamReader(in, StandardCharsets.UTF_8);
        this.source = source;
        this.limits = limits;
        this.maxLine = maxLine;
    }

    /** Text whose lines may hold {@link ReadLimits#lineChars} characters. */
    static TextInput lines(InputStream in, String source, ReadLimits limits) {
        return new TextInput(in, source, limits, limits.lineChars());
    }

    /** Text of any line length, for a reader that caps something else (CSV: its records). */
    static TextInput uncapped(InputStream in, String source, ReadLimits limits) {
        return new TextInput(in, source, limits, Long.MAX_VALUE);
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = decoded.read(buf, off, len);
        if (!started && n > 0) {
            started = true;
            if (buf[off] == BYTE_ORDER_MARK) {
                System.arraycopy(buf, off + 1, buf, off, n - 1);
                if (--n == 0) return read(buf, off, len);
            }
        }
        for (int i = off; i < off + n; i++) count(buf[i]);
        return n;
    }

    private void count(char c) {
        if (c == '\n' || c == '\r') {
            if (c == '\r' || !afterCarriageReturn) line++;
            afterCarriageReturn = c == '\r';
            lineLength = 0;
            return;
        }
        afterCarriageReturn = false;
        if (c == 0) throw InputException.at(source, line, "line", "a NUL character: binary data, not text");
        if (++lineLength > maxLine) throw limits.lineTooLong(source + ": line " + line, "a line", maxLine);
    }

    @Override
    public void close() throws IOException {
        decoded.close();
    }
}
