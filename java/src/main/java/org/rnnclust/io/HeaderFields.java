package org.rnnclust.io;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed, range-checked reads of a model file's JSON header fields. Each throws
 * IllegalArgumentException naming the field and what is wrong with it; the model readers turn
 * that into one line naming the file.
 */
public final class HeaderFields {
    private HeaderFields() {}

    /** The field {@code name} of {@code parent}, which must be there. */
    public static JsonNode field(JsonNode parent, String name) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null) throw new IllegalArgumentException("'" + name + "' is missing");
        return n;
    }

    /** A string field. */
    public static String text(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isTextual()) throw new IllegalArgumentException("'" + name + "' is not a string");
        return n.asText();
    }

    /** A true/false field. */
    public static boolean bool(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isBoolean()) throw new IllegalArgumentException("'" + name + "' is not true or false");
        return n.booleanValue();
    }

    /** An integer field in [min, max]; a fraction, a string or an out-of-range number is refused. */
    public static int integer(JsonNode parent, String name, int min, int max) {
        JsonNode n = field(parent, name);
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw new IllegalArgumentException("'" + name + "' is " + n + ", not an integer in [" + min + ", " + max + "]");
        }
        return n.intValue();
    }

    /** An integer field in [1, max]. */
    public static int count(JsonNode parent, String name, int max) {
        return integer(parent, name, 1, max);
    }

    /** A finite number. */
    public static double number(JsonNode parent, String name) {
        JsonNode n = field(parent, name);
        if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw new IllegalArgumentException("'" + name + "' is " + n + ", not a finite number");
        }
        return n.doubleValue();
    }

    /** A list of {@code expected} integers, each in [min, max]. */
    public static java.util.List<Integer> integers(JsonNode parent, String name, int expected, int min, int max) {
        JsonNode array = field(parent, name);
        if (!array.isArray() || array.size() != expected) {
            throw new IllegalArgumentException("'" + name + "' is not a list of " + expected + " integers");
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (JsonNode v : array) {
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                throw new IllegalArgumentException("'" + name + "' holds " + v + ", not an integer in [" + min + ", "
                        + max + "]");
            }
            out.add(v.intValue());
        }
        return out;
    }

    /** A list of {@code expected} finite numbers. */
    public static double[] doubles(JsonNode parent, String name, int expected) {
        JsonNode array = field(parent, name);
        if (!array.isArray() || array.size() != expected) {
            throw new IllegalArgumentException("'" + name + "' is not a list of " + expected + " numbers");
        }
        double[] out = new double[expected];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw new IllegalArgumentException("'" + name + "' holds " + v + ", not a finite number");
            }
            out[i] = v.doubleValue();
        }
        return out;
    }
}
