package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rnnclust.baseline.Pca;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.testing.CpuDevice;

/**
 * The views of {@link ReservoirViews}, each against what it should equal when done by hand: the
 * difference channel against the method fitted on sequences differenced directly, members at steps
 * of their own against members resampled beforehand, and the raw view's blocks against the
 * variance shares it promises.
 */
class ReservoirViewsTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(false);



    private static ReservoirSettings withViews(int maxSteps, int members, ReservoirViews views) {
        return ReservoirMethodTest.members(maxSteps, members).withViews(views);
    }

    @Test
    void firstDifferencesAreTheStepToStepChangesBesideTheValues() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 3, t = 5, c = 2;
        float[] v = new float[n * t * c];
        int[] lengths = {5, 3, 1};
        for (int i = 0; i < n; i++) for (int s = 0; s < lengths[i] * c; s++) v[i * t * c + s] = (float) r.nextGaussian();
        PaddedSequences d = new PaddedSequences(n, t, c, v, lengths).withFirstDifferences();
        assertEquals(2 * c, d.channels());
        assertArrayEquals(lengths, d.lengths());
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                for (int ch = 0; ch < c; ch++) {
                    float x = s < lengths[i] ? v[(i * t + s) * c + ch] : 0;
                    float dx = s == 0 || s >= lengths[i] ? 0 : v[(i * t + s) * c + ch] - v[(i * t + s - 1) * c + ch];
                    assertEquals(x, d.values()[(i * t + s) * 2 * c + ch], "value " + i + "," + s + "," + ch);
                    assertEquals(dx, d.values()[(i * t + s) * 2 * c + c + ch], "difference " + i + "," + s + "," + ch);
                }
            }
        }
    }

    @Test
    void theDifferenceChannelIsTheMethodOnDifferencedSequences() {
        PaddedSequences train = ReservoirMethodTest.sines(30, 1);
        PaddedSequences test = ReservoirMethodTest.sines(12, 2);
        KMeansSettings km = KMeansSettings.withRestarts(3);
        ReservoirViews differences = new ReservoirViews(true, List.of(), 0);
        try (FittedClustering viewed = Methods.reservoir(withViews(45, 1, differences), km).fit(CPU.get(), train, 3, 5);
             FittedClustering byHand = Methods.reservoir(withViews(0, 1, ReservoirViews.NONE), km)
                     .fit(CPU.get(), train.resampledTo(45).withFirstDifferences(), 3, 5)) {
            assertArrayEquals(byHand.trainingLabels(), viewed.trainingLabels());
            assertArrayEquals(byHand.embed(test.resampledTo(45).withFirstDifferences()), viewed.embed(test));
        }
    }

    @Test
    void membersAtOneStepCountAreTheMethodResampledToIt() {
        PaddedSequences train = ReservoirMethodTest.sines(30, 1);
        PaddedSequences test = ReservoirMethodTest.sines(12, 2);
        KMeansSettings km = KMeansSettings.withRestarts(3);
        ReservoirViews at30 = new ReservoirViews(false, List.of(30), 0);
        try (FittedClustering viewed = Methods.reservoir(withViews(64, 1, at30), km).fit(CPU.get(), train, 3, 5);
             FittedClustering resampled = Methods.reservoir(withViews(30, 1, ReservoirViews.NONE), km).fit(CPU.get(), train, 3, 5)) {
            assertArrayEquals(resampled.trainingLabels(), viewed.trainingLabels());
            assertArrayEquals(resampled.embed(test), viewed.embed(test));
        }
    }

    @Test
    void membersTakeTheirStepsInTurn() {
        PaddedSequences train = ReservoirMethodTest.sines(30, 1);
        PaddedSequences test = ReservoirMethodTest.sines(12, 2);
        KMeansSettings km = KMeansSettings.withRestarts(3);
        ReservoirSettings s = withViews(64, 3, new ReservoirViews(false, List.of(30, 0), 0));
        assertEquals(30, s.stepsOfMember(0));
        assertEquals(0, s.stepsOfMember(1));
        assertEquals(30, s.stepsOfMember(2));
        assertEquals(64, withViews(64, 3, ReservoirViews.NONE).stepsOfMember(1));
        SplittableRandom seeds = new SplittableRandom(5);
        try (ReservoirRepresentation mixed = ReservoirRepresentation.fit(s, km, 0, CPU.get(), train, 3, 5)) {
            float[] joined = mixed.embed(test);
            int width = mixed.embeddingDimension();
            int offset = 0;
            for (int m = 0; m < 3; m++) {
                int steps = m % 2 == 0 ? 30 : 0;
                try (FittedClustering alone = Methods.reservoir(withViews(steps, 1, ReservoirViews.NONE), km)
                        .fit(CPU.get(), train, 3, seeds.nextLong())) {
                    float[] want = alone.embed(test);
                    int d = alone.dimensions();
                    for (int i = 0; i < test.n(); i++) {
                        assertArrayEquals(Arrays.copyOfRange(want, i * d, (i + 1) * d),
                                Arrays.copyOfRange(joined, i * width + offset, i * width + offset + d), "member " + m);
                    }
                    offset += d;
                }
            }
            assertEquals(width, offset);
        }
    }

    @Test
    void theRawViewHoldsItsShareOfTheVariance() {
        PaddedSequences train = ReservoirMethodTest.sines(40, 1);
        SplittableRandom r = new SplittableRandom(9);
        int n = train.n(), d = 7;
        float[] model = new float[n * d];
        for (int i = 0; i < model.length; i++) model[i] = (float) (3 * r.nextGaussian());
        Pca modelPca = Pca.fit(model, n, d, PcaSettings.defaults().rule());
        float[] z = modelPca.transform(model, n);
        RawView view = RawView.fit(train, modelPca, 0.3, PcaSettings.defaults(), false);
        int m = modelPca.components();
        int width = view.dimension(modelPca);
        float[] joined = view.join(z, train);
        assertEquals(n * width, joined.length);
        double modelVariance = 0, rawVariance = 0;
        for (int j = 0; j < width; j++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < n; i++) mean += joined[i * width + j];
            mean /= n;
            for (int i = 0; i < n; i++) sq += Math.pow(joined[i * width + j] - mean, 2);
            if (j < m) modelVariance += sq / (n - 1);
            else rawVariance += sq / (n - 1);
        }
        assertEquals(0.7, modelVariance, 1e-4, "the model space's share");
        assertEquals(0.3, rawVariance, 1e-4, "the raw values' share");
        // The raw block is the PCA of the flattened sequences, scaled.
        Pca raw = Pca.fit(train.values(), n, train.rowSize(), PcaSettings.defaults().rule());
        float[] y = raw.transform(train.values(), n);
        int k = raw.components();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(view.rawScale() * y[i * k + j], joined[i * width + m + j], 1e-5, "raw " + i + "," + j);
            }
        }
    }

    @Test
    void theRawViewIsClusteredBesideEachMembersModelSpace() {
        PaddedSequences train = ReservoirMethodTest.sines(30, 1);
        KMeansSettings km = KMeansSettings.withRestarts(3);
        try (FittedClustering plain = Methods.reservoir(withViews(45, 1, ReservoirViews.NONE), km).fit(CPU.get(), train, 3, 5);
             FittedClustering viewed = Methods.reservoir(withViews(45, 1, new ReservoirViews(false, List.of(), 0.5)), km)
                     .fit(CPU.get(), train, 3, 5)) {
            int raw = Pca.fit(train.resampledTo(45).values(), 30, 45, PcaSettings.defaults().rule()).components();
            assertEquals(plain.dimensions() + raw, viewed.dimensions());
        }
    }

    @Test
    void badViewsAndTheRawViewInAModelAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReservoirViews(false, List.of(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> new ReservoirViews(false, List.of(), 1));
        // Model files store the difference channel and the members' steps, not the raw view.
        ReservoirClusterer.builder().settings(ReservoirSettings.defaults()
                .withViews(new ReservoirViews(true, List.of(32, 64), 0))).build();
        assertThrows(IllegalArgumentException.class, () -> ReservoirClusterer.builder()
                .settings(ReservoirSettings.defaults().withViews(new ReservoirViews(true, List.of(), 0.5))).build());
    }
}
