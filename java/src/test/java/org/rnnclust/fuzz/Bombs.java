package org.rnnclust.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Compressed bombs, made fast: small files that expand to gigabytes. Compressing gigabytes for
 * each try would take seconds, so a bomb is a concatenation of gzip members, one small member for
 * its start (a valid header, a first line) and then the same {@link #UNIT}-byte member of repeated
 * content as often as wanted; gzip reads a concatenation as one stream. The repeated members are
 * compressed once and kept.
 *
 * <p>For zip entries, which cannot be concatenated that way, {@link #deflated} builds one raw
 * deflate stream the same way: segments compressed independently and ended with a sync flush (so
 * they join at byte boundaries and refer to nothing before them), then an empty final block.
 */
public final class Bombs {
    /** Decompressed bytes of one repeated member. */
    public static final int UNIT = 16 << 20;

    private static final Map<String, byte[]> GZIP_UNITS = new ConcurrentHashMap<>();
    private static final Map<String, byte[]> DEFLATE_UNITS = new ConcurrentHashMap<>();

    private Bombs() {}

    /**
     * gzip data of {@code start} followed by {@code units} × {@link #UNIT} bytes of
     * {@code repeated} (its UTF-8 bytes over and over; "" for zero bytes).
     */
    public static byte[] gzip(byte[] start, String repeated, int units) {
        byte[] unit = GZIP_UNITS.computeIfAbsent(repeated, r -> gzipMember(content(r)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(unit.length * units + start.length + 64);
        if (start.length > 0) out.writeBytes(gzipMember(start));
        for (int i = 0; i < units; i++) out.writeBytes(unit);
        return out.toByteArray();
    }

    /**
     * A raw deflate stream (what a zip entry holds) of {@code start} followed by {@code units} ×
     * {@link #UNIT} zero bytes.
     */
    public static byte[] deflated(byte[] start, int units) {
        byte[] unit = DEFLATE_UNITS.computeIfAbsent("", r -> deflateSegment(new byte[UNIT], false));
        ByteArrayOutputStream out = new ByteArrayOutputStream(unit.length * units + start.length + 64);
        out.writeBytes(deflateSegment(start, false));
        for (int i = 0; i < units; i++) out.writeBytes(unit);
        out.writeBytes(deflateSegment(new byte[0], true));
        return out.toByteArray();
    }

    /** {@link #UNIT} bytes of {@code repeated} over and over, or zeros for "". */
    private static byte[] content(String repeated) {
        byte[] c = new byte[UNIT];
        byte[] r = repeated.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; r.length > 0 && i < c.length; i++) c[i] = r[i % r.length];
        return c;
    }

    private static byte[] gzipMember(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code content} deflated on its own, ended by a sync flush, or as the final block. */
    private static byte[] deflateSegment(byte[] content, boolean last) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            d.setInput(content);
            if (last) d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (true) {
                int n = last ? d.deflate(buf) : d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                out.write(buf, 0, n);
                if (last ? d.finished() : n < buf.length && d.needsInput()) break;
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
