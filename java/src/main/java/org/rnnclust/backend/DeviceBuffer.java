package org.rnnclust.backend;

/**
 * A float32 array in a device's memory, allocated by a {@link TensorOps} and usable only with the
 * ops object that allocated it. Ops address it as (buffer, element offset), the way a kernel takes
 * a pointer. Closing frees the memory; a closed buffer must not be used again.
 */
public interface DeviceBuffer extends AutoCloseable {
    /** Length in floats. */
    long size();

    @Override
    void close();
}
