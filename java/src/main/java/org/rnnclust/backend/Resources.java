package org.rnnclust.backend;

/**
 * Closing several native resources in one {@code close()}: every one is closed even when an
 * earlier one fails (a sticky CUDA error surfaces at the first free and must not leak the rest),
 * and the first failure is thrown afterwards, with any later ones attached as suppressed.
 */
public final class Resources {
    private Resources() {}

    /**
     * Closes each non-null resource, in order. A checked exception from a close is thrown wrapped
     * in an {@link IllegalStateException}.
     */
    public static void closeAll(AutoCloseable... resources) {
        Exception first = null;
        for (AutoCloseable r : resources) {
            if (r == null) continue;
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first instanceof RuntimeException e) throw e;
        if (first != null) throw new IllegalStateException(first);
    }
}
