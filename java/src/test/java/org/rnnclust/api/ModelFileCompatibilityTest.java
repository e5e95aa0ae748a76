package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.npy.NpyArray;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.io.Npy;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * A model file written by an earlier version (fixtures/model, made by {@link ModelFixture}) still
 * loads and computes what that version computed: the guard on the model format's compatibility.
 * A change that can no longer read it must fail here, and a deliberate format change comes with a
 * reader for the old files (and a new fixture beside this one).
 */
class ModelFileCompatibilityTest {
    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ModelFileCompatibilityTest.class.getResource("/fixtures/model/" + name).toURI());
    }

    @Test
    void theCheckedInModelLoadsAndReproducesItsEmbeddingsAndClusters() throws Exception {
        Dataset data = Readers.read(fixture(ModelFixture.DATA),
                ReadOptions.defaults().withLabelsFile(fixture(ModelFixture.LABELS)));
        NpyArray embeddings = Npy.read(fixture(ModelFixture.EMBEDDINGS));
        NpyArray clusters = Npy.read(fixture(ModelFixture.CLUSTERS));
        try (Device cpu = Device.cpu()) {
            SequenceClusteringModel model = SequenceClusteringModel.load(fixture(ModelFixture.MODEL), cpu);
            assertEquals("rnn-gru-idec", model.method());
            assertEquals(3, model.clusters());
            assertEquals(3, model.latent());
            assertEquals(2, model.channels());
            assertEquals(List.of("0", "1", "2"), model.labelNames());
            // The CPU's OpenBLAS kernel may differ from the one that wrote the fixture: FP32 rounding
            // may move, nothing more.
            double e = RelativeError.of(model.embed(data), embeddings.data());
            assertTrue(e <= Tolerances.FP32_OP, "embeddings moved by " + e);
            int[] want = new int[data.size()];
            for (int i = 0; i < want.length; i++) want[i] = (int) clusters.data()[i];
            assertArrayEquals(want, model.predict(data));
        }
    }
}
