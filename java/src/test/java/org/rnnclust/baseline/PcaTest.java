package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.NpzFixture;

/** PCA against scikit-learn (fixtures/baseline/make_pca_fixture.py); components and projections up to sign. */
class PcaTest {
    private static final NpzFixture FIX = NpzFixture.load("/fixtures/baseline/pca.npz");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tall, var90", "tall, k3", "wide, var90", "wide, k3"})
    void matchesScikitLearn(String name, String tag) {
        NpzFixture.Array xa = FIX.get(name + "_x");
        int n = xa.shape()[0];
        int d = xa.shape()[1];
        PcaComponents rule = tag.equals("k3") ? PcaComponents.exactly(3) : new PcaComponents(0, 0.9, 50);
        Pca pca = Pca.fit(xa.floats(), n, d, rule);
        String p = name + "_" + tag + "_";
        double[] variance = FIX.get(p + "variance").values();
        double[] ratio = FIX.get(p + "ratio").values();
        double[] comps = FIX.get(p + "components").values();
        double[] proj = FIX.get(p + "proj").values();
        int k = variance.length;
        assertEquals(k, pca.components(), "number of components");
        for (int c = 0; c < k; c++) {
            assertEquals(variance[c], pca.explainedVariance()[c], 1e-5 * variance[0], "variance " + c);
            assertEquals(ratio[c], pca.explainedVarianceRatio()[c], 1e-6, "ratio " + c);
        }
        float[] mine = pca.transform(xa.floats(), n);
        for (int c = 0; c < k; c++) {
            double[] v = pca.component(c);
            double sign = Math.signum(dot(v, comps, c * d, d));
            for (int j = 0; j < d; j++) {
                assertEquals(comps[c * d + j], sign * v[j], 2e-4, "component " + c + " entry " + j);
            }
            double scale = Math.sqrt(variance[c]);
            for (int i = 0; i < n; i++) {
                assertEquals(proj[i * k + c], sign * mine[i * k + c], 2e-4 * scale + 1e-5, "projection " + i + "," + c);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void varianceRuleAndCapChooseTheCount() {
        double[] ratios = {0.5, 0.3, 0.15, 0.05};
        assertEquals(2, new PcaComponents(0, 0.8, 50).choose(ratios));
        assertEquals(3, new PcaComponents(0, 0.9, 50).choose(ratios));
        assertEquals(2, new PcaComponents(0, 0.9, 2).choose(ratios));
        assertEquals(4, PcaComponents.exactly(9).choose(ratios));
        assertThrows(IllegalArgumentException.class, () -> new PcaComponents(0, 1.5, 5));
        assertTrue(PcaComponents.defaults().toString().contains("90"));
    }

    private static double dot(double[] v, double[] m, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) s += v[j] * m[off + j];
        return s;
    }
}
