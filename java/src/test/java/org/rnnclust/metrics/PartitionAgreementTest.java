package org.rnnclust.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mean pairwise ARI against scikit-learn's on fixtures/agreement.json (see make_agreement_fixtures.py). */
class PartitionAgreementTest {
    static Stream<JsonNode> cases() {
        try (InputStream in = PartitionAgreementTest.class.getResourceAsStream("/fixtures/agreement.json")) {
            if (in == null) throw new IllegalStateException("fixtures/agreement.json missing from the test classpath");
            JsonNode root = new ObjectMapper().readTree(in);
            return StreamSupport.stream(root.get("cases").spliterator(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void meanPairwiseAriMatchesScikitLearn(JsonNode c) {
        List<int[]> partitions = new ArrayList<>();
        for (JsonNode p : c.get("partitions")) {
            int[] labels = new int[p.size()];
            for (int i = 0; i < labels.length; i++) labels[i] = p.get(i).asInt();
            partitions.add(labels);
        }
        assertEquals(c.get("mean_pairwise_ari").asDouble(), PartitionAgreement.meanPairwiseAri(partitions), 1e-12,
                c.get("name").asText());
    }

    @Test
    void oneClusteringOrUnequalLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PartitionAgreement.meanPairwiseAri(List.of(new int[] {0, 1})));
        assertThrows(IllegalArgumentException.class,
                () -> PartitionAgreement.meanPairwiseAri(List.of(new int[] {0, 1}, new int[] {0, 1, 1})));
    }
}
