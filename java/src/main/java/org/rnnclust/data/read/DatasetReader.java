package org.rnnclust.data.read;

import java.io.IOException;
import java.io.InputStream;
import org.rnnclust.data.Dataset;

/**
 * Reads one format. Implementations throw {@link org.rnnclust.InputException} with one line naming
 * the source, the line or record, and the problem for anything malformed; they never allocate more
 * than the input's actual size justifies (a declared count is checked against the bytes present).
 */
public interface DatasetReader {
    /**
     * @param in      the (already decompressed) bytes of the file
     * @param source  the name to use in messages and as the dataset name
     */
    Dataset read(InputStream in, String source, ReadOptions options) throws IOException;
}
