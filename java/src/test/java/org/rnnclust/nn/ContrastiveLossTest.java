package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.testing.FixtureCases;
import org.rnnclust.testing.RelativeError;

/**
 * NT-Xent against PyTorch (fixtures/contrastive, made by make_ntxent_fixtures.py: F.normalize,
 * the masked similarity matrix, F.cross_entropy, autograd), including one series per batch (only
 * the positive in the denominator: loss 0) and large embeddings at τ = 1; and the closed form of
 * uninformative embeddings.
 */
class ContrastiveLossTest {

    static Stream<Named<JsonNode>> cases() {
        return FixtureCases.of("/fixtures/contrastive/ntxent.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(JsonNode c) {
        int b = c.get("batch").asInt();
        int d = c.get("dim").asInt();
        float[] z1 = floats(c.get("z1"));
        float[] z2 = floats(c.get("z2"));
        float[] dz1 = new float[b * d];
        float[] dz2 = new float[b * d];
        double loss = ContrastiveLoss.lossAndGradient(z1, z2, b, d, c.get("temperature").asDouble(), dz1, dz2);
        double want = c.get("loss").asDouble();
        assertEquals(want, loss, 1e-9 * Math.max(1, Math.abs(want)), "loss");
        if (b > 1) {
            RelativeError.check("dz1", dz1, doubles(c.get("dz1")), 1e-6);
            RelativeError.check("dz2", dz2, doubles(c.get("dz2")), 1e-6);
        } else {
            for (int i = 0; i < d; i++) assertEquals(0, dz1[i] + dz2[i], 1e-12, "one series: no gradient");
        }
    }

    @Test
    void uninformativeEmbeddingsCostLogOfTheNegativesPlusOne() {
        int b = 6;
        float[] z = new float[b * 3];
        java.util.Arrays.fill(z, 2f);
        double loss = ContrastiveLoss.lossAndGradient(z, z, b, 3, 0.5, new float[b * 3], new float[b * 3]);
        assertEquals(Math.log(2 * b - 1), loss, 1e-12);
    }

    private static float[] floats(JsonNode a) {
        float[] v = new float[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) a.get(i).asDouble();
        return v;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }
}
