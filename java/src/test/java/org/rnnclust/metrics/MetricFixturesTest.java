package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.data.RowSample;

/** Agreement with scikit-learn / scipy on the cases in fixtures/metrics.json (see make_metric_fixtures.py). */
class MetricFixturesTest {
    private static final JsonNode FIXTURES = load();

    private static JsonNode load() {
        try (InputStream in = MetricFixturesTest.class.getResourceAsStream("/fixtures/metrics.json")) {
            if (in == null) throw new IllegalStateException("fixtures/metrics.json missing from the test classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<JsonNode> labelings() {
        return StreamSupport.stream(FIXTURES.get("labelings").spliterator(), false);
    }

    static Stream<JsonNode> silhouettes() {
        return StreamSupport.stream(FIXTURES.get("silhouette").spliterator(), false);
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("labelings")
    void externalScoresMatchScikitLearn(JsonNode c) {
        String name = c.get("name").asText();
        int[] truth = ints(c.get("labels_true"));
        int[] pred = ints(c.get("labels_pred"));
        assertEquals(c.get("nmi").asDouble(), MutualInformation.nmi(truth, pred), 1e-9, name + ": nmi");
        assertEquals(c.get("ari").asDouble(), RandIndex.ari(truth, pred), 1e-9, name + ": ari");
        if (!c.get("acc").isNull()) {
            assertEquals(c.get("acc").asDouble(), ClusteringAccuracy.acc(truth, pred), 1e-9, name + ": acc");
            ClusteringScores s = ClusteringScores.of(truth, pred);
            assertEquals(c.get("acc").asDouble(), s.acc(), 1e-9, name + ": scores.acc");
            assertEquals(c.get("nmi").asDouble(), s.nmi(), 1e-9, name + ": scores.nmi");
            assertEquals(c.get("ari").asDouble(), s.ari(), 1e-9, name + ": scores.ari");
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("silhouettes")
    void silhouetteMatchesScikitLearn(JsonNode c) {
        int n = c.get("n").asInt();
        int d = c.get("d").asInt();
        JsonNode xs = c.get("x");
        float[] x = new float[xs.size()];
        // Each value is a float32 written as the decimal of the equal double: exact in both steps.
        for (int i = 0; i < x.length; i++) x[i] = (float) xs.get(i).asDouble();
        int[] labels = ints(c.get("labels"));
        assertEquals(c.get("silhouette").asDouble(), Silhouette.score(x, n, d, labels), 1e-6, c.get("name").asText());
        assertEquals(c.get("silhouette").asDouble(), Silhouette.sampled(x, n, d, labels, RowSample.draw(n, n, new SplittableRandom(1))), 1e-6,
                c.get("name").asText() + ": sample of all points");
        double db = c.get("davies_bouldin").asDouble();
        double ch = c.get("calinski_harabasz").asDouble();
        InternalScores all = InternalScores.of(x, n, d, labels, null);
        assertEquals(db, all.daviesBouldin(), 1e-6 * Math.max(1, db), c.get("name").asText() + ": davies_bouldin");
        assertEquals(ch, all.calinskiHarabasz(), 1e-6 * Math.max(1, ch), c.get("name").asText() + ": calinski_harabasz");
        assertEquals(c.get("silhouette").asDouble(), all.silhouette(), 1e-6);
        assertEquals(n, all.silhouetteSample());
    }

    private static int[] ints(JsonNode array) {
        int[] a = new int[array.size()];
        for (int i = 0; i < a.length; i++) a[i] = array.get(i).asInt();
        return a;
    }
}
