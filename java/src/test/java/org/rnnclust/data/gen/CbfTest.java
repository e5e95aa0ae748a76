package org.rnnclust.data.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnnclust.testing.GeneratedData;
import org.rnnclust.data.Dataset;

class CbfTest {
    private static final int N = 3000;                      // per class
    private static final Dataset BIG = Cbf.generate(N, 128, 1);

    @Test
    void deterministicForASeed() {
        GeneratedData.assertDeterministicForASeed(seed -> Cbf.generate(20, 128, seed));
    }

    @Test
    void shapeBalanceAndShuffling() {
        Dataset d = Cbf.generate(50, 100, 3);
        assertEquals(150, d.size());
        assertEquals(1, d.channels());
        assertTrue(d.equalLength());
        assertEquals(100, d.maxLength());
        assertEquals(Cbf.LABELS, d.labelNames());
        int[] counts = new int[3];
        for (int l : d.labels()) counts[l]++;
        assertArrayEquals(new int[] {50, 50, 50}, counts);
        int[] grouped = new int[150];
        for (int i = 0; i < 150; i++) grouped[i] = i / 50;
        assertFalse(Arrays.equals(grouped, d.labels()), "classes are shuffled");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Cbf.generate(0, 128, 1));
        assertThrows(IllegalArgumentException.class, () -> Cbf.generate(10, 7, 1));
    }

    /**
     * For L = 128, t in [32, 48] is inside every window (a <= 32, b >= a + 32) and t < 16 outside
     * every window. A cylinder there is 6 + η + ε: its mean over 3000 series and 17 steps has
     * standard error ~0.02; the tolerances are ~5 of those.
     */
    @Test
    void cylinderPlateauAndBackground() {
        for (int cls = 0; cls < 3; cls++) {
            assertEquals(0.0, mean(BIG, cls, 0, 15), 0.02, "background mean, class " + cls);
            assertEquals(1.0, std(BIG, cls, 0, 15), 0.02, "background noise std, class " + cls);
        }
        assertEquals(6.0, mean(BIG, 0, 32, 48), 0.1);
        // Per-series plateau level varies with η ~ N(0,1) (plus averaged ε): std ~ sqrt(1 + 1/17).
        double[] levels = new double[N];
        int k = 0;
        for (int i = 0; i < BIG.size(); i++) {
            if (BIG.labels()[i] == 0) levels[k++] = seriesMean(BIG.series(i), 32, 48);
        }
        assertEquals(Math.sqrt(1 + 1.0 / 17), stdOf(levels), 0.05);
    }

    /**
     * On [32, 48] the average bell rises with slope E[6 / (b − a)], between 6/96 and 6/32; the
     * funnel falls as fast; the cylinder is flat.
     */
    @Test
    void bellRisesFunnelFallsCylinderFlat() {
        double cylinder = slopeOfMeanCurve(BIG, 0, 32, 48);
        double bell = slopeOfMeanCurve(BIG, 1, 32, 48);
        double funnel = slopeOfMeanCurve(BIG, 2, 32, 48);
        assertEquals(0.0, cylinder, 0.01);
        assertTrue(bell > 6.0 / 96 && bell < 6.0 / 32, "bell slope " + bell);
        assertTrue(funnel < -6.0 / 96 && funnel > -6.0 / 32, "funnel slope " + funnel);
        assertEquals(bell, -funnel, 0.01);
        // Inside the window the bell is a ramp up from 0, so on average it sits well below the plateau.
        assertTrue(mean(BIG, 1, 32, 48) < mean(BIG, 0, 32, 48) - 2);
    }

    @Test
    void windowScalesWithLength() {
        Dataset d = Cbf.generate(1000, 256, 5);
        assertEquals(6.0, mean(d, 0, 64, 96), 0.15);
        assertEquals(0.0, mean(d, 0, 0, 31), 0.05);
    }

    /** Mean over all series of class cls and steps from..to (inclusive). */
    static double mean(Dataset d, int cls, int from, int to) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.labels()[i] != cls) continue;
            for (int t = from; t <= to; t++) {
                sum += d.series(i)[t];
                count++;
            }
        }
        return sum / count;
    }

    private static double std(Dataset d, int cls, int from, int to) {
        double mu = mean(d, cls, from, to);
        double sum = 0;
        long count = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.labels()[i] != cls) continue;
            for (int t = from; t <= to; t++) {
                sum += (d.series(i)[t] - mu) * (d.series(i)[t] - mu);
                count++;
            }
        }
        return Math.sqrt(sum / count);
    }

    private static double seriesMean(float[] s, int from, int to) {
        double sum = 0;
        for (int t = from; t <= to; t++) sum += s[t];
        return sum / (to - from + 1);
    }

    private static double stdOf(double[] v) {
        double mu = Arrays.stream(v).average().orElseThrow();
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mu) * (x - mu)).sum() / v.length);
    }

    /** Least-squares slope of the class-average curve over steps from..to. */
    private static double slopeOfMeanCurve(Dataset d, int cls, int from, int to) {
        double[] y = new double[to - from + 1];
        for (int t = from; t <= to; t++) y[t - from] = mean(d, cls, t, t);
        return Slope.leastSquares(y);
    }
}
