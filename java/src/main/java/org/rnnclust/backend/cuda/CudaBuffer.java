package org.rnnclust.backend.cuda;

import org.rnnclust.backend.OwnedBuffer;

/** A {@link org.rnnclust.backend.DeviceBuffer} in GPU memory, allocated by one {@link CudaTensorOps}. */
final class CudaBuffer extends OwnedBuffer {
    private final DeviceMemory memory;

    CudaBuffer(CudaTensorOps owner, long size) {
        super(owner, size);
        // Device memory of at least one float, so that an empty buffer still has an address.
        this.memory = new DeviceMemory(Math.max(1, size) * Float.BYTES, "tensor of " + size + " floats");
    }

    /** Device address of element {@code off}. */
    long address(long off) {
        return memory.address() + off * Float.BYTES;
    }

    @Override
    protected void free() {
        memory.close();
    }
}
