package org.rnnclust;

import java.util.List;

/**
 * Bad input from the user: a malformed or unreadable file, a value the chosen policy refuses,
 * a shape that does not fit, settings under which the work cannot succeed. The message is one
 * line that names the file, the record or line where known, and the problem; the CLI prints it,
 * with the flags of {@link #settings()}, and exits with code 2.
 */
public class InputException extends RuntimeException {
    private final List<Setting> settings;

    public InputException(String message) {
        this(message, (Throwable) null);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
        this.settings = List.of();
    }

    /** A problem that changing {@code settings} can solve (the message says how, in words). */
    public InputException(String message, Setting... settings) {
        this(message, null, settings);
    }

    public InputException(String message, Throwable cause, Setting... settings) {
        super(message, cause);
        this.settings = List.of(settings);
    }

    /** The settings the message asks the user to change, in the order it names them; often empty. */
    public List<Setting> settings() {
        return settings;
    }

    /** "file: line N: problem" in one place so every reader words its errors alike. */
    public static InputException at(String source, long lineOrRecord, String kind, String problem) {
        return new InputException(source + ": " + kind + " " + lineOrRecord + ": " + problem);
    }
}
