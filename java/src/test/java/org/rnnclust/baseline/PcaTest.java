package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.NpzFixture;
import org.rnnclust.linalg.PrincipalAxes;

/**
 * The PCA estimator: its component rule against scikit-learn's choice (fixtures/linalg/pca.npz;
 * the decomposition itself is tested in org.rnnclust.linalg.PrincipalAxesTest).
 */
class PcaTest {
    private static final NpzFixture FIX = NpzFixture.load("/fixtures/linalg/pca.npz");

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"tall, var90", "tall, k3", "wide, var90", "wide, k3"})
    void keepsTheComponentsScikitLearnKeeps(String name, String tag) {
        NpzFixture.Array xa = FIX.get(name + "_x");
        int n = xa.shape()[0];
        int d = xa.shape()[1];
        PcaComponents rule = tag.equals("k3") ? PcaComponents.exactly(3) : new PcaComponents(0, 0.9, 50);
        Pca pca = Pca.fit(xa.floats(), n, d, rule);
        double[] ratio = FIX.get(name + "_" + tag + "_ratio").values();
        assertEquals(ratio.length, pca.components(), "number of components");
        assertArrayEquals(ratio, pca.explainedVarianceRatio(), 1e-6);
        assertEquals(d + (long) ratio.length * d, pca.parameterCount());
        int k = ratio.length;
        float[] expected = PrincipalAxes.fit(xa.floats(), n, d, r -> k).project(xa.floats(), n);
        assertArrayEquals(expected, pca.transform(xa.floats(), n), "the projection is the principal axes'");
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
