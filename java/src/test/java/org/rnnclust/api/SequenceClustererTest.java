package org.rnnclust.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.Refinement;
import org.rnnclust.train.RefinementResult;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.testing.CpuDevice;

/** The public pipeline: what fit does, what the model answers, files, threads, cancellation and resume. */
class SequenceClustererTest {
    @RegisterExtension static final CpuDevice CPU = CpuDevice.forNetworks(true);

    @TempDir Path tmp;



    static final Dataset TRAIN = Cbf.generate(12, 40, 1);
    static final Dataset TEST = Cbf.generate(6, 40, 2);

    static SequenceClusterer.Builder small() {
        return SequenceClusterer.builder().cell(Cell.GRU).hidden(8).latent(4).epochs(6).batchSize(8)
                .refine(Refine.IDEC).refineEpochs(3).updateInterval(2).refineTolerance(0).seed(7);
    }

    @Test
    void fitIsPretrainingThenKMeansThenRefinementOfTheEngine() {
        SequenceClusteringModel model = small().build().fit(CPU.get(), TRAIN);
        // The same steps by hand, on the engine's classes.
        Backend b = CPU.get().backend();
        PaddedSequences x = PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), TRAIN).apply(TRAIN));
        AutoencoderSpec spec = new AutoencoderSpec(CellType.GRU, 1, 8, 1, false, 4);
        try (SequenceAutoencoder net = new SequenceAutoencoder(b.tensorOps(), spec, 7)) {
            new Trainer(b.tensorOps(), new TrainConfig(6, 8, 3e-3, 0, 1.0, 10, 1e-3, 7), null).train(net, x);
            float[] z = Trainer.embed(b.tensorOps(), net, x, 8);
            KMeansModel km = new KMeans(KMeansParams.of(3, 7)).fit(b, z, x.n(), 4);
            assertArrayEquals(km.labels(), model.fitReport().initial().labels());
            RefinementResult r = new Refinement(b, new RefineParams(RefineMethod.IDEC, 3, 0.1, 2, 0, 1e-3, 8, 1.0,
                    1.0, 7), null).refine(net, x, km.centroids(), 3);
            assertArrayEquals(r.centroids(), model.centroids(), 0f);
            assertArrayEquals(r.labels(), model.fitReport().training().labels());
            assertArrayEquals(Trainer.embed(b.tensorOps(), net, x, 8), model.embed(TRAIN), 0f);
        }
    }

    @Test
    void aSavedModelLoadsAndAnswersExactlyAsTheFittedOne() {
        SequenceClusteringModel model = small().build().fit(CPU.get(), TRAIN);
        Path file = tmp.resolve("m.rnnclust");
        model.save(file);
        SequenceClusteringModel loaded = SequenceClusteringModel.load(file, CPU.get());
        assertArrayEquals(model.embed(TEST), loaded.embed(TEST), 0f);
        assertArrayEquals(model.predict(TEST), loaded.predict(TEST));
        assertEquals(model.assign(TEST).inertia(), loaded.assign(TEST).inertia());
        ClusteringModel.Embedded both = loaded.embedAndAssign(TEST);
        assertArrayEquals(model.embed(TEST), both.embeddings(), 0f);
        assertArrayEquals(model.predict(TEST), both.assignment().labels());
        assertEquals(model.assign(TEST).inertia(), both.assignment().inertia());
        assertEquals(ClusteringScores.of(TEST.labels(), model.predict(TEST)), loaded.scores(TEST));
        assertEquals("rnn-gru-idec", loaded.method());
        assertNull(loaded.fitReport());
        assertNotNull(model.fitReport().beforeRefinement());
    }

    @Test
    void aDilatedEncoderIsTheEnginesDilatedStackAndItsModelFileKeepsTheDilations() {
        SequenceClusteringModel model = small().layers(3).dilations(List.of(1, 4, 16)).refine(Refine.NONE).build()
                .fit(CPU.get(), TRAIN);
        Backend b = CPU.get().backend();
        PaddedSequences x = PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), TRAIN).apply(TRAIN));
        AutoencoderSpec spec = new AutoencoderSpec(CellType.GRU, 1, 8, 3, false, 4, List.of(1, 4, 16));
        try (SequenceAutoencoder net = new SequenceAutoencoder(b.tensorOps(), spec, 7)) {
            new Trainer(b.tensorOps(), new TrainConfig(6, 8, 3e-3, 0, 1.0, 10, 1e-3, 7), null).train(net, x);
            assertArrayEquals(Trainer.embed(b.tensorOps(), net, x, 8), model.embed(TRAIN), 0f);
        }
        Path file = tmp.resolve("dilated.rnnclust");
        model.save(file);
        SequenceClusteringModel loaded = SequenceClusteringModel.load(file, CPU.get());
        assertArrayEquals(model.embed(TEST), loaded.embed(TEST), 0f);
        assertArrayEquals(model.predict(TEST), loaded.predict(TEST));
        // Undilated, the same weights would embed otherwise: the file must have carried the dilations.
        SequenceClusteringModel undilated = small().layers(3).refine(Refine.NONE).build().fit(CPU.get(), TRAIN);
        assertFalse(java.util.Arrays.equals(model.embed(TEST), undilated.embed(TEST)));
        InputException wrongCount = assertThrows(InputException.class,
                () -> small().layers(2).dilations(List.of(1, 4, 16)).build());
        assertEquals(List.of(Setting.DILATIONS, Setting.LAYERS), wrongCount.settings());
        assertThrows(IllegalArgumentException.class, () -> small().dilations(List.of(0)).build());
    }

    @Test
    void aLoadedModelEmbedsInTheTrainingBatchSizeBitForBit() {
        // The GEMMs round differently with other rows per call (one ulp or so): a loaded model must use
        // the fit's batch size to give the fitted model's embeddings exactly.
        Dataset many = Cbf.generate(100, 48, 3);
        SequenceClusteringModel model = SequenceClusterer.builder().hidden(32).layers(2).epochs(1).batchSize(32)
                .refine(Refine.NONE).seed(3).build().fit(CPU.get(), many);
        Path file = tmp.resolve("b.rnnclust");
        model.save(file);
        assertArrayEquals(model.embed(many), SequenceClusteringModel.load(file, CPU.get()).embed(many), 0f);
    }

    @Test
    void threadsSharingAModelGetWhatOneThreadGets() throws Exception {
        SequenceClusteringModel model = small().refine(Refine.NONE).build().fit(CPU.get(), TRAIN);
        int[] alone = model.predict(TEST);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) futures.add(pool.submit(() -> model.predict(TEST)));
            for (Future<int[]> f : futures) assertArrayEquals(alone, f.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theListenerHearsPretrainingThenRefinement() {
        List<FitListener.Phase> phases = new ArrayList<>();
        small().build().fit(CPU.get(), org.rnnclust.data.prep.PreparedData.prepare(TRAIN, null, PreprocessOptions.defaults()),
                FitOptions.defaults().withListener(new FitListener() {
                    @Override
                    public void epochFinished(Epoch e) {
                        phases.add(e.phase());
                    }
                }));
        assertEquals(List.of(FitListener.Phase.PRETRAINING, FitListener.Phase.PRETRAINING, FitListener.Phase.PRETRAINING,
                FitListener.Phase.PRETRAINING, FitListener.Phase.PRETRAINING, FitListener.Phase.PRETRAINING,
                FitListener.Phase.REFINEMENT, FitListener.Phase.REFINEMENT, FitListener.Phase.REFINEMENT), phases);
    }

    /**
     * Reconstructions in the data's layout: each sequence's, computed among sequences of other
     * lengths, equals its reconstruction alone, and the steps past its length stay zero.
     */
    @Test
    void reconstructionsKeepEachSequencesLayoutWhateverItsBatch() {
        SequenceClusteringModel model = small().refine(Refine.NONE).build().fit(CPU.get(), TRAIN);
        float[][] series = new float[TRAIN.size()][];
        for (int i = 0; i < series.length; i++) {
            series[i] = java.util.Arrays.copyOf(TRAIN.series(i), 20 + i % 21);  // 20..40 steps
        }
        PaddedSequences all = PaddedSequences.of(Dataset.unlabelled("varied", series, 1));
        float[] rec = model.reconstruct(all);
        assertEquals(all.values().length, rec.length);
        for (int i = 0; i < series.length; i++) {
            float[] alone = model.reconstruct(PaddedSequences.of(Dataset.unlabelled("one", new float[][] {series[i]}, 1)));
            for (int t = 0; t < all.maxLength(); t++) {
                float got = rec[i * all.maxLength() + t];
                if (t >= series[i].length) {
                    assertEquals(0f, got, "sequence " + i + ", step " + t + " is past its length");
                } else {
                    assertEquals(alone[t], got, 1e-5f * (1 + Math.abs(alone[t])), "sequence " + i + ", step " + t);
                }
            }
        }
    }

    /** Records "start PHASE" and "end PHASE" (what a progress bar opens and closes on). */
    private static FitListener phaseRecorder(List<String> events) {
        return new FitListener() {
            @Override
            public void phaseStarted(Phase phase, int steps) {
                events.add("start " + phase);
            }

            @Override
            public void phaseEnded(Phase phase) {
                events.add("end " + phase);
            }
        };
    }

    @Test
    void everyPhaseThatStartsEndsAlsoWhenTheFitIsCancelled() {
        var data = org.rnnclust.data.prep.PreparedData.prepare(TRAIN, null, PreprocessOptions.defaults());
        List<String> whole = new ArrayList<>();
        small().build().fit(CPU.get(), data, FitOptions.defaults().withListener(phaseRecorder(whole)));
        assertEquals(List.of("start PRETRAINING", "end PRETRAINING", "start KMEANS", "end KMEANS", "start REFINEMENT",
                "end REFINEMENT"), whole);
        // 5 batches an epoch, 30 in pretraining: poll 34 is in refinement, poll 8 in pretraining.
        for (int stopAt : new int[] {8, 34}) {
            List<String> stopped = new ArrayList<>();
            int[] polls = {0};
            assertThrows(CancelledException.class, () -> small().build().fit(CPU.get(), data, FitOptions.defaults()
                    .withListener(phaseRecorder(stopped)).withCancellation(() -> ++polls[0] > stopAt)));
            assertEquals(stopAt == 8 ? List.of("start PRETRAINING", "end PRETRAINING") : whole, stopped);
        }
    }

    @Test
    void aFitCancelledInRefinementResumesToTheUninterruptedModel() throws Exception {
        SequenceClusterer c = small().build();
        var data = org.rnnclust.data.prep.PreparedData.prepare(TRAIN, null, PreprocessOptions.defaults());
        Path whole = tmp.resolve("whole.rnnclust");
        c.fit(CPU.get(), data, FitOptions.defaults()).save(whole);
        Path checkpoint = tmp.resolve("last.ckpt");
        // 36 series in batches of 8: 5 batches an epoch, 30 in pretraining; poll 38 is in refinement's epoch 2.
        int[] polls = {0};
        assertThrows(CancelledException.class, () -> c.fit(CPU.get(), data,
                FitOptions.defaults().withCheckpoint(checkpoint, false).withCancellation(() -> ++polls[0] > 37)));
        Path resumed = tmp.resolve("resumed.rnnclust");
        c.fit(CPU.get(), data, FitOptions.defaults().withCheckpoint(checkpoint, true)).save(resumed);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }

    @Test
    void resumingWithOtherPretrainingSettingsIsRefused() {
        var data = org.rnnclust.data.prep.PreparedData.prepare(TRAIN, null, PreprocessOptions.defaults());
        Path checkpoint = tmp.resolve("last.ckpt");
        small().refine(Refine.NONE).build().fit(CPU.get(), data, FitOptions.defaults().withCheckpoint(checkpoint, false));
        InputException e = assertThrows(InputException.class, () -> small().hidden(9).build()
                .fit(CPU.get(), data, FitOptions.defaults().withCheckpoint(checkpoint, true)));
        assertTrue(e.getMessage().contains("made with hidden = 8, this run has 9"), e.getMessage());
    }

    @Test
    void settingsAreCheckedWhenBuiltAndClustersNeedLabelsOrANumber() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> small().learningRate(-1).build());
        assertTrue(bad.getMessage().contains("learning rate"), bad.getMessage());
        Dataset unlabelled = Dataset.unlabelled("u", new float[][] {{1, 2, 3}, {3, 2, 1}, {1, 1, 1}}, 1);
        InputException e = assertThrows(InputException.class, () -> small().build().fit(CPU.get(), unlabelled));
        assertEquals(List.of(Setting.CLUSTERS), e.settings());
    }
}
