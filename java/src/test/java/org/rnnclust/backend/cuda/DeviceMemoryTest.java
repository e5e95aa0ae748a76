package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs without a GPU: the raw-address pointers that every CUDA call in this package is handed. */
@Tag("gpu")
class DeviceMemoryTest {
    @Test
    void rawPointersCarryTheAddressTheyWereGiven() {
        // The first GPU run found these null (an anonymous subclass assigned Pointer's field to itself),
        // so every cudaMemsetAsync/cudaMemcpyAsync failed with "invalid argument".
        long address = 0x7f43_f3e0_1000L;
        Pointer p = DeviceMemory.pointerAt(address);
        assertEquals(address, p.address());
        assertEquals(0, p.position());
        assertEquals(address, DeviceMemory.floatsAt(address).address());
        assertEquals(0, DeviceMemory.floatsAt(address).position());
    }
}
