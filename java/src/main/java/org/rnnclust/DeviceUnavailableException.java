package org.rnnclust;

/**
 * The requested device cannot be used: no GPU, no driver, a CUDA library that does not load, or a
 * device index that does not exist. The CLI exits with code 3, so batch scripts can tell a node
 * without a working GPU from bad input.
 */
public class DeviceUnavailableException extends InputException {
    public DeviceUnavailableException(String message, Throwable cause, Setting... settings) {
        super(message, cause, settings);
    }
}
