package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.NpzFixture;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.Backends;
import org.rnnclust.metrics.RandIndex;

/**
 * Spectral clustering of a kNN graph: the neighbours and the eigenpairs against scikit-learn and
 * numpy (fixtures/cluster/make_spectral_fixture.py), and the partition against known structure
 * that k-means cannot find.
 */
class SpectralClusteringTest {
    private static final NpzFixture FIX = NpzFixture.load("/fixtures/cluster/spectral.npz");
    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = Backends.open("cpu", 2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"blobs", "components"})
    void neighboursAreScikitLearns(String name) {
        NpzFixture.Array x = FIX.get(name + "_x");
        int n = x.shape()[0];
        int[] mine = backend.nearestNeighbours(x.floats(), n, x.shape()[1], 10).index();
        assertArrayEquals(FIX.get(name + "_knn").ints(), mine);
    }

    /**
     * The 8 leading eigenpairs of the normalised adjacency against numpy's dense eigh: the values,
     * and the subspace (compared as projectors, since the three copies of eigenvalue 1 in
     * "components" have no preferred basis).
     */
    @ParameterizedTest
    @ValueSource(strings = {"blobs", "components"})
    void eigenpairsAreNumpys(String name) {
        NpzFixture.Array x = FIX.get(name + "_x");
        int n = x.shape()[0];
        int m = 8;
        SpectralClustering.Result r = SpectralClustering.fit(backend, x.floats(), n, x.shape()[1],
                new SpectralClustering.Params(10, m, 10_000), KMeansParams.of(3, 1));
        double[] values = FIX.get(name + "_values").values();
        assertTrue(values[m - 1] - values[m] > 1e-3, "the fixture's 8-d subspace is separated from the 9th");
        for (int c = 0; c < m; c++) assertEquals(values[c], r.eigenvalues()[c], 1e-9, "eigenvalue " + c);
        double[] expected = FIX.get(name + "_vectors").values();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double p = 0;
                double q = 0;
                for (int c = 0; c < m; c++) {
                    p += expected[i * m + c] * expected[j * m + c];
                    q += r.eigenvectors()[i * m + c] * r.eigenvectors()[j * m + c];
                }
                worst = Math.max(worst, Math.abs(p - q));
            }
        }
        assertTrue(worst < 1e-6, "projector onto the leading subspace differs by " + worst);
        assertTrue(r.maxResidual() < SpectralClustering.TOLERANCE, "converged: residual " + r.maxResidual());
    }

    /** Two concentric rings: k-means cuts them in half, the neighbour graph follows them. */
    @Test
    void separatesConcentricRingsThatKMeansCannot() {
        int n = 600;
        float[] x = new float[2 * n];
        int[] truth = new int[n];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            truth[i] = i % 2;
            double radius = truth[i] == 0 ? 1 : 3;
            double angle = random.nextDouble(2 * Math.PI);
            x[2 * i] = (float) (radius * Math.cos(angle) + 0.1 * random.nextGaussian());
            x[2 * i + 1] = (float) (radius * Math.sin(angle) + 0.1 * random.nextGaussian());
        }
        KMeansParams params = KMeansParams.of(2, 0);
        int[] spectral = SpectralClustering.fit(backend, x, n, 2, SpectralClustering.Params.defaults(), params).labels();
        int[] kmeans = new KMeans(params).fit(backend, x, n, 2).labels();
        assertEquals(1.0, RandIndex.ari(truth, spectral), 1e-12, "spectral clustering recovers the rings");
        assertTrue(RandIndex.ari(truth, kmeans) < 0.1, "k-means should fail here, ARI " + RandIndex.ari(truth, kmeans));
    }

    @Test
    void eigensolverBasisIsBoundedByRowsAndHeap() {
        for (boolean deterministic : new boolean[] {false, true}) {
            assertEquals(1000, SpectralClustering.basisLimit(10_000, 20, 4L << 30, deterministic), "at least 1000 vectors");
            assertEquals(2000, SpectralClustering.basisLimit(10_000, 50, 4L << 30, deterministic), "40 per eigenvector");
            assertEquals(300, SpectralClustering.basisLimit(300, 20, 4L << 30, deterministic), "never more than the rows");
        }
        // 48 MiB of heap: a third, 16 MiB, holds 104 vectors of 10,000 rows × 16 bytes
        assertEquals(104, SpectralClustering.basisLimit(10_000, 20, 48L << 20, false));
        InputException e = assertThrows(InputException.class,
                () -> SpectralClustering.basisLimit(10_000, 20, 8L << 20, false));
        assertTrue(e.getMessage().contains("fewer rows"), e.getMessage());
        assertFalse(e.getMessage().contains("--"), "no flag below the CLI: " + e.getMessage());
        assertEquals(java.util.List.of(Setting.SPECTRAL_MAX_ROWS), e.settings());
        // The deterministic mode does not let the heap change the basis (and the eigenvectors): it refuses.
        InputException small = assertThrows(InputException.class,
                () -> SpectralClustering.basisLimit(10_000, 20, 48L << 20, true));
        assertTrue(small.getMessage().contains("needs about 457 MB"), small.getMessage());
    }

    @Test
    void subsamplesAboveMaxRowsAndAveragesTheSampledRowsIntoCentroids() {
        NpzFixture.Array xa = FIX.get("blobs_x");
        float[] x = xa.floats();
        int n = xa.shape()[0];
        int d = xa.shape()[1];
        KMeansParams params = KMeansParams.of(4, 5);
        SpectralClustering.Params small = new SpectralClustering.Params(10, 0, 120);
        SpectralClustering.Result r = SpectralClustering.fit(backend, x, n, d, small, params);
        assertEquals(120, r.rows().length);
        for (int i = 1; i < r.rows().length; i++) assertTrue(r.rows()[i] > r.rows()[i - 1], "sorted, distinct rows");
        assertEquals(8, r.eigenvalues().length, "0 dimensions = twice the clusters");
        assertArrayEquals(r.labels(), SpectralClustering.fit(backend, x, n, d, small, params).labels(), "seeded");
        float[] centroids = SpectralClustering.centroids(x, d, r.rows(), r.labels(), 4);
        for (int c = 0; c < 4; c++) {
            for (int j = 0; j < d; j++) {
                double sum = 0;
                int count = 0;
                for (int i = 0; i < r.rows().length; i++) {
                    if (r.labels()[i] != c) continue;
                    sum += x[r.rows()[i] * d + j];
                    count++;
                }
                assertTrue(count > 0, "no empty cluster");
                assertEquals(sum / count, centroids[c * d + j], 1e-5, "centroid " + c + " coordinate " + j);
            }
        }
        KMeansModel model = SpectralClustering.centroidModel(backend, x, n, d, small, params);
        assertArrayEquals(centroids, model.centroids(), 0f);
        assertArrayEquals(model.predict(backend, x, n).labels(), model.labels(), "labels = nearest centroid");
    }
}
