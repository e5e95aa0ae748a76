package org.rnnclust.data.gen;

import java.util.List;
import java.util.Random;
import org.rnnclust.data.Dataset;

/**
 * Cylinder-Bell-Funnel (Saito 1994), three classes of univariate series:
 * <pre>
 *   cylinder c(t) = (6 + η) · χ[a,b](t)                 + ε(t)
 *   bell     b(t) = (6 + η) · χ[a,b](t) · (t − a)/(b − a) + ε(t)
 *   funnel   f(t) = (6 + η) · χ[a,b](t) · (b − t)/(b − a) + ε(t)
 * </pre>
 * with η, ε(t) ~ N(0, 1), t = 0..L−1, a an integer uniform in [L/8, L/4] and b − a an integer
 * uniform in [L/4, 3L/4] (for L = 128 the published a ∈ [16, 32], b − a ∈ [32, 96]); b is
 * clipped to L − 1.
 *
 * <p>Reproducibility: one {@link java.util.Random} seeded with the seed (its algorithms are fixed
 * by its specification, so a seed gives the same data on every JDK). Series are drawn class by
 * class (all cylinders, then bells, then funnels), each drawing a, b − a, η and then ε(0..L−1),
 * and the order is finally shuffled with the same generator.
 */
public final class Cbf {
    public static final List<String> LABELS = List.of("cylinder", "bell", "funnel");
    public static final int DEFAULT_LENGTH = 128;
    public static final int MIN_LENGTH = 8;

    private Cbf() {}

    public static Dataset generate(int nPerClass, int length, long seed) {
        if (nPerClass < 1) throw new IllegalArgumentException("nPerClass must be >= 1, got " + nPerClass);
        if (length < MIN_LENGTH) throw new IllegalArgumentException("CBF length must be >= " + MIN_LENGTH + ", got " + length);
        Random rnd = new Random(seed);
        float[][] series = new float[3 * nPerClass][];
        int[] labels = new int[3 * nPerClass];
        for (int cls = 0; cls < 3; cls++) {
            for (int i = 0; i < nPerClass; i++) {
                int idx = cls * nPerClass + i;
                series[idx] = one(cls, length, rnd);
                labels[idx] = cls;
            }
        }
        Shuffle.together(series, labels, rnd);
        return new Dataset("cbf(n=" + series.length + ",length=" + length + ",seed=" + seed + ")",
                series, 1, labels, LABELS);
    }

    private static float[] one(int cls, int length, Random rnd) {
        int a = uniformInt(rnd, length / 8, length / 4);
        int b = Math.min(a + uniformInt(rnd, length / 4, 3 * length / 4), length - 1);
        double amplitude = 6 + rnd.nextGaussian();
        float[] s = new float[length];
        for (int t = 0; t < length; t++) {
            double shape = 0;
            if (t >= a && t <= b) {
                shape = switch (cls) {
                    case 0 -> 1;
                    case 1 -> (double) (t - a) / (b - a);
                    default -> (double) (b - t) / (b - a);
                };
            }
            s[t] = (float) (amplitude * shape + rnd.nextGaussian());
        }
        return s;
    }

    private static int uniformInt(Random rnd, int lo, int hi) {
        return lo + rnd.nextInt(hi - lo + 1);
    }
}
