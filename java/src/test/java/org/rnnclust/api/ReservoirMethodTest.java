package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rnnclust.baseline.Pca;
import org.rnnclust.baseline.Standardization;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Reservoir;
import org.rnnclust.nn.ReservoirModelSpace;
import org.rnnclust.testing.CpuDevice;

/**
 * The reservoir method as a pipeline: its embedding is the standardised, PCA-reduced model space
 * of a reservoir drawn from the seed (the pieces are checked against numpy in ReservoirModelSpaceTest,
 * StandardizationTest and PcaTest), its training clusters are those of its own assignment, and the
 * resampling applies to the fit and to every later set.
 */
class ReservoirMethodTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(false);



    /** n noisy sines of 3 frequencies, 90 steps. */
    static PaddedSequences sines(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int t = 90;
        float[] v = new float[n * t];
        for (int i = 0; i < n; i++) {
            double f = 1 + i % 3;
            double phase = r.nextDouble(0, 2 * Math.PI);
            for (int s = 0; s < t; s++) v[i * t + s] = (float) (Math.sin(f * 2 * Math.PI * s / t + phase) + 0.1 * r.nextGaussian());
        }
        int[] lengths = new int[n];
        Arrays.fill(lengths, t);
        return new PaddedSequences(n, t, 1, v, lengths);
    }

    static ReservoirSettings small(int maxSteps) {
        return members(maxSteps, 1);
    }

    static ReservoirSettings members(int maxSteps, int members) {
        return new ReservoirSettings(40, 0.9, 0.5, 0.25, true, 6, 1.0, maxSteps, PcaSettings.defaults(), members);
    }

    @Test
    void embeddingIsTheStandardisedReducedModelSpaceOfTheSeedsReservoir() {
        PaddedSequences train = sines(30, 1);
        PaddedSequences test = sines(12, 2);
        ReservoirSettings s = small(0);
        try (FittedClustering fit = Methods.reservoir(s, KMeansSettings.withRestarts(3)).fit(CPU.get(), train, 3, 5);
             Reservoir r = new Reservoir(CPU.get().backend().tensorOps(), 1, s.spec(), 5)) {
            ReservoirModelSpace space = ReservoirModelSpace.fit(r, train, false);
            float[] coordinates = space.coordinates(train);
            Standardization scaling = Standardization.fit(coordinates, 30, space.dimension());
            Pca pca = Pca.fit(scaling.apply(coordinates, 30), 30, space.dimension(), s.pca().rule());
            assertEquals(pca.components(), fit.dimensions());
            float[] want = pca.transform(scaling.apply(space.coordinates(test), 12), 12);
            assertArrayEquals(want, fit.embed(test));
            assertArrayEquals(fit.trainingLabels(), fit.assign(train).labels(), "training clusters = its own assignment");
            // Three frequencies, phases at random: the dynamics separate them.
            int[] labels = fit.assign(test).labels();
            for (int i = 3; i < 12; i++) assertEquals(labels[i % 3], labels[i], "sine " + i);
            assertTrue(labels[0] != labels[1] && labels[1] != labels[2] && labels[0] != labels[2]);
        }
    }

    @Test
    void anotherSeedDrawsAnotherReservoir() {
        PaddedSequences train = sines(30, 1);
        try (FittedClustering a = Methods.reservoir(small(0), KMeansSettings.withRestarts(3)).fit(CPU.get(), train, 3, 5);
             FittedClustering b = Methods.reservoir(small(0), KMeansSettings.withRestarts(3)).fit(CPU.get(), train, 3, 5);
             FittedClustering c = Methods.reservoir(small(0), KMeansSettings.withRestarts(3)).fit(CPU.get(), train, 3, 6)) {
            assertArrayEquals(a.embed(train), b.embed(train));
            assertFalse(Arrays.equals(a.embed(train), c.embed(train)));
        }
    }

    @Test
    void longSequencesAreResampledForTheFitAndForEverySetAfter() {
        PaddedSequences train = sines(30, 1);
        PaddedSequences test = sines(12, 2);
        try (FittedClustering resampled = Methods.reservoir(small(45), KMeansSettings.withRestarts(3)).fit(CPU.get(), train, 3, 5);
             FittedClustering byHand = Methods.reservoir(small(0), KMeansSettings.withRestarts(3))
                     .fit(CPU.get(), train.resampledTo(45), 3, 5)) {
            assertArrayEquals(byHand.embed(test.resampledTo(45)), resampled.embed(test));
        }
    }

    @Test
    void membersGiveTheConsensusOfReservoirsDrawnFromTheSeed() {
        PaddedSequences train = sines(30, 1);
        PaddedSequences test = sines(12, 2);
        KMeansSettings km = KMeansSettings.withRestarts(3);
        SplittableRandom seeds = new SplittableRandom(5);
        List<int[]> trainPartitions = new ArrayList<>();
        List<int[]> testPartitions = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            try (FittedClustering one = Methods.reservoir(small(0), km).fit(CPU.get(), train, 3, seeds.nextLong())) {
                trainPartitions.add(one.trainingLabels());
                testPartitions.add(one.assign(test).labels());
            }
        }
        KMeansModel consensus = ConsensusClustering.model(CPU.get().backend(), trainPartitions, 3, km.params(3, 5));
        float[] testLabelsOneHot = ConsensusClustering.oneHot(testPartitions, 3);
        try (FittedClustering fit = Methods.reservoir(members(0, 3), km).fit(CPU.get(), train, 3, 5)) {
            assertArrayEquals(consensus.labels(), fit.trainingLabels());
            assertArrayEquals(testLabelsOneHot, fit.embed(test));
            assertArrayEquals(consensus.predict(CPU.get().backend(), testLabelsOneHot, 12).labels(), fit.assign(test).labels());
            assertEquals(9, fit.dimensions());
        }
    }
}
