package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.CancelledException;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.io.ModelFile;

/**
 * A fit cancelled through the cancel hook stops at a batch boundary, saves its position within
 * the epoch, and a resumed fit runs only the batches that were left and ends with the model file
 * of the uninterrupted fit, byte for byte: in pretraining (with input dropout or contrastive
 * views, whose draws come per batch) and in DEC and IDEC refinement (whose target and running sums
 * are saved mid-epoch).
 */
class InEpochResumeTest {
    /** The CPU with two threads, shared by the tests and closed with the JVM. */
    static final Device cpu = Device.open(new DeviceOptions("cpu", 2, false, 0, true));

    @TempDir Path tmp;

    static final PreparedData DATA = PreparedData.prepare(SequenceClustererTest.TRAIN, null, PreprocessOptions.defaults());
    /** 36 series in batches of 8: 5 batches an epoch, 4 pretraining epochs (batches 1-20), then refinement (21-35). */
    static final int PRETRAINING_BATCHES = 20;

    static SequenceClusterer clusterer(Refine refine) {
        return clusterer(refine, Objective.RECONSTRUCTION);
    }

    static SequenceClusterer clusterer(Refine refine, Objective objective) {
        return SequenceClusterer.builder().cell(Cell.GRU).hidden(8).latent(4).epochs(4).batchSize(8)
                .inputDropout(objective == Objective.RECONSTRUCTION ? 0.2 : 0).objective(objective)
                .refine(refine).refineEpochs(3).updateInterval(3).refineTolerance(0).seed(7).build();
    }

    /** Counts the batches a fit runs. */
    static final class Batches implements FitListener {
        int count;

        @Override
        public void batchFinished(Phase phase, int epoch, int batch, double loss) {
            count++;
        }
    }

    @ParameterizedTest(name = "{0} ({4}), cancelled before batch {1} (epoch {2}, batch {3} of its phase)")
    @CsvSource({
        "IDEC, 13, 3, 3, RECONSTRUCTION",   // pretraining, within an epoch
        "IDEC, 16, 4, 1, RECONSTRUCTION",   // pretraining, at an epoch boundary
        "IDEC, 21, 1, 1, RECONSTRUCTION",   // the first batch of refinement
        "IDEC, 28, 2, 3, RECONSTRUCTION",   // refinement, within an epoch, after a target update
        "DEC, 32, 3, 2, RECONSTRUCTION",    // DEC refinement, within its last epoch
        "IDEC, 13, 3, 3, BOTH",             // contrastive pretraining beside the reconstruction
        "DEC, 9, 2, 4, CONTRASTIVE"})       // contrastive pretraining alone
    void aCancelledFitResumesToTheUninterruptedModel(Refine refine, int cancelBefore, int epoch, int batch,
                                                     Objective objective) throws Exception {
        SequenceClusterer c = clusterer(refine, objective);
        Batches all = new Batches();
        Path whole = tmp.resolve("whole.rnnclust");
        SequenceClusteringModel uninterrupted = c.fit(cpu, DATA, FitOptions.defaults().withListener(all));
        uninterrupted.save(whole);

        Path checkpoint = tmp.resolve("last.ckpt");
        Batches before = new Batches();
        int[] polls = {0};
        CancelledException e = assertThrows(CancelledException.class, () -> c.fit(cpu, DATA, FitOptions.defaults()
                .withListener(before).withCheckpoint(checkpoint, false).withCancellation(() -> ++polls[0] >= cancelBefore)));
        assertEquals(cancelBefore - 1, before.count);
        String phase = cancelBefore > PRETRAINING_BATCHES ? "refinement" : "training";
        assertTrue(e.getMessage().startsWith(phase + " stopped before batch " + batch + " of 5 in epoch " + epoch),
                e.getMessage());
        assertTrue(e.getMessage().contains("the checkpoint " + checkpoint + " holds that position"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        boolean within = batch > 1;
        assertEquals(within, ModelFile.read(checkpoint).header().get("sections").get(phase.equals("training")
                ? "pretraining" : "refinement").has("in_epoch"));

        Batches after = new Batches();
        Path resumed = tmp.resolve("resumed.rnnclust");
        SequenceClusteringModel continued = c.fit(cpu, DATA, FitOptions.defaults().withListener(after)
                .withCheckpoint(checkpoint, true));
        continued.save(resumed);
        assertEquals(all.count, before.count + after.count, "the resumed fit should run only the batches left");
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
        // The epochs' mean losses, which the model file does not hold, come from the saved running sums.
        FitReport a = uninterrupted.fitReport();
        FitReport b = continued.fitReport();
        assertEquals(a.pretraining().lossHistory(), b.pretraining().lossHistory());
        assertEquals(a.refinement().klHistory(), b.refinement().klHistory());
        assertEquals(a.refinement().reconstructionHistory(), b.refinement().reconstructionHistory());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"IDEC", "DEC"})
    void aFitCancelledTwiceResumesToTheUninterruptedModel(Refine refine) throws Exception {
        SequenceClusterer c = clusterer(refine);
        Path whole = tmp.resolve("whole.rnnclust");
        c.fit(cpu, DATA, FitOptions.defaults()).save(whole);
        Path checkpoint = tmp.resolve("last.ckpt");
        int[] polls = {0};
        assertThrows(CancelledException.class, () -> c.fit(cpu, DATA, FitOptions.defaults()
                .withCheckpoint(checkpoint, false).withCancellation(() -> ++polls[0] >= 8)));
        int[] again = {0};
        assertThrows(CancelledException.class, () -> c.fit(cpu, DATA, FitOptions.defaults()
                .withCheckpoint(checkpoint, true).withCancellation(() -> ++again[0] >= 17)));
        Path resumed = tmp.resolve("resumed.rnnclust");
        c.fit(cpu, DATA, FitOptions.defaults().withCheckpoint(checkpoint, true)).save(resumed);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }

    @org.junit.jupiter.api.Test
    void raisingTheRefinementEpochsContinuesTheRefinement() throws Exception {
        SequenceClusterer longer = clusterer(Refine.IDEC).toBuilder().refineEpochs(4).build();
        Path whole = tmp.resolve("whole.rnnclust");
        longer.fit(cpu, DATA, FitOptions.defaults()).save(whole);
        Path checkpoint = tmp.resolve("last.ckpt");
        clusterer(Refine.IDEC).fit(cpu, DATA, FitOptions.defaults().withCheckpoint(checkpoint, false));
        Batches after = new Batches();
        Path resumed = tmp.resolve("resumed.rnnclust");
        longer.fit(cpu, DATA, FitOptions.defaults().withListener(after).withCheckpoint(checkpoint, true)).save(resumed);
        assertEquals(5, after.count, "only the fourth refinement epoch should run");
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }
}
