package org.rnnclust.backend.cpu;

import org.rnnclust.backend.DeviceScalars;

/** {@link DeviceScalars} on the CPU: a plain array, read and written in place. */
final class CpuScalars extends DeviceScalars {
    final double[] values;

    CpuScalars(CpuOps owner, int size) {
        super(owner, size);
        this.values = new double[size];
    }

    @Override
    protected void free() {}
}
