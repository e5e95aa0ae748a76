package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;

/** {@link TensorOps#repeat} on the CPU against the copies it replaces, and its argument checks. */
class RepeatTest {
    @Test
    void repeatEqualsOneCopyPerStep() {
        try (CpuOps ops = new CpuOps(1); DeviceBuffer src = ops.allocate(9); DeviceBuffer a = ops.allocate(40);
             DeviceBuffer b = ops.allocate(40)) {
            float[] v = new float[9];
            for (int i = 0; i < v.length; i++) v[i] = 0.5f * i - 1;
            ops.upload(v, src);
            ops.repeat(5, 7, src, 2, a, 3);
            for (int t = 0; t < 5; t++) ops.copy(src, 2, b, 3 + t * 7L, 7);
            assertArrayEquals(ops.toHost(b), ops.toHost(a));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.repeat(6, 7, src, 2, a, 0));
            assertThrows(IllegalArgumentException.class, () -> ops.repeat(2, 7, a, 0, a, 3));
        }
    }
}
