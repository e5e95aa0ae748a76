package org.rnnclust;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads a test fixture written by numpy.savez from the test classpath: a zip of .npy arrays,
 * little-endian float32, float64 or int64, C order. Test code only (the production reader lives
 * in org.rnnclust.data.npy).
 */
public final class NpzFixture {
    /** An array's shape and values, widened to double. */
    public record Array(int[] shape, double[] values) {
        public float[] floats() {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return f;
        }

        public int[] ints() {
            int[] r = new int[values.length];
            for (int i = 0; i < r.length; i++) r[i] = Math.toIntExact((long) values[i]);
            return r;
        }

        public double scalar() {
            if (values.length != 1) throw new IllegalStateException("not a scalar: " + values.length + " values");
            return values[0];
        }
    }

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private final String resource;
    private final Map<String, Array> arrays;

    private NpzFixture(String resource, Map<String, Array> arrays) {
        this.resource = resource;
        this.arrays = arrays;
    }

    /** @param resource a classpath path such as "/fixtures/rnn/adam.npz" */
    public static NpzFixture load(String resource) {
        Map<String, Array> arrays = new LinkedHashMap<>();
        try (InputStream raw = NpzFixture.class.getResourceAsStream(resource)) {
            if (raw == null) throw new IllegalStateException(resource + " missing from the test classpath");
            try (ZipInputStream zip = new ZipInputStream(raw)) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    String name = e.getName();
                    if (!name.endsWith(".npy")) continue;
                    arrays.put(name.substring(0, name.length() - 4), parseNpy(name, zip.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NpzFixture(resource, arrays);
    }

    public boolean has(String key) {
        return arrays.containsKey(key);
    }

    public Set<String> keys() {
        return arrays.keySet();
    }

    public Array get(String key) {
        Array a = arrays.get(key);
        if (a == null) throw new IllegalArgumentException(resource + " has no array '" + key + "'");
        return a;
    }

    private static Array parseNpy(String name, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException(name + ": not an .npy array");
        }
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            start = 10;
        } else {
            headerLen = buf.getInt(8);
            start = 12;
        }
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, name);
        if (find(FORTRAN, header, name).equals("True")) throw new IllegalArgumentException(name + ": Fortran order");
        String dims = find(SHAPE, header, name).trim();
        int[] shape = dims.isEmpty() ? new int[0]
                : java.util.Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        long count = 1;
        for (int d : shape) count *= d;
        double[] values = new double[Math.toIntExact(count)];
        buf.position(start + headerLen);
        switch (descr) {
            case "<f4" -> { for (int i = 0; i < values.length; i++) values[i] = buf.getFloat(); }
            case "<f8" -> { for (int i = 0; i < values.length; i++) values[i] = buf.getDouble(); }
            case "<i8" -> { for (int i = 0; i < values.length; i++) values[i] = buf.getLong(); }
            case "<i4" -> { for (int i = 0; i < values.length; i++) values[i] = buf.getInt(); }
            default -> throw new IllegalArgumentException(name + ": unsupported dtype " + descr);
        }
        return new Array(shape, values);
    }

    private static String find(Pattern p, String header, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IllegalArgumentException(name + ": bad .npy header " + header);
        return m.group(1);
    }
}
