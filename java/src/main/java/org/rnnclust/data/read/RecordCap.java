package org.rnnclust.data.read;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Caps the characters of one CSV record, whose quoted fields may span lines, at
 * {@link ReadLimits#csvLineChars}. The CSV reader marks each record's start ({@link #startRecord});
 * the count runs from there over what the parser takes, including the few thousand characters it
 * buffers ahead, which the cap can afford.
 */
final class RecordCap extends FilterReader {
    private final String source;
    private final ReadLimits limits;
    private final long max;
    private long run;
    private long recordLine = 1;

    RecordCap(Reader in, String source, ReadLimits limits) {
        super(in);
        this.source = source;
        this.limits = limits;
        this.max = limits.csvLineChars();
    }

    /** A record starts at line {@code lineNo}: the count starts again. */
    void startRecord(long lineNo) {
        run = 0;
        recordLine = lineNo;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) counted(1);
        return c;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) counted(n);
        return n;
    }

    private void counted(int n) {
        run += n;
        if (run > max) throw limits.lineTooLong(source + ": line " + recordLine, "a record", max);
    }
}
