package org.rnnclust.data.read;

import java.io.InputStream;

/**
 * One opened input, as a reader gets it.
 *
 * @param in     the bytes, already decompressed
 * @param name   the file as the user gave it, for messages and as the dataset's name
 * @param size   how many bytes {@code in} holds when that is known before reading (an uncompressed
 *               regular file), else -1 (gzip data, a pipe)
 * @param limits how much of the heap the read may take
 */
record SourceStream(InputStream in, String name, long size, ReadLimits limits) {
    /** A new tally of the memory this read's sequences take. */
    DataBudget budget() {
        return new DataBudget(limits, name);
    }
}
