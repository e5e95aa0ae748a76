package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Standardisation against its closed form, scikit-learn's StandardScaler convention. */
class StandardizationTest {
    @Test
    void centresAndScalesEachFeatureLikeStandardScaler() {
        // 4 points, 3 features; the third is constant.
        float[] x = {1, 10, 5, 2, 20, 5, 3, 30, 5, 6, 60, 5};
        Standardization s = Standardization.fit(x, 4, 3);
        float[] z = s.apply(x, 4);
        double mean0 = 3;
        double sd0 = Math.sqrt((4 + 1 + 0 + 9) / 4.0);
        for (int i = 0; i < 4; i++) {
            assertEquals((x[i * 3] - mean0) / sd0, z[i * 3], 1e-6);
            assertEquals((x[i * 3 + 1] - 10 * mean0) / (10 * sd0), z[i * 3 + 1], 1e-6);
            assertEquals(0f, z[i * 3 + 2], "a constant feature is centred, not scaled");
        }
        // New points use the training statistics.
        float[] y = s.apply(new float[] {3 + (float) sd0, 0, 6}, 1);
        assertEquals(1, y[0], 1e-6);
        assertEquals(1, y[2], 1e-6);
        assertEquals(6, s.parameterCount());
    }
}
