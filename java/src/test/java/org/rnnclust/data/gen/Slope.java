package org.rnnclust.data.gen;

/** Test helper: least-squares slope of y against 0..len-1 (any shift of t gives the same slope). */
final class Slope {
    private Slope() {}

    static double leastSquares(double[] y) {
        int n = y.length;
        double tMean = (n - 1) / 2.0;
        double yMean = 0;
        for (double v : y) yMean += v;
        yMean /= n;
        double sxy = 0;
        double sxx = 0;
        for (int t = 0; t < n; t++) {
            sxy += (t - tMean) * (y[t] - yMean);
            sxx += (t - tMean) * (t - tMean);
        }
        return sxy / sxx;
    }

    static double leastSquares(float[] y) {
        double[] d = new double[y.length];
        for (int i = 0; i < y.length; i++) d[i] = y[i];
        return leastSquares(d);
    }
}
