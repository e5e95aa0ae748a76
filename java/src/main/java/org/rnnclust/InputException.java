package org.rnnclust;

/**
 * Bad input from the user: a malformed or unreadable file, a value the chosen policy refuses,
 * a shape that does not fit. The message is one line that names the file, the record or line
 * where known, and the problem; the CLI prints it and exits with code 2.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file: line N: problem" in one place so every reader words its errors alike. */
    public static InputException at(String source, long lineOrRecord, String kind, String problem) {
        return new InputException(source + ": " + kind + " " + lineOrRecord + ": " + problem);
    }
}
