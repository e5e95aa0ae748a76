package org.rnnclust.data.read;

import java.io.IOException;
import org.rnnclust.data.Dataset;

/**
 * Reads one format. Implementations throw {@link org.rnnclust.InputException} with one line naming
 * the source, the line or record, and the problem for anything malformed. They check what they
 * allocate against the input's {@link ReadLimits} before allocating it, and never trust a declared
 * count for more than that: a declared size that fits the limits is still allocated only as the
 * bytes arrive, so a short file declaring much fails as truncated without the memory.
 */
interface DatasetReader {
    Dataset read(SourceStream input, ReadOptions options) throws IOException;
}
