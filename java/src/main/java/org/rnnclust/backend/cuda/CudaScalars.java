package org.rnnclust.backend.cuda;

import org.rnnclust.backend.DeviceScalars;

/** {@link DeviceScalars} in GPU memory, allocated by one {@link CudaTensorOps}. */
final class CudaScalars extends DeviceScalars {
    private final DeviceMemory memory;

    CudaScalars(CudaTensorOps owner, int size) {
        super(owner, size);
        this.memory = new DeviceMemory(Math.max(1, size) * (long) Double.BYTES, size + " device scalars");
    }

    /** Device address of double {@code slot}. */
    long address(int slot) {
        return memory.address() + (long) slot * Double.BYTES;
    }

    @Override
    protected void free() {
        memory.close();
    }
}
