package org.rnnclust.cli;

import java.util.function.Function;
import java.util.function.Supplier;
import org.rnnclust.InputException;

/** Turns the library's rejection of a setting into bad input naming the flag. */
final class Flags {
    private Flags() {}

    /** {@code parser} applied to a flag's text; a refusal is one line naming the flag. */
    static <T> T parse(String flag, String text, Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InputException(flag + ": " + e.getMessage());
        }
    }

    /** Builds settings from flags; a refusal is one line, the library's, naming the setting in words. */
    static <T> T build(Supplier<T> settings) {
        try {
            return settings.get();
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }
}
