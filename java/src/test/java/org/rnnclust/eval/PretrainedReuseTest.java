package org.rnnclust.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import java.util.HashMap;
import java.util.Map;
import org.rnnclust.api.ClusterInit;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.Pretraining;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;

/**
 * The recurrent methods of evaluate share one pretraining per seed: a method that finds the
 * network in the cache restores it instead of training, and clusters exactly as one that trained
 * it itself (training is deterministic for a seed, so the cache saves time and changes nothing).
 */
class PretrainedReuseTest {
    @Test
    void reusedPretrainingClustersLikeATrainedOne() {
        PaddedSequences x = cbf();
        EvaluationBudget b = EvaluationBudget.quick();
        Map<Long, Pretraining> cache = new HashMap<>();
        try (Device backend = Device.open(new DeviceOptions("cpu", 1, false, 0, true))) {
            int[] alone;
            try (FittedClustering f = MethodNames.build("rnn-ae", b).fit(backend, x, 3, 4)) {
                alone = f.assign(x).labels();
            }
            assertNull(cache.get(4L));
            int[] first;
            try (FittedClustering f = MethodNames.build("rnn-ae", b, cache).fit(backend, x, 3, 4)) {
                first = f.assign(x).labels();
                assertEquals(0.0, f.reusedSeconds(), "the first fit trains");
            }
            assertNotNull(cache.get(4L));
            try (FittedClustering f = MethodNames.build("rnn-ae", b, cache).fit(backend, x, 3, 4)) {
                assertArrayEquals(alone, f.assign(x).labels());
                assertEquals(cache.get(4L).seconds(), f.reusedSeconds(), "the reuse counts the pretraining's time");
                assertEquals(cache.get(4L).epochs(), f.steps());
            }
            assertArrayEquals(alone, first);
            // With a spectral start the same network's embeddings are clustered by SpectralClustering.
            SpectralClustering.Params spectral = new SpectralClustering.Params(5, 0, 1000);
            try (FittedClustering f = MethodNames.build("rnn-ae", b.withClusterInit(ClusterInit.spectral(5, 0, 1000)), cache)
                    .fit(backend, x, 3, 4)) {
                float[] z = f.embed(x);
                KMeansModel expected = SpectralClustering.centroidModel(backend.backend(), z, x.n(), f.dimensions(),
                        spectral, KMeansParams.of(3, 4).withNInit(b.nInit()));
                assertArrayEquals(expected.centroids(), f.centroids(), 0f);
                assertArrayEquals(expected.labels(), f.assign(x).labels());
            }
            // A refined method starts from the cached network: its epochs are the pretraining's plus its own.
            try (FittedClustering f = MethodNames.build("rnn-ae-dec", b, cache).fit(backend, x, 3, 4)) {
                assertEquals(cache.get(4L).seconds(), f.reusedSeconds());
                assertEquals(true, f.steps() >= cache.get(4L).epochs());
            }
        }
    }

    @Test
    void theBidirectionalMethodTrainsItsOwnNetworkWithABidirectionalEncoder() {
        PaddedSequences x = cbf();
        EvaluationBudget b = EvaluationBudget.quick();
        Map<Long, Pretraining> cache = new HashMap<>();
        try (Device backend = Device.open(new DeviceOptions("cpu", 1, false, 0, true))) {
            long oneWay;
            try (FittedClustering f = MethodNames.build("rnn-ae", b, cache).fit(backend, x, 3, 4)) {
                oneWay = f.parameterCount();
            }
            int[] alone;
            try (FittedClustering f = MethodNames.build("rnn-ae-bi", b).fit(backend, x, 3, 4)) {
                alone = f.assign(x).labels();
            }
            try (FittedClustering f = MethodNames.build("rnn-ae-bi", b, cache).fit(backend, x, 3, 4)) {
                assertEquals(0.0, f.reusedSeconds(), "rnn-ae-bi must not reuse rnn-ae's one-way network");
                assertArrayEquals(alone, f.assign(x).labels());
                // The backward encoder's LSTM: 4 gates × 16 hidden × (1 input + 16 recurrent + 2 biases);
                // the projection to the 8-dimensional embedding reads 2 × 16 states instead of 16.
                assertEquals(oneWay + 4L * 16 * (1 + 16 + 2) + 16L * 8, f.parameterCount());
            }
        }
    }

    @Test
    void theDilatedMethodTrainsItsOwnThreeLayerNetwork() {
        PaddedSequences x = cbf();
        EvaluationBudget b = EvaluationBudget.quick();
        Map<Long, Pretraining> cache = new HashMap<>();
        try (Device backend = Device.open(new DeviceOptions("cpu", 1, false, 0, true))) {
            long oneLayer;
            try (FittedClustering f = MethodNames.build("rnn-ae", b, cache).fit(backend, x, 3, 4)) {
                oneLayer = f.parameterCount();
            }
            try (FittedClustering f = MethodNames.build("rnn-ae-dilated", b, cache).fit(backend, x, 3, 4)) {
                assertEquals(0.0, f.reusedSeconds(), "rnn-ae-dilated must not reuse rnn-ae's one-layer network");
                // Two more LSTM layers of 16 in the encoder and two in the decoder, each reading 16 states:
                // 4 gates × 16 × (16 input + 16 recurrent + 2 biases).
                assertEquals(oneLayer + 4 * (4L * 16 * (16 + 16 + 2)), f.parameterCount());
            }
        }
    }

    /** 24 preprocessed CBF series of 32 steps, the data of the tests. */
    private static PaddedSequences cbf() {
        var raw = Cbf.generate(8, 32, 5);
        return PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), raw).apply(raw));
    }
}
