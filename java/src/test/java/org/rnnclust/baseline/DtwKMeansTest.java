package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.NpzFixture;

/**
 * DTW, DBA and DTW k-means against the numpy reference of fixtures/baselines/make_fixtures.py.
 */
class DtwKMeansTest {
    private static final NpzFixture FIX = KShapeTest.FIX;

    @Test
    void distancesWithAndWithoutWindowMatchTheReference() {
        for (String name : new String[] {"dtw_a", "dtw_b"}) {
            NpzFixture.Array x = FIX.get(name + "_x");
            NpzFixture.Array y = FIX.get(name + "_y");
            int m = x.shape()[1];
            int c = x.shape()[2];
            for (int radius : new int[] {m, 2, 0}) {
                double[] expected = FIX.get(name + "_r" + radius).values();
                for (int i = 0; i < expected.length; i++) {
                    double[] xi = KShapeTest.series(x, i);
                    double[] yi = KShapeTest.series(y, i);
                    assertEquals(expected[i], Dtw.distance(xi, yi, m, c, radius), 1e-9, name + " r" + radius + " " + i);
                    if (radius == 0) {
                        double euclidean = 0;
                        for (int v = 0; v < xi.length; v++) euclidean += (xi[v] - yi[v]) * (xi[v] - yi[v]);
                        assertEquals(Math.sqrt(euclidean), Dtw.distance(xi, yi, m, c, 0), 1e-9);
                    }
                }
            }
        }
    }

    @Test
    void boundedDistanceIsExactOrAbandoned() {
        NpzFixture.Array x = FIX.get("dtw_a_x");
        NpzFixture.Array y = FIX.get("dtw_a_y");
        double[] a = KShapeTest.series(x, 0);
        double[] b = KShapeTest.series(y, 0);
        double exact = Dtw.squaredDistanceBelow(a, b, 11, 1, 2, Double.POSITIVE_INFINITY);
        assertEquals(exact, Dtw.squaredDistanceBelow(a, b, 11, 1, 2, exact));
        assertEquals(Double.POSITIVE_INFINITY, Dtw.squaredDistanceBelow(a, b, 11, 1, 2, exact * 0.5));
    }

    @Test
    void oneDbaUpdateMatchesTheReference() {
        double[] centroid = FIX.get("dba_centroid").values();  // 10 steps × 2 channels
        var members = Arrays.asList(KShapeTest.allSeries(FIX.get("dba_members")));
        for (int radius : new int[] {10, 2}) {
            assertArrayEquals(FIX.get("dba_r" + radius).values(), Dtw.dbaUpdate(centroid, members, 10, 2, radius), 1e-9,
                    "radius " + radius);
        }
    }

    @Test
    void fitFromGivenCentroidsMatchesTheReference() {
        NpzFixture.Array x = FIX.get("dtwkm_x");
        int m = x.shape()[1];
        double[][] series = KShapeTest.allSeries(x);
        double[][] start = Arrays.stream(FIX.get("dtwkm_start").ints()).mapToObj(i -> series[i]).toArray(double[][]::new);
        int radius = Dtw.radius(FIX.get("dtwkm_window").scalar(), m);
        SeriesClustering fit = DtwKMeans.fitFrom(series, m, 1, start, radius, 50, (int) FIX.get("dtwkm_dba").scalar());
        assertArrayEquals(FIX.get("dtwkm_labels").ints(), fit.labels());
        assertEquals((int) FIX.get("dtwkm_iterations").scalar(), fit.iterations());
        assertEquals(FIX.get("dtwkm_inertia").scalar(), fit.inertia(), 1e-8);
        assertArrayEquals(FIX.get("dtwkm_centroids").values(), fit.centroids(), 1e-9);
    }

    @Test
    void windowIsAFractionOfTheLength() {
        assertEquals(12, Dtw.radius(0.1, 128));
        assertEquals(128, Dtw.radius(1, 128));
        assertEquals(0, Dtw.radius(0, 128));
        assertThrows(IllegalArgumentException.class, () -> Dtw.radius(1.5, 10));
        assertThrows(InputException.class, () -> new DtwKMeans.Params(0.1, 0, 50, 3));
    }
}
