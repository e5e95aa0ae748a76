package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;

/** More CPU threads than cores are capped at the cores: extra threads only cost memory and switching. */
class ThreadCapTest {
    @Test
    void threadsBeyondTheCoresAreCapped() {
        int cores = Runtime.getRuntime().availableProcessors();
        try (Backend b = Backends.open("cpu", 10_000)) {
            assertEquals(cores, ((CpuBackend) b).threads());
        }
        try (Backend b = Backends.open("cpu", 1)) {
            assertEquals(1, ((CpuBackend) b).threads());
        }
        try (Backend b = Backends.open("cpu", 0)) {
            assertEquals(cores, ((CpuBackend) b).threads(), "0 means all cores");
        }
    }
}
