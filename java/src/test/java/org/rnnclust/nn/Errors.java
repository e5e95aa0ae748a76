package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Relative error ‖a − b‖/‖b‖, the measure the tolerances in DESIGN.md are stated in. */
final class Errors {
    private Errors() {}

    static double relative(float[] actual, double[] expected) {
        assertEquals(expected.length, actual.length, "length");
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = actual[i] - expected[i];
            diff += d * d;
            norm += expected[i] * expected[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }

    /** Asserts and returns the relative error. */
    static double check(String what, float[] actual, double[] expected, double tolerance) {
        double e = relative(actual, expected);
        assertTrue(e <= tolerance, what + ": relative error " + e + " > " + tolerance);
        return e;
    }
}
