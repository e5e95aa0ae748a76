package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The float tanh and sigmoid against Math.tanh / the exact logistic function in double, and against
 * kernels/cell_math.h, the definition the native library and the CUDA kernels compile.
 */
class CpuMathTest {
    /**
     * The header's tanh_r has this Java's constants in this Java's order: the clamp, 1/81, P5..P0
     * in Horner order, Q3..Q1 and Q's leading 1 (a literal per number, signs included).
     */
    @Test
    void coefficientsAreThoseOfTheCellMathHeader() throws IOException {
        Path header = Path.of("kernels", "cell_math.h");
        assumeTrue(Files.isRegularFile(header), header + " not found from " + Path.of("").toAbsolutePath());
        String text = Files.readString(header);
        int start = text.indexOf("float tanh_r(float x) {");
        assertTrue(start >= 0, "no tanh_r in " + header);
        String body = text.substring(start, text.indexOf("\n}", start));
        List<Float> literals = new ArrayList<>();
        Matcher m = Pattern.compile("-?\\d+\\.\\d+(?:e[-+]\\d+)?f").matcher(body);
        while (m.find()) literals.add(Float.parseFloat(m.group()));
        float c = CpuMath.CLAMP;
        assertEquals(List.of(-c, -c, c, c, 1f, c * c, CpuMath.P5, CpuMath.P4, CpuMath.P3, CpuMath.P2, CpuMath.P1,
                CpuMath.P0, CpuMath.Q3, CpuMath.Q2, CpuMath.Q1, 1f), literals);
        assertEquals(1f / (c * c), CpuMath.INV_CLAMP_SQ);
    }

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
