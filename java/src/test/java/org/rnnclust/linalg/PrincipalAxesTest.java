package org.rnnclust.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.NpzFixture;

/**
 * The principal axes against scikit-learn's PCA (fixtures/linalg/make_pca_fixture.py), both
 * routes: "tall" through the covariance XᵀX, "wide" through XXᵀ. Axes and projections up to sign.
 */
class PrincipalAxesTest {
    private static final NpzFixture FIX = NpzFixture.load("/fixtures/linalg/pca.npz");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tall, var90", "tall, k3", "wide, var90", "wide, k3"})
    void matchesScikitLearn(String name, String tag) {
        NpzFixture.Array xa = FIX.get(name + "_x");
        int n = xa.shape()[0];
        int d = xa.shape()[1];
        String p = name + "_" + tag + "_";
        double[] variance = FIX.get(p + "variance").values();
        double[] ratio = FIX.get(p + "ratio").values();
        double[] comps = FIX.get(p + "components").values();
        double[] proj = FIX.get(p + "proj").values();
        int k = variance.length;
        double[][] offered = new double[1][];
        PrincipalAxes axes = PrincipalAxes.fit(xa.floats(), n, d, ratios -> {
            offered[0] = ratios;
            return k;
        });
        assertEquals(Math.min(n - 1, d), offered[0].length, "every axis's variance ratio is offered");
        assertEquals(k, axes.count());
        for (int c = 0; c < k; c++) {
            assertEquals(variance[c], axes.variances()[c], 1e-5 * variance[0], "variance " + c);
            assertEquals(ratio[c], offered[0][c], 1e-6, "ratio " + c);
            assertEquals(ratio[c], axes.variances()[c] / axes.totalVariance(), 1e-6, "ratio " + c);
        }
        float[] mine = axes.project(xa.floats(), n);
        for (int c = 0; c < k; c++) {
            double[] v = axes.axis(c);
            double sign = Math.signum(dot(v, comps, c * d, d));
            for (int j = 0; j < d; j++) {
                assertEquals(comps[c * d + j], sign * v[j], 2e-4, "axis " + c + " entry " + j);
            }
            double scale = Math.sqrt(variance[c]);
            for (int i = 0; i < n; i++) {
                assertEquals(proj[i * k + c], sign * mine[i * k + c], 2e-4 * scale + 1e-5, "projection " + i + "," + c);
            }
        }
    }

    @Test
    void projectionCentresByTheFittedMean() {
        // points on the line y = 2x around (1, 5): one axis, (1, 2)/√5 up to sign, variance from the spread
        float[] x = {0, 3, 1, 5, 2, 7};
        PrincipalAxes axes = PrincipalAxes.fit(x, 3, 2, ratios -> 1);
        double sign = Math.signum(axes.axis(0)[0]);
        assertArrayEquals(new double[] {1 / Math.sqrt(5), 2 / Math.sqrt(5)},
                new double[] {sign * axes.axis(0)[0], sign * axes.axis(0)[1]}, 1e-12);
        assertEquals(5.0, axes.variances()[0], 1e-12);  // deviations ±√5, 0 along the axis: 10 / (3 - 1)
        float[] z = axes.project(new float[] {1, 5, 2, 7}, 2);
        assertEquals(0f, z[0], 1e-6f);
        assertEquals(Math.sqrt(5), sign * z[1], 1e-6);
    }

    @Test
    void refusesTooFewRowsAShapeMismatchAndAnImpossibleCount() {
        assertThrows(IllegalArgumentException.class, () -> PrincipalAxes.fit(new float[3], 1, 3, r -> 1));
        assertThrows(IllegalArgumentException.class, () -> PrincipalAxes.fit(new float[5], 2, 3, r -> 1));
        float[] x = {0, 3, 1, 5, 2, 7};
        assertThrows(IllegalArgumentException.class, () -> PrincipalAxes.fit(x, 3, 2, r -> 0));
        assertThrows(IllegalArgumentException.class, () -> PrincipalAxes.fit(x, 3, 2, r -> 3));
        assertThrows(IllegalArgumentException.class, () -> PrincipalAxes.fit(x, 3, 2, r -> 1).project(new float[3], 1));
    }

    private static double dot(double[] v, double[] m, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) s += v[j] * m[off + j];
        return s;
    }
}
