package org.rnnclust.testing;

import java.util.SplittableRandom;

/** Points in well-separated clusters, n × d row-major: data on which clustering has one clear answer. */
public final class Blobs {
    private Blobs() {}

    /** Around k centres drawn N(0, 10²) per coordinate, with unit normal noise; each point's centre at random. */
    public static float[] gaussian(int n, int d, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] centres = new float[k * d];
        for (int i = 0; i < centres.length; i++) centres[i] = (float) (rng.nextGaussian() * 10);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(k);
            for (int j = 0; j < d; j++) x[i * d + j] = centres[c * d + j] + (float) rng.nextGaussian();
        }
        return x;
    }

    /** Around k centres uniform in [−10, 10)^d, with noise uniform in [−0.5, 0.5); each point's centre at random. */
    public static float[] inBox(int n, int d, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] centres = new float[k * d];
        for (int i = 0; i < centres.length; i++) centres[i] = (float) (rng.nextDouble() * 20 - 10);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(k);
            for (int t = 0; t < d; t++) x[i * d + t] = centres[c * d + t] + (float) (rng.nextDouble() - 0.5);
        }
        return x;
    }

    /**
     * Point i in cluster i mod k, whose centre is 10 on the axes j with j mod k equal to it (0
     * elsewhere), with unit normal noise; the clusters are written to {@code labels}.
     */
    public static float[] labelled(int n, int d, int k, long seed, int[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            labels[i] = i % k;
            for (int j = 0; j < d; j++) {
                double centre = (j % k == labels[i]) ? 10 : 0;
                x[i * d + j] = (float) (centre + r.nextGaussian());
            }
        }
        return x;
    }
}
