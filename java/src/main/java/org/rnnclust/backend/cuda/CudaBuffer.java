package org.rnnclust.backend.cuda;

import org.rnnclust.backend.DeviceBuffer;

/** A {@link DeviceBuffer} in GPU memory, allocated by one {@link CudaTensorOps}. */
final class CudaBuffer implements DeviceBuffer {
    final CudaTensorOps owner;
    private final DeviceMemory memory;
    private final long size;
    private boolean closed;

    CudaBuffer(CudaTensorOps owner, long size) {
        this.owner = owner;
        this.size = size;
        // Device memory of at least one float, so that an empty buffer still has an address.
        this.memory = new DeviceMemory(Math.max(1, size) * Float.BYTES, "tensor of " + size + " floats");
    }

    @Override
    public long size() {
        return size;
    }

    boolean isClosed() {
        return closed;
    }

    /** Device address of element {@code off}. */
    long address(long off) {
        return memory.address() + off * Float.BYTES;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        memory.close();
    }

    @Override
    public String toString() {
        return "CudaBuffer[" + size + " floats" + (closed ? ", closed" : "") + "]";
    }
}
