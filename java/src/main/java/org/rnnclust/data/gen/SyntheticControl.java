package org.rnnclust.data.gen;

import java.util.List;
import java.util.Random;
import org.rnnclust.data.Dataset;

/**
 * Synthetic Control Chart series (Alcock &amp; Manolopoulos 1999), six classes, t = 1..L:
 * <pre>
 *   normal      y(t) = m + r(t)·s
 *   cyclic      y(t) = m + r(t)·s + a·sin(2πt/T)
 *   increasing  y(t) = m + r(t)·s + g·t
 *   decreasing  y(t) = m + r(t)·s − g·t
 *   upward      y(t) = m + r(t)·s + k(t)·x
 *   downward    y(t) = m + r(t)·s − k(t)·x
 * </pre>
 * with m = 30, s = 2, r(t) ~ U[−3, 3] per time step, and per series a, T ~ U[10, 15],
 * g ~ U[0.2, 0.5], x ~ U[7.5, 20], shift start t3 ~ U[L/3, 2L/3] with k(t) = 1 for t ≥ t3, else 0.
 *
 * <p>Reproducibility as in {@link Cbf}: one seeded {@link java.util.Random}; series drawn class by
 * class, each drawing its class parameters (in the order listed above) and then r(1..L); finally
 * shuffled with the same generator.
 */
public final class SyntheticControl {
    public static final List<String> LABELS = List.of("normal", "cyclic", "increasing", "decreasing", "upward", "downward");
    public static final int DEFAULT_LENGTH = 60;
    public static final int MIN_LENGTH = 3;

    private static final double M = 30;
    private static final double S = 2;

    private SyntheticControl() {}

    public static Dataset generate(int nPerClass, int length, long seed) {
        if (nPerClass < 1) throw new IllegalArgumentException("nPerClass must be >= 1, got " + nPerClass);
        if (length < MIN_LENGTH) {
            throw new IllegalArgumentException("synthetic-control length must be >= " + MIN_LENGTH + ", got " + length);
        }
        Random rnd = new Random(seed);
        int classes = LABELS.size();
        float[][] series = new float[classes * nPerClass][];
        int[] labels = new int[classes * nPerClass];
        for (int cls = 0; cls < classes; cls++) {
            for (int i = 0; i < nPerClass; i++) {
                int idx = cls * nPerClass + i;
                series[idx] = one(cls, length, rnd);
                labels[idx] = cls;
            }
        }
        Shuffle.together(series, labels, rnd);
        return new Dataset("synthetic-control(n=" + series.length + ",length=" + length + ",seed=" + seed + ")",
                series, 1, labels, LABELS);
    }

    private static float[] one(int cls, int length, Random rnd) {
        double amp = 0, period = 1, slope = 0, shift = 0, start = Double.POSITIVE_INFINITY;
        switch (cls) {
            case 1 -> {
                amp = uniform(rnd, 10, 15);
                period = uniform(rnd, 10, 15);
            }
            case 2, 3 -> slope = uniform(rnd, 0.2, 0.5) * (cls == 2 ? 1 : -1);
            case 4, 5 -> {
                shift = uniform(rnd, 7.5, 20) * (cls == 4 ? 1 : -1);
                start = uniform(rnd, length / 3.0, 2 * length / 3.0);
            }
            default -> { }
        }
        float[] y = new float[length];
        for (int i = 0; i < length; i++) {
            int t = i + 1;
            double v = M + uniform(rnd, -3, 3) * S
                    + amp * Math.sin(2 * Math.PI * t / period)
                    + slope * t
                    + (t >= start ? shift : 0);
            y[i] = (float) v;
        }
        return y;
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
