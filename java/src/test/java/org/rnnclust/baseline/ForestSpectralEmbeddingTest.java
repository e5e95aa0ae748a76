package org.rnnclust.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.ForestSettings;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.testing.Blobs;

/** The random-forest baseline: proximity properties, determinism, and a sanity oracle on separated blobs. */
class ForestSpectralEmbeddingTest {
    @Test
    void proximityIsSymmetricWithUnitDiagonalInTheUnitInterval() {
        int n = 60;
        int d = 7;
        float[] x = Blobs.labelled(n, d, 3, 1, new int[n]);
        ForestSpectralEmbedding emb = ForestSpectralEmbedding.fit(x, n, d, 3, new ForestParams(50, 4, 1000), 5);
        double[] p = emb.proximity(x, n);
        for (int i = 0; i < n; i++) {
            assertEquals(1.0, p[i * n + i], 1e-12, "a row shares every leaf with itself");
            for (int j = 0; j < n; j++) {
                assertEquals(p[i * n + j], p[j * n + i], 1e-12, "symmetric");
                assertTrue(p[i * n + j] >= 0 && p[i * n + j] <= 1 + 1e-12, "in [0, 1]");
            }
        }
        double[] eig = emb.eigenvalues();
        assertEquals(1.0, eig[0], 1e-9, "the normalised proximity's top eigenvalue is 1");
    }

    @Test
    void trainingRowsKeepTheirSpectralCoordinatesUnderNystrom() {
        int n = 40;
        int d = 5;
        float[] x = Blobs.labelled(n, d, 2, 2, new int[n]);
        ForestSpectralEmbedding emb = ForestSpectralEmbedding.fit(x, n, d, 2, new ForestParams(30, 3, 1000), 9);
        float[] z = emb.embed(x, n);
        for (int i = 0; i < n; i++) {
            double norm = Math.hypot(z[2 * i], z[2 * i + 1]);
            assertEquals(1.0, norm, 1e-5, "unit rows");
        }
    }

    @Test
    void sameSeedSameResultAndSeparatedBlobsAreFound() {
        int n = 300;
        int d = 6;
        int k = 3;
        int[] labels = new int[n];
        float[] x = Blobs.labelled(n, d, k, 3, labels);
        int[] testLabels = new int[n];
        float[] test = Blobs.labelled(n, d, k, 4, testLabels);
        PaddedSequences train = flat(x, n, d);
        PaddedSequences held = flat(test, n, d);
        try (Device cpu = Device.open(new DeviceOptions("cpu", 1, false, 0, false))) {
            var method = Methods.forest(ForestSettings.defaults(), KMeansSettings.withRestarts(4));
            int[] first;
            int[] second;
            try (FittedClustering a = method.fit(cpu, train, k, 11);
                 FittedClustering b = method.fit(cpu, train, k, 11)) {
                first = a.assign(held).labels();
                second = b.assign(held).labels();
                assertArrayEquals(a.embed(held), b.embed(held), "same seed, same embedding");
            }
            assertArrayEquals(first, second, "same seed, same clusters");
            double ari = ClusteringScores.of(testLabels, first).ari();
            assertTrue(ari > 0.98, "ARI on held-out separated blobs " + ari);
        }
    }

    private static PaddedSequences flat(float[] x, int n, int d) {
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, d);
        return new PaddedSequences(n, d, 1, x, lengths);
    }
}
