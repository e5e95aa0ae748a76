package org.rnnclust.backend.cuda;

/**
 * Encodes a kernel's arguments into the 8-byte slots cuLaunchKernel reads them from, after checking
 * them against the kernel's signature string (see {@link RnnKernels}): {@code i} Integer (low 4
 * bytes), {@code l} Long, {@code f} Float (its bits, low 4 bytes), {@code d} Double (its bits), {@code p} Long holding a device
 * address (0 for null). A wrong count or type is a bug in the launching code, and fails here.
 */
final class KernelArgs {
    private KernelArgs() {}

    static long[] encode(String kernel, String signature, Object... args) {
        if (args.length != signature.length()) {
            throw new IllegalArgumentException(kernel + " takes " + signature.length() + " arguments (" + signature
                    + "), got " + args.length);
        }
        long[] slots = new long[args.length];
        for (int i = 0; i < args.length; i++) {
            char t = signature.charAt(i);
            Object a = args[i];
            boolean ok = switch (t) {
                case 'i' -> a instanceof Integer;
                case 'l', 'p' -> a instanceof Long;
                case 'f' -> a instanceof Float;
                case 'd' -> a instanceof Double;
                default -> throw new IllegalArgumentException(kernel + ": unknown type '" + t + "' in " + signature);
            };
            if (!ok) {
                throw new IllegalArgumentException(kernel + " argument " + i + " must be " + describe(t) + ", got "
                        + (a == null ? "null" : a.getClass().getSimpleName()));
            }
            slots[i] = switch (t) {
                case 'i' -> (Integer) a & 0xffffffffL;
                case 'f' -> Float.floatToRawIntBits((Float) a) & 0xffffffffL;
                case 'd' -> Double.doubleToRawLongBits((Double) a);
                default -> (Long) a;
            };
        }
        return slots;
    }

    private static String describe(char t) {
        return switch (t) {
            case 'i' -> "an int";
            case 'l' -> "a long";
            case 'f' -> "a float";
            case 'd' -> "a double";
            default -> "a device address (long)";
        };
    }
}
