package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.SharedData;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.testing.Blobs;

/**
 * k-means against scikit-learn's KMeans(n_init=10) inertia (fixtures made by
 * make_kmeans_fixtures.py), and the loop's own contracts: reproducibility, empty clusters, bad
 * arguments.
 */
class KMeansTest {
    static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    static Stream<JsonNode> cases() throws IOException {
        try (InputStream in = KMeansTest.class.getResourceAsStream("/fixtures/kmeans.json")) {
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inertiaWithinOnePercentOfScikitLearn(JsonNode c) {
        int n = c.get("n").asInt();
        int d = c.get("d").asInt();
        int k = c.get("k").asInt();
        float[] x;
        if (c.get("kind").asText().equals("blobs")) {
            x = new float[n * d];
            for (int i = 0; i < n * d; i++) x[i] = (float) c.get("x").get(i).asDouble();
        } else {
            Dataset raw = Readers.read(SharedData.require(c.get("file").asText()), ReadOptions.defaults());
            Dataset z = Preprocessor.fit(PreprocessOptions.defaults(), raw).apply(raw);
            PaddedSequences p = PaddedSequences.of(z);
            assertEquals(n, p.n());
            assertEquals(d, p.rowSize());
            x = p.values();
        }
        KMeansModel model = new KMeans(KMeansParams.of(k, 0)).fit(backend, x, n, d);
        double sklearn = c.get("inertia").asDouble();
        double relative = (model.inertia() - sklearn) / sklearn;
        assertTrue(Math.abs(relative) <= 0.01,
                c.get("name").asText() + ": inertia " + model.inertia() + " vs scikit-learn " + sklearn);
        assertEquals(direct(x, n, d, model), model.inertia(), 1e-4 * model.inertia(),
                "reported inertia is the sum of squared distances to the final centroids");
    }

    /** Sum of squared distances of each point to its assigned centroid, in double, computed directly. */
    static double direct(float[] x, int n, int d, KMeansModel m) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < d; t++) {
                double diff = (double) x[i * d + t] - m.centroids()[m.labels()[i] * d + t];
                s += diff * diff;
            }
        }
        return s;
    }

    @Test
    void sameSeedSameModel() {
        float[] x = Blobs.inBox(700, 6, 5, 1);
        KMeansModel a = new KMeans(KMeansParams.of(5, 42)).fit(backend, x, 700, 6);
        KMeansModel b = new KMeans(KMeansParams.of(5, 42)).fit(backend, x, 700, 6);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.inertia(), b.inertia());
    }

    @Test
    void labelsAreNearestCentroids() {
        float[] x = Blobs.inBox(400, 3, 4, 2);
        KMeansModel m = new KMeans(KMeansParams.of(4, 0)).fit(backend, x, 400, 3);
        for (int i = 0; i < 400; i++) {
            double own = dist(x, i, m.centroids(), m.labels()[i], 3);
            for (int j = 0; j < 4; j++) assertTrue(own <= dist(x, i, m.centroids(), j, 3) + 1e-5);
        }
        assertTrue(m.converged());
    }

    static double dist(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) s += Math.pow(x[i * d + t] - c[j * d + t], 2);
        return s;
    }

    @Test
    void kEqualToNGivesZeroInertiaAndNoEmptyCluster() {
        float[] x = Blobs.inBox(9, 2, 3, 3);
        KMeansModel m = new KMeans(KMeansParams.of(9, 0)).fit(backend, x, 9, 2);
        assertEquals(0.0, m.inertia(), 1e-9);
        assertEquals(9, java.util.Arrays.stream(m.labels()).distinct().count());
    }

    @Test
    void duplicatePointsFewerDistinctThanK() {
        // 10 points, only 2 distinct values, k = 4: seeding and the empty-cluster rule must cope.
        float[] x = new float[10];
        for (int i = 5; i < 10; i++) x[i] = 1f;
        KMeansModel m = new KMeans(KMeansParams.of(4, 0)).fit(backend, x, 10, 1);
        assertEquals(0.0, m.inertia(), 1e-12);
    }

    @Test
    void emptyClusterTakesTheFarthestPoint() {
        // Three points near 0, one far point at 100 assigned to cluster 0; cluster 1 is empty.
        try (var index = backend.centroidIndex(new float[] {0, 1, 2, 100}, 4, 1)) {
            int[] labels = {0, 0, 0, 0};
            float[] dist = {1, 0, 1, 9801};
            double[] sums = {103, 0};
            long[] counts = {4, 0};
            assertEquals(1, KMeans.relocateEmpty(index, labels, dist, () -> { }, sums, counts, 1));
            assertArrayEquals(new int[] {0, 0, 0, 1}, labels);
            assertArrayEquals(new long[] {3, 1}, counts);
            assertArrayEquals(new double[] {3, 100}, sums, 1e-12);
        }
    }

    @Test
    void miniBatchComesCloseToLloyd() {
        float[] x = Blobs.inBox(20000, 8, 10, 4);
        KMeansParams p = KMeansParams.of(10, 0).withNInit(3);
        double lloyd = new KMeans(p).fit(backend, x, 20000, 8).inertia();
        double mini = new KMeans(p.withBatchSize(1024)).fit(backend, x, 20000, 8).inertia();
        assertTrue(mini <= lloyd * 1.05, "mini-batch " + mini + " vs Lloyd " + lloyd);
    }

    @Test
    void badArguments() {
        float[] x = Blobs.inBox(5, 2, 2, 5);
        assertThrows(IllegalArgumentException.class, () -> new KMeans(KMeansParams.of(6, 0)).fit(backend, x, 5, 2));
        // Settings come from users: refused as input, naming the setting.
        assertEquals(List.of(Setting.CLUSTERS),
                assertThrows(InputException.class, () -> KMeansParams.of(0, 0)).settings());
        assertEquals(List.of(Setting.KMEANS_TOLERANCE),
                assertThrows(InputException.class, () -> KMeansParams.of(2, 0).withTol(Double.NaN)).settings());
        x[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> new KMeans(KMeansParams.of(2, 0)).fit(backend, x, 5, 2));
    }
}
