package org.rnnclust.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A model file's bytes built in memory (no temporary file, no fsync): for tests that make thousands. */
public final class ModelFileBytes {
    private ModelFileBytes() {}

    public static byte[] encode(ObjectNode header, List<ModelFile.Tensor> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelFile.writeTo(out, header, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
