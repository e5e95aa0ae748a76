package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.InternalScores;
import org.rnnclust.testing.CpuDevice;

/**
 * A sweep over k fits the representation once and equals, for every k, the plain fit of that k:
 * the same clusters, and for the chosen k the same model file, byte for byte. The chosen k is the
 * one with the highest silhouette of the embeddings; the scores are the metrics' own.
 */
class KSweepTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(true);
    static final Dataset TRAIN = Cbf.generate(12, 40, 3);
    static final PreparedData DATA = PreparedData.prepare(TRAIN, null, PreprocessOptions.defaults());
    static final int[] KS = {2, 3, 4};

    @TempDir Path tmp;



    private static ReservoirClusterer.Builder reservoirs() {
        return ReservoirClusterer.builder()
                .settings(new ReservoirSettings(30, 0.9, 0.5, 0.25, true, 6, 1.0, 32, PcaSettings.defaults(), 3)).seed(5);
    }

    @Test
    void aReservoirSweepEqualsThePlainFitOfEachK() throws Exception {
        ReservoirClusterer.Swept swept = reservoirs().build().sweep(CPU.get(), DATA, KS, FitOptions.defaults());
        KSweep sweep = swept.sweep();
        assertEquals(KS.length, sweep.points().size());
        float[] embeddings = swept.model().embed(DATA.train());
        assertArrayEquals(embeddings, swept.model().trainingEmbeddings(), "the fit's embeddings are embed()'s");
        int d = swept.model().latent();
        for (KSweep.Point p : sweep.points()) {
            try (ReservoirClusteringModel alone = reservoirs().clusters(p.k()).build().fit(CPU.get(), DATA, FitOptions.defaults())) {
                assertArrayEquals(alone.training().labels(), p.labels(), "k = " + p.k());
                assertArrayEquals(alone.embed(DATA.train()), alone.trainingEmbeddings());
                assertEquals(alone.training().inertia(), p.inertia(), 0.0);
            }
            InternalScores direct = InternalScores.of(embeddings, TRAIN.size(), d, p.labels(), null);
            assertEquals(direct.silhouette(), p.scores().silhouette(), 0.0, "scored on the model's embeddings");
            assertEquals(direct.daviesBouldin(), p.scores().daviesBouldin(), 0.0);
        }
        assertChosenByTheHighestSilhouette(sweep);
        try (ReservoirClusteringModel chosen = swept.model();
             ReservoirClusteringModel alone = reservoirs().clusters(sweep.chosen()).build().fit(CPU.get(), DATA,
                     FitOptions.defaults())) {
            chosen.save(tmp.resolve("swept.rnnclust"));
            alone.save(tmp.resolve("alone.rnnclust"));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("alone.rnnclust")), Files.readAllBytes(tmp.resolve("swept.rnnclust")));
    }

    @Test
    void anAutoencoderSweepPretrainsOnceAndEqualsThePlainFitOfTheChosenK() throws Exception {
        SequenceClusterer.Builder small = SequenceClusterer.builder().cell(Cell.GRU).hidden(8).latent(4).epochs(4)
                .batchSize(8).refine(Refine.DEC).refineEpochs(2).seed(9);
        int[] pretrainings = {0};
        FitListener counting = new FitListener() {
            @Override
            public void phaseStarted(Phase phase, int steps) {
                if (phase == Phase.PRETRAINING) pretrainings[0]++;
            }
        };
        SequenceClusterer.Swept swept = small.build().sweep(CPU.get(), DATA, KS, FitOptions.defaults().withListener(counting));
        assertEquals(1, pretrainings[0], "one pretraining for every k");
        assertChosenByTheHighestSilhouette(swept.sweep());
        for (KSweep.Point p : swept.sweep().points()) {
            try (SequenceClusteringModel alone = small.clusters(p.k()).refine(Refine.NONE).build().fit(CPU.get(), DATA,
                    FitOptions.defaults())) {
                assertArrayEquals(alone.fitReport().initial().labels(), p.labels(), "k = " + p.k());
            }
        }
        try (SequenceClusteringModel chosen = swept.model();
             SequenceClusteringModel alone = small.clusters(swept.sweep().chosen()).refine(Refine.DEC).build()
                     .fit(CPU.get(), DATA, FitOptions.defaults())) {
            chosen.save(tmp.resolve("swept.rnnclust"));
            alone.save(tmp.resolve("alone.rnnclust"));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("alone.rnnclust")), Files.readAllBytes(tmp.resolve("swept.rnnclust")));
    }

    @Test
    void aRangeNeedsTwoToNMinusOneClusters() {
        assertArrayEquals(new int[] {2, 3, 4}, KSweep.range(2, 4, 36));
        assertThrows(InputException.class, () -> KSweep.range(1, 4, 36));
        assertThrows(InputException.class, () -> KSweep.range(4, 4, 36));
        assertThrows(InputException.class, () -> KSweep.range(2, 36, 36));
        assertThrows(InputException.class, () -> reservoirs().build().sweep(CPU.get(), DATA, new int[] {2, 36},
                FitOptions.defaults()));
    }

    private static void assertChosenByTheHighestSilhouette(KSweep sweep) {
        double best = sweep.points().stream().mapToDouble(p -> p.scores().silhouette()).max().orElseThrow();
        assertEquals(best, sweep.best().scores().silhouette(), 0.0);
        List<Integer> tied = sweep.points().stream().filter(p -> p.scores().silhouette() == best).map(KSweep.Point::k)
                .toList();
        assertEquals(tied.get(0), sweep.chosen(), "the smallest k on a tie");
        assertTrue(sweep.chosen() >= KS[0] && sweep.chosen() <= KS[KS.length - 1]);
    }
}
