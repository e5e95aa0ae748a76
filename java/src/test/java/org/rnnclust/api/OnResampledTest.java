package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                seen.add(train.maxLength());
                KMeansModel km = new KMeansModel(1, 1, new float[] {0}, new int[train.n()], 0, 1, true, List.of());
                return new FittedClustering("probe", device, data -> {
                    seen.add(data.maxLength());
                    return new float[data.n()];
                }, 1, km, 1, 1, "iterations", List.of(), () -> { }, 0);
            }
        };
        PaddedSequences train = new PaddedSequences(2, 100, 1, new float[200], new int[] {100, 50});
        PaddedSequences test = new PaddedSequences(3, 100, 1, new float[300], new int[] {100, 100, 10});
        PaddedSequences shortSet = new PaddedSequences(1, 20, 1, new float[20], new int[] {20});
        try (Device cpu = Device.open(new DeviceOptions("cpu", 1, false, 0, false));
             FittedClustering f = Methods.onResampled(probe, 32).fit(cpu, train, 1, 0)) {
            f.assign(test);
            f.assign(shortSet);
        }
        assertEquals(List.of(32, 32, 20), seen);
    }
}
