package org.rnnclust.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ‖got − want‖ / ‖want‖ in double (‖got − want‖ when want is all zeros), and its assertion. */
public final class RelativeError {
    private RelativeError() {}

    public static double of(float[] got, float[] want) {
        assertEquals(want.length, got.length, "length");
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            double d = (double) got[i] - want[i];
            num += d * d;
            den += (double) want[i] * want[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    public static double of(float[] got, double[] want) {
        assertEquals(want.length, got.length, "length");
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            double d = got[i] - want[i];
            num += d * d;
            den += want[i] * want[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /** Asserts that the relative error is at most {@code tolerance} and returns it. */
    public static double check(String what, float[] got, double[] want, double tolerance) {
        double e = of(got, want);
        assertTrue(e <= tolerance, what + ": relative error " + e + " > " + tolerance);
        return e;
    }
}
