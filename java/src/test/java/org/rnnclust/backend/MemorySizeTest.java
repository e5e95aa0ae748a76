package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;

/** Memory sizes as users write them, against the byte counts they mean. */
class MemorySizeTest {
    @Test
    void sizesParseAsUsersWriteThem() {
        assertEquals(64L << 20, MemorySize.parse("device memory", "64M"));
        assertEquals(2L << 30, MemorySize.parse("device memory", "2G"));
        assertEquals(2L << 30, MemorySize.parse("device memory", "2GiB"));
        assertEquals(1536L << 20, MemorySize.parse("device memory", "1.5g"));
        assertEquals(4096, MemorySize.parse("device memory", "4096"));
        assertEquals("64M", MemorySize.format(64L << 20));
        for (String bad : new String[] {"", "-1G", "abc", "0", "12Q"}) {
            InputException e = assertThrows(InputException.class, () -> MemorySize.parse("device memory", bad));
            assertTrue(e.getMessage().startsWith("device memory"), e.getMessage());
        }
    }
}
