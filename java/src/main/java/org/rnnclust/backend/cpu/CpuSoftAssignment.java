package org.rnnclust.backend.cpu;

import java.nio.FloatBuffer;

/**
 * The DEC/IDEC soft-clustering ops of {@link CpuOps} as plain loops over the buffers' floats. The
 * sizes are small (n × k × d with k and d in the tens), so one thread and double accumulation: the
 * reference a GPU kernel is compared with.
 */
final class CpuSoftAssignment {
    private CpuSoftAssignment() {}

    /** ‖z_i − μ_j‖² in double. */
    private static double sqDistance(FloatBuffer z, int zRow, FloatBuffer mu, int muRow, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double e = (double) z.get(zRow + c) - mu.get(muRow + c);
            s += e * e;
        }
        return s;
    }

    static void assign(int n, int k, int d, double alpha, FloatBuffer z, int zo, FloatBuffer mu, FloatBuffer q, int qo) {
        double power = -(alpha + 1) / 2;
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double dist = sqDistance(z, zo + i * d, mu, j * d, d);
                // α = 1 (DEC's choice) needs no pow: the kernel is 1/(1 + dist).
                row[j] = alpha == 1 ? 1 / (1 + dist) : Math.pow(1 + dist / alpha, power);
                sum += row[j];
            }
            for (int j = 0; j < k; j++) q.put(qo + i * k + j, (float) (row[j] / sum));
        }
    }

    static void target(int n, int k, FloatBuffer q, int qo, FloatBuffer p, int po) {
        double[] f = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) f[j] += q.get(qo + i * k + j);
        }
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double v = q.get(qo + i * k + j);
                row[j] = f[j] > 0 ? v * v / f[j] : 0;
                sum += row[j];
            }
            for (int j = 0; j < k; j++) p.put(po + i * k + j, (float) (sum > 0 ? row[j] / sum : 1.0 / k));
        }
    }

    static double kl(int n, int k, FloatBuffer p, int po, FloatBuffer q, int qo) {
        double total = 0;
        for (int e = 0; e < n * k; e++) {
            double pv = p.get(po + e);
            if (pv > 0) total += pv * Math.log(pv / q.get(qo + e));
        }
        return n == 0 ? 0 : total / n;
    }

    static void backward(int n, int k, int d, double alpha, FloatBuffer z, int zo, FloatBuffer mu,
                         FloatBuffer q, int qo, FloatBuffer p, int po, double scale,
                         FloatBuffer dz, int dzo, FloatBuffer dmu) {
        double factor = scale * (alpha + 1) / (alpha * n);
        double[] dMu = new double[k * d];
        double[] dZi = new double[d];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(dZi, 0);
            for (int j = 0; j < k; j++) {
                double w = 1 / (1 + sqDistance(z, zo + i * d, mu, j * d, d) / alpha);
                double g = factor * w * ((double) p.get(po + i * k + j) - q.get(qo + i * k + j));
                for (int c = 0; c < d; c++) {
                    double diff = g * ((double) z.get(zo + i * d + c) - mu.get(j * d + c));
                    dZi[c] += diff;
                    dMu[j * d + c] -= diff;
                }
            }
            for (int c = 0; c < d; c++) dz.put(dzo + i * d + c, (float) (dz.get(dzo + i * d + c) + dZi[c]));
        }
        for (int e = 0; e < k * d; e++) dmu.put(e, (float) (dmu.get(e) + dMu[e]));
    }
}
