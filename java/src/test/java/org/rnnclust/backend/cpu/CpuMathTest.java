package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float tanh and sigmoid against Math.tanh / the exact logistic function in double. */
class CpuMathTest {
    @Test
    void tanhWithinFourTenthsOfAMillionthEverywhere() {
        double worst = 0;
        double worstRelativeNearZero = 0;
        for (float x = -20f; x <= 20f; x += 1.37e-4f) {
            double err = Math.abs(CpuMath.tanh(x) - Math.tanh(x));
            worst = Math.max(worst, err);
            if (Math.abs(x) < 0.1f && x != 0f) worstRelativeNearZero = Math.max(worstRelativeNearZero, err / Math.abs(Math.tanh(x)));
        }
        assertTrue(worst < 4.5e-7, "max |error| " + worst);
        assertTrue(worstRelativeNearZero < 4.5e-7, "max relative error near 0 " + worstRelativeNearZero);
        assertEquals(0f, CpuMath.tanh(0f));
        assertEquals(1f, CpuMath.tanh(1e30f), 5e-7f);
        assertEquals(-1f, CpuMath.tanh(Float.NEGATIVE_INFINITY), 5e-7f);
        assertTrue(Float.isNaN(CpuMath.tanh(Float.NaN)));
        for (float x = 1e-30f; x < 1e-3f; x *= 3.1f) assertEquals(x, CpuMath.tanh(x), 1e-6f * x, "tiny x " + x);
    }

    @Test
    void tanhIsOddAndMonotone() {
        float prev = CpuMath.tanh(-12f);
        for (float x = -12f; x <= 12f; x += 1e-3f) {
            float t = CpuMath.tanh(x);
            assertEquals(-t, CpuMath.tanh(-x));
            assertTrue(t >= prev - 8e-7f, "tanh dips at " + x);  // rounding may dip by up to twice the error
            prev = t;
        }
    }

    @Test
    void sigmoidWithinTwoTenthsOfAMillionth() {
        double worst = 0;
        for (float x = -40f; x <= 40f; x += 2.71e-4f) {
            worst = Math.max(worst, Math.abs(CpuMath.sigmoid(x) - 1.0 / (1.0 + Math.exp(-x))));
        }
        assertTrue(worst < 2.5e-7, "max |error| " + worst);
        assertEquals(0.5f, CpuMath.sigmoid(0f));
    }
}
