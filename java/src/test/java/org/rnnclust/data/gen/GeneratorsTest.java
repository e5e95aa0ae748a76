package org.rnnclust.data.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;

class GeneratorsTest {

    @Test
    void defaults() {
        assertEquals(new GeneratorSpec("cbf", 300, 128, OptionalLong.empty()), Generators.byName("cbf"));
        assertEquals(new GeneratorSpec("synthetic-control", 600, 60, OptionalLong.empty()),
                Generators.byName("synthetic-control"));
        assertEquals("synthetic-control", Generators.byName(" Synthetic_Control ").name());
    }

    @Test
    void parameters() {
        GeneratorSpec spec = Generators.byName("cbf:n=30, length=64,seed=5");
        assertEquals(new GeneratorSpec("cbf", 30, 64, OptionalLong.of(5)), spec);
        assertEquals(spec, Generators.byName(spec.toString()));
        Dataset d = spec.generate(99);
        assertEquals(30, d.size());
        assertEquals(64, d.maxLength());
        // The spec's seed wins over the run seed; without one the run seed is used.
        assertArrayEquals(Cbf.generate(10, 64, 5).series(0), d.series(0));
        Dataset s = Generators.byName("synthetic-control:n=12").generate(4);
        assertArrayEquals(SyntheticControl.generate(2, 60, 4).series(3), s.series(3));
    }

    @Test
    void errorsNameWhatIsWrong() {
        InputException e = assertThrows(InputException.class, () -> Generators.byName("sine"));
        assertTrue(e.getMessage().contains("cbf") && e.getMessage().contains("synthetic-control"), e.getMessage());
        assertThrows(InputException.class, () -> Generators.byName(""));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n=301"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n=0"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:length=4"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n=3x"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:size=3"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n=3,n=6"));
        assertThrows(InputException.class, () -> Generators.byName("cbf:n=3,"));
    }
}
