package org.rnnclust;

/**
 * Work stopped because its caller asked it to (a cancel hook, a signal) at a safe point: between
 * two optimizer steps, with the last checkpoint intact. Not an error in the input.
 */
public class CancelledException extends RuntimeException {
    public CancelledException(String message) {
        super(message);
    }
}
