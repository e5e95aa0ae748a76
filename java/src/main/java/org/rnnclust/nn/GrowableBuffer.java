package org.rnnclust.nn;

import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * A device buffer reused across batches and reallocated only when a larger one is needed, so that
 * a training loop allocates in its first steps and then never again. Contents are not kept when it
 * grows.
 */
final class GrowableBuffer implements AutoCloseable {
    private final TensorOps ops;
    private DeviceBuffer buffer;

    GrowableBuffer(TensorOps ops) {
        this.ops = ops;
    }

    DeviceBuffer ensure(long size) {
        if (buffer == null || buffer.size() < size) {
            if (buffer != null) buffer.close();
            buffer = null;
            buffer = ops.allocate(Math.max(1, size));
        }
        return buffer;
    }

    @Override
    public void close() {
        if (buffer != null) buffer.close();
        buffer = null;
    }
}
