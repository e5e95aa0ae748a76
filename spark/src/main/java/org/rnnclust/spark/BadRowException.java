package org.rnnclust.spark;

import org.rnnclust.InputException;

/** A row that cannot be read as a sequence: the message names its id and the problem. */
public final class BadRowException extends InputException {
    private static final long serialVersionUID = 1L;

    BadRowException(String id, String problem) {
        super("row id=" + id + ": " + problem);
    }
}
