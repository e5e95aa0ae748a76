package org.rnnclust.backend.cuda;

import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.Setting;

/**
 * The GPU ran out of memory. An input problem, not a bug: the message says how much was asked for,
 * how much was free, and which settings lower the need. Whatever had been allocated for the failed
 * operation is freed before this is thrown, so the context stays usable.
 */
public final class CudaOutOfMemoryException extends InsufficientMemoryException {
    public CudaOutOfMemoryException(String message, Setting... settings) {
        super(message, settings);
    }
}
