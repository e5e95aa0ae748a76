package org.rnnclust.data.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnclust.testing.GeneratedData;
import org.rnnclust.data.Dataset;

class SyntheticControlTest {
    private static final int N = 2000;       // per class
    private static final int L = 60;
    private static final Dataset BIG = SyntheticControl.generate(N, L, 1);

    private static final int NORMAL = 0, CYCLIC = 1, INCREASING = 2, DECREASING = 3, UPWARD = 4, DOWNWARD = 5;

    @Test
    void deterministicForASeed() {
        GeneratedData.assertDeterministicForASeed(seed -> SyntheticControl.generate(10, L, seed));
    }

    @Test
    void shapeAndBalance() {
        Dataset d = SyntheticControl.generate(25, 40, 2);
        assertEquals(150, d.size());
        assertEquals(1, d.channels());
        assertEquals(40, d.minLength());
        assertEquals(40, d.maxLength());
        assertEquals(SyntheticControl.LABELS, d.labelNames());
        int[] counts = new int[6];
        for (int l : d.labels()) counts[l]++;
        assertArrayEquals(new int[] {25, 25, 25, 25, 25, 25}, counts);
        assertThrows(IllegalArgumentException.class, () -> SyntheticControl.generate(0, L, 1));
        assertThrows(IllegalArgumentException.class, () -> SyntheticControl.generate(1, 2, 1));
    }

    /** r·s with r ~ U[-3, 3], s = 2: variance 4 · 6²/12 = 12. */
    @Test
    void normalIsLevel30WithUniformNoise() {
        double sum = 0, sq = 0;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        long count = 0;
        for (int i = 0; i < BIG.size(); i++) {
            if (BIG.labels()[i] != NORMAL) continue;
            for (float v : BIG.series(i)) {
                sum += v;
                sq += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
                count++;
            }
        }
        double mean = sum / count;
        assertEquals(30.0, mean, 0.05);
        assertEquals(Math.sqrt(12), Math.sqrt(sq / count - mean * mean), 0.03);
        assertTrue(min >= 24 - 1e-4 && max <= 36 + 1e-4, "range [" + min + ", " + max + "]");
    }

    /** Slope g ~ U[0.2, 0.5] (mean 0.35); per-series noise on the fitted slope is ~0.03. */
    @Test
    void trendsHaveTheRightSlope() {
        assertEquals(0.35, meanSlope(INCREASING), 0.02);
        assertEquals(-0.35, meanSlope(DECREASING), 0.02);
        assertEquals(0.0, meanSlope(NORMAL), 0.01);
        double minIncreasing = Double.POSITIVE_INFINITY;
        for (int i = 0; i < BIG.size(); i++) {
            if (BIG.labels()[i] == INCREASING) minIncreasing = Math.min(minIncreasing, Slope.leastSquares(BIG.series(i)));
        }
        assertTrue(minIncreasing > 0.05, "every increasing series rises, min slope " + minIncreasing);
    }

    /** t3 <= 2L/3, so the last sixth is always shifted and the first sixth never: the gap is x ~ U[7.5, 20]. */
    @Test
    void shiftsHaveTheRightSize() {
        assertEquals(13.75, meanGap(UPWARD), 0.3);
        assertEquals(-13.75, meanGap(DOWNWARD), 0.3);
        assertEquals(0.0, meanGap(NORMAL), 0.2);
    }

    /** T ~ U[10, 15] over L = 60 steps puts the periodogram peak at frequency 60/T in [4, 6]. */
    @Test
    void cyclicHasPeriodTenToFifteen() {
        int cyclicHits = 0, cyclicTotal = 0, normalHits = 0, normalTotal = 0;
        for (int i = 0; i < BIG.size(); i++) {
            int cls = BIG.labels()[i];
            if (cls != CYCLIC && cls != NORMAL) continue;
            double[] p = periodogram(BIG.series(i));
            int peak = 1;
            for (int k = 2; k < p.length; k++) if (p[k] > p[peak]) peak = k;
            double rest = 0;
            for (int k = 1; k < p.length; k++) if (Math.abs(k - peak) > 1) rest += p[k];
            rest /= p.length - 4;
            boolean strong = peak >= 4 && peak <= 6 && p[peak] > 10 * rest;
            if (cls == CYCLIC) {
                cyclicTotal++;
                if (strong) cyclicHits++;
            } else {
                normalTotal++;
                if (strong) normalHits++;
            }
        }
        assertTrue(cyclicHits > 0.95 * cyclicTotal, cyclicHits + " of " + cyclicTotal);
        assertTrue(normalHits < 0.05 * normalTotal, normalHits + " of " + normalTotal);
    }

    private static double meanSlope(int cls) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < BIG.size(); i++) {
            if (BIG.labels()[i] != cls) continue;
            sum += Slope.leastSquares(BIG.series(i));
            count++;
        }
        return sum / count;
    }

    private static double meanGap(int cls) {
        int sixth = L / 6;
        double sum = 0;
        int count = 0;
        for (int i = 0; i < BIG.size(); i++) {
            if (BIG.labels()[i] != cls) continue;
            float[] s = BIG.series(i);
            double head = 0, tail = 0;
            for (int t = 0; t < sixth; t++) {
                head += s[t];
                tail += s[L - 1 - t];
            }
            sum += (tail - head) / sixth;
            count++;
        }
        return sum / count;
    }

    /** |DFT|^2 of the mean-removed series at frequencies 0..L/2 (cycles per series). */
    private static double[] periodogram(float[] s) {
        int n = s.length;
        double mean = 0;
        for (float v : s) mean += v;
        mean /= n;
        double[] p = new double[n / 2 + 1];
        for (int k = 0; k < p.length; k++) {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++) {
                re += (s[t] - mean) * Math.cos(2 * Math.PI * k * t / n);
                im -= (s[t] - mean) * Math.sin(2 * Math.PI * k * t / n);
            }
            p[k] = re * re + im * im;
        }
        return p;
    }
}
