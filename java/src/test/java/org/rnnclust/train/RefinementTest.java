package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.Setting;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;

/** DEC and IDEC end to end on a small, well-separated synthetic set; reproducibility. */
class RefinementTest {
    @TempDir Path tmp;

    static final int PER_CLASS = 20;
    static final int STEPS = 24;
    static final AutoencoderSpec SPEC = new AutoencoderSpec(CellType.LSTM, 1, 8, 1, false, 3);

    /** Three classes of noisy sines (1, 2 and 4 periods per sequence, jittered phase). */
    static PaddedSequences sines(int[] labels) {
        SplittableRandom rng = new SplittableRandom(17);
        int n = 3 * PER_CLASS;
        float[] v = new float[n * STEPS];
        int[] lengths = new int[n];
        int[] freq = {1, 2, 4};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = c;
            lengths[i] = STEPS;
            double phase = rng.nextDouble(-0.3, 0.3);
            for (int t = 0; t < STEPS; t++) {
                v[i * STEPS + t] = (float) (Math.sin(2 * Math.PI * freq[c] * t / STEPS + phase) + rng.nextGaussian() * 0.1);
            }
        }
        return new PaddedSequences(n, STEPS, 1, v, lengths);
    }

    record Run(int[] before, RefinementResult result, Map<String, float[]> weights) {}

    static Run run(RefineMethod method, int[] truth) {
        PaddedSequences data = sines(truth);
        // The deterministic mode: what a few epochs on 30 sines learn hangs on the last bits of every
        // GEMM, which OpenBLAS computes differently on other CPUs; fixed-order sums hold everywhere.
        try (Backend backend = new CpuBackend(2, true);
             SequenceAutoencoder net = new SequenceAutoencoder(backend.tensorOps(), SPEC, 5)) {
            new Trainer(backend.tensorOps(), new TrainConfig(25, 10, 1e-2, 0, 1.0, 0, 1e-3, 5), null)
                    .train(net, data);
            float[] z = Trainer.embed(backend.tensorOps(), net, data, 16);
            KMeansModel km = new KMeans(KMeansParams.of(3, 5)).fit(backend, z, data.n(), SPEC.latent());
            // tol 0: run every epoch, so the KL history covers the whole refinement.
            RefineParams p = new RefineParams(method, 15, 0.1, 0, 0, 1e-2, 10, 1.0, 1.0, 5);
            RefinementResult r = new Refinement(backend, p, null).refine(net, data, km.centroids(), 3);
            return new Run(km.labels(), r, TrainedModel.weightsOf(net));
        }
    }

    static void checkImproves(RefineMethod method) {
        int[] truth = new int[3 * PER_CLASS];
        Run r = run(method, truth);
        double before = ClusteringScores.of(truth, r.before()).nmi();
        double after = ClusteringScores.of(truth, r.result().labels()).nmi();
        assertTrue(after >= before - 1e-12, method + " lowered NMI from " + before + " to " + after);
        assertEquals(15, r.result().klHistory().size());
        // Between two target updates P is fixed and the steps descend on KL(P‖Q) (the KL against
        // each new, sharper target is another function and may rise). DEC descends on the KL alone:
        // it must fall in every interval. IDEC trades it against the reconstruction (γ = 0.1): it
        // must fall over the intervals together.
        var intervals = r.result().intervalKl();
        assertEquals(14, intervals.size());
        double start = 0;
        double end = 0;
        for (double[] kl : intervals) {
            if (method == RefineMethod.DEC) {
                assertTrue(kl[1] < kl[0], "DEC KL did not fall within a target interval: " + kl[0] + " -> " + kl[1]);
            }
            start += kl[0];
            end += kl[1];
        }
        assertTrue(end < start, method + " KL did not fall within the target intervals: " + start + " -> " + end);
        assertEquals(method == RefineMethod.IDEC ? 15 : 0, r.result().reconstructionHistory().size());
    }

    @Test
    void decKeepsNmiAndReducesKl() {
        checkImproves(RefineMethod.DEC);
    }

    @Test
    void idecKeepsNmiAndReducesKl() {
        checkImproves(RefineMethod.IDEC);
    }

    @Test
    void sameSeedSameResult() {
        int[] truth = new int[3 * PER_CLASS];
        Run a = run(RefineMethod.IDEC, truth);
        Run b = run(RefineMethod.IDEC, truth);
        assertArrayEquals(a.result().centroids(), b.result().centroids());
        assertArrayEquals(a.result().labels(), b.result().labels());
        assertEquals(a.result().klHistory(), b.result().klHistory());
        TrainerTest.assertSameWeights(a.weights(), b.weights());
    }

    /** A refinement whose target interval (4 batches) does not divide its epochs (6 batches). */
    static final RefineParams UNALIGNED = new RefineParams(RefineMethod.IDEC, 9, 0.1, 4, 0, 1e-2, 10, 1.0, 1.0, 5);

    /** Pretrains, clusters, then refines with {@code checkpoint} and {@code listener}; returns the result. */
    static Run refineWith(CheckpointFile checkpoint, TrainingListener listener, int[] truth) {
        PaddedSequences data = sines(truth);
        try (Backend backend = new CpuBackend(2);
             SequenceAutoencoder net = new SequenceAutoencoder(backend.tensorOps(), SPEC, 5)) {
            new Trainer(backend.tensorOps(), new TrainConfig(10, 10, 1e-2, 0, 1.0, 0, 1e-3, 5), null).train(net, data);
            float[] z = Trainer.embed(backend.tensorOps(), net, data, 16);
            KMeansModel km = new KMeans(KMeansParams.of(3, 5)).fit(backend, z, data.n(), SPEC.latent());
            RefinementResult r = new Refinement(backend, UNALIGNED, listener).refine(net, data, km.centroids(), 3,
                    checkpoint);
            return new Run(km.labels(), r, TrainedModel.weightsOf(net));
        }
    }

    @Test
    void resumedRefinementEndsWithTheUninterruptedResult() {
        int[] truth = new int[3 * PER_CLASS];
        Run whole = refineWith(CheckpointFile.none(), null, truth);
        Path file = tmp.resolve("r.ckpt");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> refineWith(CheckpointFile.start(file, TrainerTest.RUN, TrainerTest.DATA), TrainerTest.crashAfterEpoch(5), truth));
        int[] epochsRun = {0};
        Run resumed = refineWith(CheckpointFile.resume(file, TrainerTest.RUN, TrainerTest.DATA), TrainerTest.countingEpochs(epochsRun),
                truth);
        assertEquals(4, epochsRun[0], "the resumed run should only run epochs 6 to 9");
        RefinementResult a = whole.result();
        RefinementResult b = resumed.result();
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.epochs(), b.epochs());
        assertEquals(a.steps(), b.steps());
        assertEquals(a.labelChange(), b.labelChange());
        assertEquals(a.klHistory(), b.klHistory());
        assertEquals(a.reconstructionHistory(), b.reconstructionHistory());
        assertEquals(a.labelChangeHistory(), b.labelChangeHistory());
        assertEquals(a.intervalKl().size(), b.intervalKl().size());
        for (int i = 0; i < a.intervalKl().size(); i++) assertArrayEquals(a.intervalKl().get(i), b.intervalKl().get(i));
        TrainerTest.assertSameWeights(whole.weights(), resumed.weights());
    }

    @Test
    void refinementFromOtherCentroidsIgnoresTheSavedSectionAndStartsOver() {
        int[] truth = new int[3 * PER_CLASS];
        Path file = tmp.resolve("s.ckpt");
        refineWith(CheckpointFile.start(file, TrainerTest.RUN, TrainerTest.DATA), null, truth);
        // A checkpoint of a finished refinement, read by a refinement with other settings.
        PaddedSequences data = sines(truth);
        RefineParams other = new RefineParams(RefineMethod.DEC, 3, 0.1, 4, 0, 1e-2, 10, 1.0, 1.0, 5);
        int[] epochsRun = {0};
        try (Backend backend = new CpuBackend(2);
             SequenceAutoencoder net = new SequenceAutoencoder(backend.tensorOps(), SPEC, 5)) {
            float[] centroids = new float[3 * SPEC.latent()];
            new Refinement(backend, other, TrainerTest.countingEpochs(epochsRun)).refine(net, data, centroids, 3, CheckpointFile.resume(file, TrainerTest.RUN, TrainerTest.DATA));
        }
        assertEquals(3, epochsRun[0]);
    }

    @Test
    void divergingRefinementNamesTheRefinementLearningRate() {
        int[] truth = new int[3 * PER_CLASS];
        PaddedSequences data = sines(truth);
        RefineParams p = new RefineParams(RefineMethod.DEC, 5, 0.1, 0, 0, 1e-2, 10, 0, 1.0, 5);
        try (Backend backend = new CpuBackend(2);
             SequenceAutoencoder net = new SequenceAutoencoder(backend.tensorOps(), SPEC, 5)) {
            // An infinite centroid makes the soft assignment, and so the KL, NaN in the first batch.
            float[] centroids = new float[3 * SPEC.latent()];
            centroids[0] = Float.POSITIVE_INFINITY;
            TrainingDivergedException e = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                    () -> new Refinement(backend, p, null).refine(net, data, centroids, 3));
            assertTrue(e.getMessage().startsWith("refinement diverged in epoch"), e.getMessage());
            assertEquals(java.util.List.of(Setting.REFINE_LEARNING_RATE), e.settings());
        }
    }
}
