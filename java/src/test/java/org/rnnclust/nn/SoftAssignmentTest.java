package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.testing.RelativeError;

/**
 * The DEC soft-clustering ops (Student-t q, target p, KL and its gradients) against PyTorch float64
 * autograd (fixtures/dec.json, made by make_dec_fixtures.py) and against finite differences.
 */
class SoftAssignmentTest {
    static JsonNode fixtures() throws IOException {
        try (InputStream in = SoftAssignmentTest.class.getResourceAsStream("/fixtures/dec.json")) {
            if (in == null) throw new IllegalStateException("fixtures/dec.json missing from the test classpath");
            return new ObjectMapper().readTree(in).get("cases");
        }
    }

    static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }

    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asDouble();
        return out;
    }

    @Test
    void matchesPyTorchOnFixtures() throws IOException {
        for (JsonNode c : fixtures()) {
            String name = c.get("name").asText();
            int n = c.get("n").asInt();
            int k = c.get("k").asInt();
            int d = c.get("d").asInt();
            float alpha = (float) c.get("alpha").asDouble();
            float scale = (float) c.get("scale").asDouble();
            try (TensorOps ops = new CpuOps(1);
                 SoftAssignment layer = new SoftAssignment(ops, k, d, alpha, floats(c.get("mu")));
                 DeviceBuffer z = ops.allocate(3 + (long) n * d); DeviceBuffer p = ops.allocate((long) n * k);
                 DeviceBuffer dz = ops.allocate((long) n * d)) {
                // z at an offset, so that offsets reach the ops.
                ops.upload(floats(c.get("z")), 0, z, 3, n * d);
                DeviceBuffer q = layer.assign(n, z, 3);
                RelativeError.check(name + " q", ops.toHost(q), doubles(c.get("q")), 1e-6);
                ops.decTarget(n, k, q, 0, p, 0);
                RelativeError.check(name + " p", ops.toHost(p), doubles(c.get("p")), 1e-6);
                // The gradient check below uses the fixture's p exactly, as PyTorch did.
                ops.upload(floats(c.get("p")), p);
                double kl = layer.lossAndBackward(n, z, 3, p, scale, dz);
                double expectedKl = c.get("kl").asDouble();
                assertEquals(expectedKl, kl, 1e-6 * Math.max(1, Math.abs(expectedKl)), name + " kl");
                RelativeError.check(name + " dz", ops.toHost(dz), doubles(c.get("dz")), 1e-5);
                RelativeError.check(name + " dmu", layer.centroids().gradient(), doubles(c.get("dmu")), 1e-5);
            }
        }
    }

    /** Central differences of scale·KL(p‖q(z, μ)) in double precision loops vs the analytic gradients. */
    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 9;
        int k = 4;
        int d = 3;
        float alpha = 1.5f;
        float scale = 0.7f;
        SplittableRandom rng = new SplittableRandom(3);
        float[] z = new float[n * d];
        float[] mu = new float[k * d];
        for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextDouble(-2, 2);
        for (int i = 0; i < mu.length; i++) mu[i] = (float) rng.nextDouble(-2, 2);
        // A fixed target that is a proper distribution per row and far from q.
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) {
            double s = 0;
            double[] r = new double[k];
            for (int j = 0; j < k; j++) s += r[j] = rng.nextDouble(0.05, 1);
            for (int j = 0; j < k; j++) p[i * k + j] = (float) (r[j] / s);
        }
        try (TensorOps ops = new CpuOps(1); SoftAssignment layer = new SoftAssignment(ops, k, d, alpha, mu);
             DeviceBuffer zb = ops.allocate(n * d); DeviceBuffer pb = ops.allocate(n * k);
             DeviceBuffer dz = ops.allocate(n * d)) {
            ops.upload(z, zb);
            ops.upload(p, pb);
            layer.assign(n, zb, 0);
            layer.lossAndBackward(n, zb, 0, pb, scale, dz);
            float[] gz = ops.toHost(dz);
            float[] gmu = layer.centroids().gradient();
            double h = 1e-3;
            for (int i = 0; i < z.length; i++) {
                double num = (loss(z, mu, p, n, k, d, alpha, i, h, true) - loss(z, mu, p, n, k, d, alpha, i, -h, true))
                        / (2 * h) * scale;
                assertEquals(num, gz[i], 1e-4 * Math.max(1, Math.abs(num)), "dz[" + i + "]");
            }
            for (int i = 0; i < mu.length; i++) {
                double num = (loss(z, mu, p, n, k, d, alpha, i, h, false) - loss(z, mu, p, n, k, d, alpha, i, -h, false))
                        / (2 * h) * scale;
                assertEquals(num, gmu[i], 1e-4 * Math.max(1, Math.abs(num)), "dmu[" + i + "]");
            }
            // The gradient is not trivially zero.
            double norm = 0;
            for (float g : gz) norm += g * g;
            assertTrue(norm > 1e-6, "dz is zero");
        }
    }

    /** (1/n) Σ KL(p_i‖q_i) in double with z[i] (or μ[i]) moved by h. */
    private static double loss(float[] z, float[] mu, float[] p, int n, int k, int d, double alpha, int at, double h,
                               boolean moveZ) {
        double[] zz = new double[z.length];
        double[] mm = new double[mu.length];
        for (int i = 0; i < z.length; i++) zz[i] = z[i];
        for (int i = 0; i < mu.length; i++) mm[i] = mu[i];
        if (moveZ) zz[at] += h;
        else mm[at] += h;
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] w = new double[k];
            double s = 0;
            for (int j = 0; j < k; j++) {
                double dist = 0;
                for (int c = 0; c < d; c++) dist += (zz[i * d + c] - mm[j * d + c]) * (zz[i * d + c] - mm[j * d + c]);
                s += w[j] = Math.pow(1 + dist / alpha, -(alpha + 1) / 2);
            }
            for (int j = 0; j < k; j++) total += p[i * k + j] * Math.log(p[i * k + j] / (w[j] / s));
        }
        return total / n;
    }

    @Test
    void argmaxOfQIsTheNearestCentroid() {
        SplittableRandom rng = new SplittableRandom(8);
        int n = 50;
        int k = 6;
        int d = 4;
        float[] z = new float[n * d];
        float[] mu = new float[k * d];
        for (int i = 0; i < z.length; i++) z[i] = (float) rng.nextDouble(-3, 3);
        for (int i = 0; i < mu.length; i++) mu[i] = (float) rng.nextDouble(-3, 3);
        try (TensorOps ops = new CpuOps(1); SoftAssignment layer = new SoftAssignment(ops, k, d, 1f, mu);
             DeviceBuffer zb = ops.allocate(n * d)) {
            ops.upload(z, zb);
            float[] q = ops.toHost(layer.assign(n, zb, 0));
            for (int i = 0; i < n; i++) {
                int best = 0;
                int nearest = 0;
                double bestDist = Double.POSITIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (q[i * k + j] > q[i * k + best]) best = j;
                    double s = 0;
                    for (int c = 0; c < d; c++) s += Math.pow(z[i * d + c] - mu[j * d + c], 2);
                    if (s < bestDist) {
                        bestDist = s;
                        nearest = j;
                    }
                }
                assertEquals(nearest, best, "row " + i);
            }
        }
    }

    @Test
    void refusesBadSettings() {
        try (TensorOps ops = new CpuOps(1)) {
            assertThrows(IllegalArgumentException.class, () -> new SoftAssignment(ops, 2, 2, 0f, new float[4]));
            assertThrows(IllegalArgumentException.class, () -> new SoftAssignment(ops, 2, 2, 1f, new float[3]));
        }
    }
}
