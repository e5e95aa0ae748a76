package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.NpzFixture;
import org.rnnclust.data.PaddedSequences;

/**
 * k-Shape against the numpy reference of fixtures/baselines/make_fixtures.py (baselines.npz): the
 * shape-based distance and its lag, the shape extraction, and whole fits from the same initial
 * clusters.
 */
class KShapeTest {
    static final NpzFixture FIX = NpzFixture.load("/fixtures/baselines/baselines.npz");

    /** Series i of a [n, m, c] fixture array, as doubles (the float32 values the reference read). */
    static double[] series(NpzFixture.Array a, int i) {
        int size = a.shape()[1] * a.shape()[2];
        double[] s = new double[size];
        float[] f = a.floats();
        for (int v = 0; v < size; v++) s[v] = f[i * size + v];
        return s;
    }

    static double[][] allSeries(NpzFixture.Array a) {
        double[][] out = new double[a.shape()[0]][];
        for (int i = 0; i < out.length; i++) out[i] = series(a, i);
        return out;
    }

    static PaddedSequences padded(NpzFixture.Array a) {
        int n = a.shape()[0];
        int m = a.shape()[1];
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, m);
        return new PaddedSequences(n, m, a.shape()[2], a.floats(), lengths);
    }

    @Test
    void sbdAndLagMatchTheReference() {
        for (String name : new String[] {"sbd_a", "sbd_b", "sbd_c"}) {
            NpzFixture.Array x = FIX.get(name + "_x");
            NpzFixture.Array y = FIX.get(name + "_y");
            int m = x.shape()[1];
            int c = x.shape()[2];
            double[] dist = FIX.get(name + "_dist").values();
            int[] lag = FIX.get(name + "_lag").ints();
            for (int i = 0; i < dist.length; i++) {
                KShape.Match match = KShape.sbd(series(x, i), series(y, i), m, c);
                assertEquals(dist[i], match.distance(), 1e-9, name + " pair " + i);
                assertEquals(lag[i], match.lag(), name + " pair " + i);
            }
            // The first pair is a copy delayed by 3 steps.
            assertEquals(-3, lag[0]);
        }
    }

    @Test
    void shiftedCopyAlignsBack() {
        double[] x = {0, 1, 3, -2, 5, 0.5, -1};
        double[] y = KShape.shift(x, 7, 1, 2);
        assertArrayEquals(new double[] {0, 0, 0, 1, 3, -2, 5}, y);
        KShape.Match match = KShape.sbd(y, x, 7, 1);
        assertEquals(2, match.lag());
        assertArrayEquals(y, KShape.shift(x, 7, 1, match.lag()));
    }

    @Test
    void extractedShapeMatchesTheReferenceUpToSign() {
        for (String name : new String[] {"shape_a", "shape_b"}) {
            NpzFixture.Array members = FIX.get(name + "_members");
            int m = members.shape()[1];
            int c = members.shape()[2];
            double[] centroid = FIX.get(name + "_centroid").values();  // m × c
            List<double[]> aligned = new ArrayList<>();
            for (double[] s : allSeries(members)) aligned.add(KShape.shift(s, m, c, KShape.sbd(centroid, s, m, c).lag()));
            double[] shape = KShape.extractShape(aligned, m, c);
            double[] expected = FIX.get(name + "_expected").values();
            assertCloseUpToSignPerChannel(expected, shape, m, c, 1e-7, name);
        }
    }

    @Test
    void fitFromGivenClustersMatchesTheReference() {
        for (String name : new String[] {"kshape", "kshape2"}) {
            NpzFixture.Array x = FIX.get(name + "_x");
            int m = x.shape()[1];
            int c = x.shape()[2];
            SeriesClustering fit = KShape.fitFrom(KShape.zNormalised(padded(x)), m, c, 3,
                    FIX.get(name + "_init").ints(), 100);
            assertArrayEquals(FIX.get(name + "_labels").ints(), fit.labels(), name);
            assertEquals((int) FIX.get(name + "_iterations").scalar(), fit.iterations(), name);
            assertTrue(fit.converged());
            assertEquals(FIX.get(name + "_inertia").scalar(), fit.inertia(), 1e-8, name);
            double[] expected = FIX.get(name + "_centroids").values();
            assertCloseUpToSignPerChannel(expected, fit.centroids(), 3 * m, c, 1e-6, name);
        }
    }

    @Test
    void assignUsesTheShapeBasedDistance() {
        NpzFixture.Array x = FIX.get("kshape_x");
        SeriesClustering fit = KShape.fit(padded(x), 3, KShape.Params.defaults(), 0);
        SeriesClustering.Nearest again = KShape.assign(fit, padded(x));
        assertArrayEquals(fit.labels(), again.labels(), "the training series are assigned where the fit left them");
        // Each distance is the least SBD to a centroid (SBD itself checked against numpy above).
        int m = x.shape()[1];
        double[][] z = KShape.zNormalised(padded(x));
        for (int i = 0; i < z.length; i++) {
            double least = Double.POSITIVE_INFINITY;
            for (int j = 0; j < fit.k(); j++) least = Math.min(least, KShape.sbd(fit.centroid(j), z[i], m, 1).distance());
            assertEquals(least, again.distances()[i], 1e-12);
            assertEquals(least, KShape.sbd(fit.centroid(again.labels()[i]), z[i], m, 1).distance(), 1e-12);
        }
    }

    /** Equal values, each channel of each consecutive block of m steps possibly negated. */
    static void assertCloseUpToSignPerChannel(double[] expected, double[] actual, int steps, int c, double tol,
                                              String what) {
        assertEquals(expected.length, actual.length, what);
        for (int ch = 0; ch < c; ch++) {
            double same = 0;
            double flipped = 0;
            for (int t = 0; t < steps; t++) {
                same = Math.max(same, Math.abs(expected[t * c + ch] - actual[t * c + ch]));
                flipped = Math.max(flipped, Math.abs(expected[t * c + ch] + actual[t * c + ch]));
            }
            assertTrue(Math.min(same, flipped) < tol, what + " channel " + ch + ": off by " + Math.min(same, flipped));
        }
    }
}
