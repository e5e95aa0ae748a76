package org.rnnclust;

/**
 * The work needs more memory than this process can have: the Java heap, native memory or the GPU.
 * The message names what needed how much, how much there was, and what to lower (the settings) or
 * to raise (the heap); the CLI exits with code 4. Thrown before the allocation where the need can
 * be computed, so nothing has been half-done.
 */
public class InsufficientMemoryException extends InputException {
    public InsufficientMemoryException(String message, Setting... settings) {
        super(message, settings);
    }

    public InsufficientMemoryException(String message, Throwable cause, Setting... settings) {
        super(message, cause, settings);
    }
}
