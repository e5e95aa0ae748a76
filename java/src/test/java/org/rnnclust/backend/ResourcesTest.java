package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** closeAll closes everything, in order, and reports the first failure with the later ones attached. */
class ResourcesTest {
    @Test
    void everyResourceIsClosedAndTheFirstFailureIsThrown() {
        List<String> closed = new ArrayList<>();
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Resources.closeAll(
                () -> closed.add("a"),
                () -> {
                    closed.add("b");
                    throw first;
                },
                null,
                () -> {
                    closed.add("c");
                    throw second;
                },
                () -> closed.add("d")));
        assertSame(first, thrown);
        assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
        assertEquals(List.of("a", "b", "c", "d"), closed);
    }

    @Test
    void aCheckedFailureIsWrapped() {
        IOException io = new IOException("disk");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Resources.closeAll(() -> {
            throw io;
        }));
        assertSame(io, e.getCause());
    }

    @Test
    void nothingToCloseIsFine() {
        Resources.closeAll();
        Resources.closeAll((AutoCloseable) null);
    }
}
