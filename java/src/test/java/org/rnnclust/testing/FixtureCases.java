package org.rnnclust.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Named;

/** The cases of a fixture file ({@code {"cases": [{"name": ..., ...}, ...]}}), each named for JUnit. */
public final class FixtureCases {
    private FixtureCases() {}

    /** The cases of the JSON resource at {@code resource}, e.g. {@code /fixtures/rnn/cases.json}. */
    public static Stream<Named<JsonNode>> of(String resource) {
        try (InputStream in = FixtureCases.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no test resource " + resource);
            JsonNode root = new ObjectMapper().readTree(in);
            return StreamSupport.stream(root.get("cases").spliterator(), false)
                    .map(c -> Named.of(c.get("name").asText(), c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
