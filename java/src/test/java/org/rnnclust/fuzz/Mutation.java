package org.rnnclust.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One change to a valid file's bytes, the way real files go bad: bit rot, a cut-off download, an
 * editor that inserted or lost something, a header with absurd sizes, text in the wrong encoding.
 * Positions are fractions of the current length so that a mutation applies to any file, and a
 * mutation prints as what it does, so a failure message says how the file was broken.
 *
 * @param kind   what to do
 * @param where  position, as a fraction in [0, 1) of the current length
 * @param extent a second fraction: how much to delete or copy, which bit to flip
 * @param number an interesting integer for the size fields of binary headers
 * @param token  text to insert for the text formats
 */
public record Mutation(Kind kind, double where, double extent, int number, String token) {
    public enum Kind {
        FLIP_BIT, TRUNCATE, INSERT_RANDOM, DELETE, DUPLICATE, INT_BIG_ENDIAN, INT_LITTLE_ENDIAN,
        INSERT_TOKEN, REPLACE_WITH_TOKEN, LONG_LINE, EMPTY_LINES, NON_UTF8
    }

    /** Sizes and magic numbers that break naive header parsing. */
    static final int[] NUMBERS = {0, 1, 2, 3, -1, 7, 28, 255, 256, 784, 60000, 0xffff, 0x10000, 1 << 24, 1 << 30,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x08030000, 0x00000801, 0x0d03, 0x4e4e5200};

    /** Text that the readers must either accept or refuse with a clear line. */
    static final List<String> TOKENS = List.of(
            "NaN", "nan", "-NaN", "Inf", "-Infinity", "inf", "1e39", "-3.5e38", "1e-50", "?", "NA", "\n", "\n\n\n",
            "\r\n", "\r", "\t", ",", ",,", ":", "::", ";", " ", "@data\n", "@dimensions 1000000\n",
            "@seriesLength 2147483647\n", "@dimensions 0\n", "@classLabel true a b\n", "@classLabel false\n",
            "@univariate false\n", "@equalLength true\n", "@timeStamps true\n", "@targetLabel true\n", "#", "\"", "'",
            "0x1p3", "1d", "--1", "1e", "e5", ".", "-", "+", "9999999999999999999999", "\uFEFF", "\u00e9\u4e2d",
            "(2147483647, 2147483647)", "(0,)", "(-1, 3)", "(1000000000, 1000000000, 1000000000)", "()",
            "'descr': '<f8'", "'descr': '<c16'", "'descr': 'O'", "'fortran_order': True", "'shape': (99999999999,)",
            "{", "}", "[", "]", "null", "true", "1e400", "-0", "\"data_length\": 9223372036854775807",
            "\"shape\": [2147483647, 2147483647]", "\"offset\": -64", "\"kind\": \"rnnclust-model\"",
            "18446744073709551615", "\u0000");

