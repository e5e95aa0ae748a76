package org.rnnclust.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.LongFunction;
import org.rnnclust.data.Dataset;

/** Checks that a generator of labelled data is a function of its seed. */
public final class GeneratedData {
    private GeneratedData() {}

    /** The same seed gives the same labels and series; another seed other series. */
    public static void assertDeterministicForASeed(LongFunction<Dataset> generate) {
        Dataset a = generate.apply(7);
        Dataset b = generate.apply(7);
        Dataset c = generate.apply(8);
        assertArrayEquals(a.labels(), b.labels());
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.series(i), b.series(i));
            differs |= !Arrays.equals(a.series(i), c.series(i));
        }
        assertTrue(differs, "another seed gave the same series");
    }
}
