package org.rnnclust.backend;

import java.util.Locale;
import org.rnnclust.InputException;

/** Byte sizes as users write them: 512M, 2G, 64k, 1.5G or a plain number of bytes (powers of 1024). */
public final class MemorySize {
    private MemorySize() {}

    /**
     * The bytes {@code text} means.
     *
     * @param what names the value in the error message (the command line passes its flag)
     * @throws InputException when {@code text} is not a positive size
     */
    public static long parse(String what, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) t = t.substring(0, t.length() - 1);
        long unit = 1;
        char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            case 'T' -> unit = 1L << 40;
            default -> { }
        }
        if (unit != 1) t = t.substring(0, t.length() - 1);
        try {
            double v = Double.parseDouble(t);
            if (!(v > 0) || v * unit > Long.MAX_VALUE) throw new NumberFormatException();
            return (long) (v * unit);
        } catch (NumberFormatException e) {
            throw new InputException(what + " " + text + ": expected a size such as 512M, 2G or 1048576");
        }
    }

    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) return (bytes >> 30) + "G";
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) return (bytes >> 20) + "M";
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.2fG", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1fM", bytes / (double) (1L << 20));
        return bytes + " bytes";
    }
}
