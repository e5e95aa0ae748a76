package org.rnnclust.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;

/** The recurrent methods' resampling wraps both the fit and every later embedding (TRAIN and TEST alike). */
class OnResampledTest {
    @Test
    void fitAndEmbeddingBothSeeTheResampledSequences() {
        List<Integer> seen = new ArrayList<>();
        ClusteringMethod probe = new ClusteringMethod() {
            @Override public String name() { return "probe"; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                seen.add(train.maxLength());
                KMeansModel km = new KMeansModel(1, 1, new float[] {0}, new int[train.n()], 0, 1, true, List.of());
                return new FittedClustering("probe", (b, data) -> {
                    seen.add(data.maxLength());
                    return new float[data.n()];
                }, 1, km, 1, 1, "iterations", List.of(), () -> { });
            }
        };
        PaddedSequences train = new PaddedSequences(2, 100, 1, new float[200], new int[] {100, 50});
        PaddedSequences test = new PaddedSequences(3, 100, 1, new float[300], new int[] {100, 100, 10});
        PaddedSequences shortSet = new PaddedSequences(1, 20, 1, new float[20], new int[] {20});
        try (Backend backend = new CpuBackend(1);
             FittedClustering f = Methods.onResampled(probe, 32).fit(backend, train, 1, 0)) {
            f.assign(backend, test);
            f.assign(backend, shortSet);
        }
        assertEquals(List.of(32, 32, 20), seen);
    }
}
