package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnclust.NpzFixture;
import org.rnnclust.linalg.PrincipalAxes;

/**
 * The PCA estimator: its component rule against scikit-learn's choice (fixtures/linalg/pca.npz;
 * the decomposition itself is tested in org.rnnclust.linalg.PrincipalAxesTest).
 */
class PcaTest {
    private static final NpzFixture FIX = NpzFixture.load("/fixtures/linalg/pca.npz");

    @Test
    void keepsTheComponentsScikitLearnKeeps() {
        for (String name : new String[] {"tall", "wide"}) {
            NpzFixture.Array x = FIX.get(name + "_x");
            assertKeeps(x, PcaComponents.exactly(3), FIX.get(name + "_k3_ratio").values());
            assertKeeps(x, new PcaComponents(0, 0.9, 50), FIX.get(name + "_var90_ratio").values());
        }
    }

    /** The rule keeps as many components as scikit-learn, and the estimator reports and projects them. */
    private static void assertKeeps(NpzFixture.Array x, PcaComponents rule, double[] sklearnRatios) {
        int n = x.shape()[0];
        int d = x.shape()[1];
        int k = sklearnRatios.length;
        Pca pca = Pca.fit(x.floats(), n, d, rule);
        assertEquals(k, pca.components(), rule + ": number of components");
        assertArrayEquals(sklearnRatios, pca.explainedVarianceRatio(), 1e-6);
        assertEquals(d + (long) k * d, pca.parameterCount());
        float[] expected = PrincipalAxes.fit(x.floats(), n, d, r -> k).project(x.floats(), n);
        assertArrayEquals(expected, pca.transform(x.floats(), n), "the projection is the principal axes'");
    }

    @Test
    void varianceRuleAndCapChooseTheCount() {
        double[] ratios = {0.5, 0.3, 0.15, 0.05};
        assertEquals(2, new PcaComponents(0, 0.8, 50).choose(ratios));
        assertEquals(3, new PcaComponents(0, 0.9, 50).choose(ratios));
        assertEquals(2, new PcaComponents(0, 0.9, 2).choose(ratios));
        assertEquals(4, PcaComponents.exactly(9).choose(ratios));
        assertThrows(IllegalArgumentException.class, () -> new PcaComponents(0, 1.5, 5));
        assertTrue(PcaComponents.defaults().toString().contains("90"));
    }
}