    /** Applies this mutation to {@code in}, returning new bytes. */
    public byte[] apply(byte[] in) {
        int n = in.length;
        int at = (int) (where * n);
        switch (kind) {
            case FLIP_BIT -> {
                if (n == 0) return in;
                byte[] out = in.clone();
                out[Math.min(at, n - 1)] ^= (byte) (1 << ((int) (extent * 8) & 7));
                return out;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(in, at);
            }
            case INSERT_RANDOM -> {
                byte[] junk = new byte[1 + (int) (extent * 16)];
                long x = Double.doubleToLongBits(where) ^ number;
                for (int i = 0; i < junk.length; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                    junk[i] = (byte) (x >>> 56);
                }
                return splice(in, at, 0, junk);
            }
            case DELETE -> {
                if (at >= n) return in;
                return splice(in, at, Math.min(n - at, (int) (extent * (n - at) / 4) + 1), new byte[0]);
            }
            case DUPLICATE -> {
                int len = Math.min(n - at, 1 + (int) (extent * 256));
                return splice(in, at, 0, Arrays.copyOfRange(in, at, at + len));
            }
            case INT_BIG_ENDIAN, INT_LITTLE_ENDIAN -> {
                if (n < 4) return in;
                // header fields sit near the start: aim at the first 64 bytes most of the time
                int pos = extent < 0.7 ? (int) (where * Math.min(n - 3, 64)) : Math.min(at, n - 4);
                byte[] out = in.clone();
                ByteBuffer.wrap(out).order(kind == Kind.INT_BIG_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
                        .putInt(pos, number);
                return out;
            }
            case INSERT_TOKEN -> {
                return splice(in, at, 0, token.getBytes(StandardCharsets.UTF_8));
            }
            case REPLACE_WITH_TOKEN -> {
                return splice(in, at, Math.min(n - at, 1 + (int) (extent * 12)), token.getBytes(StandardCharsets.UTF_8));
            }
            case LONG_LINE -> {
                // 20k to 200k characters without a line break
                int len = 20_000 + (int) (extent * 180_000);
                byte[] line = new byte[len];
                byte[] unit = (number % 2 == 0 ? "1.5," : "x").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < len; i++) line[i] = unit[i % unit.length];
                return splice(in, at, 0, line);
            }
            case EMPTY_LINES -> {
                return splice(in, at, 0, "\n\n  \n\t\n".getBytes(StandardCharsets.US_ASCII));
            }
            case NON_UTF8 -> {
                return splice(in, at, 0, new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3, (byte) 0x28, (byte) 0x80});
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private static byte[] splice(byte[] in, int at, int remove, byte[] insert) {
        byte[] out = new byte[in.length - remove + insert.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(in, at + remove, out, at + insert.length, in.length - at - remove);
        return out;
    }

    /** Applies every mutation in turn. */
    public static byte[] applyAll(List<Mutation> mutations, byte[] in) {
        byte[] out = in;
        for (Mutation m : mutations) out = m.apply(out);
        return out;
    }

    /** How often each kind is drawn, in the order of {@link Kind}: header and text damage most. */
    private static final int[] WEIGHTS = {4, 2, 2, 2, 1, 3, 3, 4, 3, 1, 1, 1};
    private static final int TOTAL_WEIGHT = Arrays.stream(WEIGHTS).sum();

    /** One mutation of any kind. */
    public static Mutation random(SplittableRandom r) {
        int pick = r.nextInt(TOTAL_WEIGHT);
        int k = 0;
        while (pick >= WEIGHTS[k]) pick -= WEIGHTS[k++];
        int number = r.nextBoolean() ? NUMBERS[r.nextInt(NUMBERS.length)] : r.nextInt();
        return new Mutation(Kind.values()[k], fraction(r), fraction(r), number, TOKENS.get(r.nextInt(TOKENS.size())));
    }

    /** Between {@code min} and {@code max} mutations. */
    public static List<Mutation> random(SplittableRandom r, int min, int max) {
        int n = r.nextInt(min, max + 1);
        List<Mutation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(random(r));
        return out;
    }

    /** One to three mutations: each try breaks a valid file in a few places at most. */
    public static List<Mutation> some(SplittableRandom r) {
        return random(r, 1, 3);
    }

    /**
     * A fraction in [0, 1) with six decimals (readable in a failure message); one time in ten the
     * very start or the very end, where off-by-one errors live.
     */
    private static double fraction(SplittableRandom r) {
        if (r.nextInt(10) == 0) return r.nextBoolean() ? 0 : 0.999999;
        return r.nextInt(1_000_000) / 1e6;
    }

    /** What the mutation does, with only the parameters its kind uses. */
    @Override
    public String toString() {
        String t = token.length() > 20 ? token.substring(0, 20) + "..." : token;
        String at = kind + "@" + where;
        return switch (kind) {
            case TRUNCATE, EMPTY_LINES, NON_UTF8 -> at;
            case FLIP_BIT, DELETE, DUPLICATE -> at + "/" + extent;
            case INSERT_RANDOM, INT_BIG_ENDIAN, INT_LITTLE_ENDIAN, LONG_LINE -> at + "/" + extent + " #" + number;
            case INSERT_TOKEN -> at + " '" + escape(t) + "'";
            case REPLACE_WITH_TOKEN -> at + "/" + extent + " '" + escape(t) + "'";
        };
    }

    private static String escape(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\u0000", "\\0");
    }
}
