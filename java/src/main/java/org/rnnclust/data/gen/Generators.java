package org.rnnclust.data.gen;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.rnnclust.InputException;

/**
 * Synthetic data sets by name, for the CLI: {@code NAME[:key=value,...]} with keys
 * <ul>
 *   <li>{@code n}: total number of series, a multiple of the number of classes
 *       (default 300 for cbf, 600 for synthetic-control);</li>
 *   <li>{@code length}: time steps per series (default 128 for cbf, 60 for synthetic-control);</li>
 *   <li>{@code seed}: fixes the data independently of the run's seed.</li>
 * </ul>
 * Examples: {@code cbf}, {@code cbf:n=300,length=128}, {@code synthetic-control:seed=3}.
 */
public final class Generators {
    public static final String CBF = "cbf";
    public static final String SYNTHETIC_CONTROL = "synthetic-control";
    public static final List<String> NAMES = List.of(CBF, SYNTHETIC_CONTROL);

    private static final List<String> KEYS = List.of("n", "length", "seed");

    private Generators() {}

    /** Parses a spec; unknown names, keys or bad values throw {@link InputException}. */
    public static GeneratorSpec byName(String spec) {
        String text = spec == null ? "" : spec.trim();
        int colon = text.indexOf(':');
        String name = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT).replace('_', '-');
        int classes;
        int n;
        int length;
        int minLength;
        switch (name) {
            case CBF -> {
                classes = Cbf.LABELS.size();
                n = 100 * classes;
                length = Cbf.DEFAULT_LENGTH;
                minLength = Cbf.MIN_LENGTH;
            }
            case SYNTHETIC_CONTROL -> {
                classes = SyntheticControl.LABELS.size();
                n = 100 * classes;
                length = SyntheticControl.DEFAULT_LENGTH;
                minLength = SyntheticControl.MIN_LENGTH;
            }
            default -> throw new InputException("unknown generator '" + name + "' in '" + spec + "'; known generators: "
                    + String.join(", ", NAMES));
        }

        Map<String, Long> params = parseParams(spec, colon < 0 ? "" : text.substring(colon + 1));
        OptionalLong seed = params.containsKey("seed") ? OptionalLong.of(params.get("seed")) : OptionalLong.empty();
        if (params.containsKey("n")) n = intParam(spec, "n", params.get("n"), classes);
        if (params.containsKey("length")) length = intParam(spec, "length", params.get("length"), minLength);
        if (n % classes != 0) {
            throw new InputException("generator '" + spec + "': n=" + n + " is not a multiple of the " + classes
                    + " classes of " + name);
        }
        return new GeneratorSpec(name, n, length, seed);
    }

    private static Map<String, Long> parseParams(String spec, String text) {
        Map<String, Long> params = new HashMap<>();
        if (text.isBlank()) return params;
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            String key = (eq < 0 ? part : part.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (eq < 0 || !KEYS.contains(key)) {
                throw new InputException("generator '" + spec + "': expected key=value with key one of "
                        + String.join(", ", KEYS) + ", got '" + part.trim() + "'");
            }
            String value = part.substring(eq + 1).trim();
            try {
                if (params.put(key, Long.parseLong(value)) != null) {
                    throw new InputException("generator '" + spec + "': " + key + " given twice");
                }
            } catch (NumberFormatException e) {
                throw new InputException("generator '" + spec + "': " + key + " must be an integer, got '" + value + "'");
            }
        }
        return params;
    }

    private static int intParam(String spec, String key, long value, int min) {
        if (value < min || value > Integer.MAX_VALUE) {
            throw new InputException("generator '" + spec + "': " + key + " must be between " + min + " and "
                    + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }
}
