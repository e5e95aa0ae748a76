package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.InputException;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;

/**
 * DP-SGD's private step ({@link PrivateSgd}): per-sequence gradients against the gradients of
 * one-sequence batches, clipping, the noisy update's mean and variance over many draws, Poisson
 * sampling's rate, and training that stops at its ε and resumes its accounting.
 */
class PrivateSgdTest {
    @TempDir Path tmp;

    static final AutoencoderSpec SPEC = new AutoencoderSpec(CellType.LSTM, 2, 6, 1, true, 3);

    /** Five two-channel sequences of different lengths, padded to 20 steps. */
    static PaddedSequences ragged() {
        int n = 5;
        int steps = 20;
        int[] lengths = {20, 13, 7, 17, 10};
        SplittableRandom r = new SplittableRandom(4);
        float[] v = new float[n * steps * 2];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                for (int c = 0; c < 2; c++) v[(i * steps + t) * 2 + c] = (float) (Math.sin(0.3 * t * (c + 1) + i) + 0.2 * r.nextGaussian());
            }
        }
        return new PaddedSequences(n, steps, 2, v, lengths);
    }

    static DpSgdConfig dp(double maxNorm) {
        return new DpSgdConfig(maxNorm, 1.0, 1e-5, Double.NaN);
    }

    /**
     * The private step's clipped sum of per-sequence gradients, each computed from its row of the
     * padded batch, and the norms before clipping.
     */
    static Result privateSum(TensorOps ops, PaddedSequences data, double maxNorm) {
        TrainConfig config = new TrainConfig(1, data.n(), 1e-3, 0, 0, 0, 1e-3, 3).withPrivacy(dp(maxNorm));
        try (SequenceAutoencoder model = new SequenceAutoencoder(ops, SPEC, 9);
             PrivateSgd sgd = new PrivateSgd(ops, model.parameters(), config.privacy(), data.n(), data.n(), 1,
                     new SplittableRandom(1), null);
             BatchLoader loader = new BatchLoader(ops, data, data.n())) {
            Trainer.Pretraining objective = new Trainer(ops, config, null).new Pretraining(model, data, null, null);
            int[] all = {0, 1, 2, 3, 4};
            double[] norms = new double[all.length];
            sgd.startStep();
            for (int k = 0; k < all.length; k++) {
                SequenceMask mask = loader.load(all, k, 1);
                objective.forwardBackward(loader, mask, all, k, 1, 0, k);
                norms[k] = sgd.addClipped();
            }
            return new Result(sgd.sums(), norms);
        }
    }

    record Result(List<float[]> sums, double[] norms) {}

    /** Each sequence's gradient from a batch of that sequence alone, unpadded: the oracle. */
    static List<float[]> oneSequenceGradient(PaddedSequences data, int i) {
        int length = data.lengths()[i];
        float[] v = new float[length * data.channels()];
        System.arraycopy(data.values(), i * data.rowSize(), v, 0, v.length);
        PaddedSequences one = new PaddedSequences(1, length, data.channels(), v, new int[] {length});
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder model = new SequenceAutoencoder(ops, SPEC, 9);
             BatchLoader loader = new BatchLoader(ops, one, 1)) {
            SequenceMask mask = loader.load(new int[] {0}, 0, 1);
            model.zeroGrad();
            model.forward(loader.input(), mask);
            model.backward();
            return model.parameters().stream().map(Parameter::gradient).toList();
        }
    }

    static double norm(List<float[]> g) {
        double s = 0;
        for (float[] a : g) for (float x : a) s += (double) x * x;
        return Math.sqrt(s);
    }

    /** The per-sequence gradients' clipped sum on {@code ops} against one-sequence batches on the CPU. */
    static void checkPerSequenceGradients(TensorOps ops, double tolerance) {
        PaddedSequences data = ragged();
        List<List<float[]>> each = new java.util.ArrayList<>();
        for (int i = 0; i < data.n(); i++) each.add(oneSequenceGradient(data, i));
        double smallest = each.stream().mapToDouble(PrivateSgdTest::norm).min().orElseThrow();
        // Unclipped (the plain sum), then a norm that clips every sequence.
        for (double maxNorm : new double[] {1e9, smallest / 2}) {
            Result got = privateSum(ops, data, maxNorm);
            for (int i = 0; i < data.n(); i++) {
                double want = norm(each.get(i));
                assertEquals(want, got.norms()[i], tolerance * want, "sequence " + i + "'s gradient norm");
            }
            for (int p = 0; p < got.sums().size(); p++) {
                float[] sum = got.sums().get(p);
                double scale = 0;
                for (int j = 0; j < sum.length; j++) {
                    double want = 0;
                    for (int i = 0; i < data.n(); i++) {
                        want += each.get(i).get(p)[j] * Math.min(1, maxNorm / norm(each.get(i)));
                    }
                    scale = Math.max(scale, Math.abs(want));
                    assertEquals(want, sum[j], tolerance * Math.max(scale, 1e-3), "parameter " + p + "[" + j + "], C " + maxNorm);
                }
            }
        }
    }

    @Test
    void perSequenceGradientsEqualTheGradientsOfOneSequenceBatchesOnTheCpu() {
        try (CpuOps ops = new CpuOps(2)) {
            checkPerSequenceGradients(ops, 1e-5);
        }
    }

    @Test
    void theNoisyUpdateHasTheClippedMeanAndTheNoisesVariance() {
        double maxNorm = 0.5;
        double sigma = 1.3;
        int draws = 3000;
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder model = new SequenceAutoencoder(ops, SPEC, 2)) {
            List<Parameter> params = model.parameters();
            // Three fixed "sequence gradients": norms about 0.2 (kept), 1 and 3 (clipped).
            SplittableRandom r = new SplittableRandom(6);
            double[] wanted = {0.2, 1, 3};
            List<List<float[]>> gradients = new java.util.ArrayList<>();
            for (double target : wanted) {
                List<float[]> g = params.stream().map(p -> {
                    float[] a = new float[(int) p.size()];
                    for (int j = 0; j < a.length; j++) a[j] = (float) r.nextGaussian();
                    return a;
                }).toList();
                double scale = target / norm(g);
                for (float[] a : g) for (int j = 0; j < a.length; j++) a[j] *= (float) scale;
                gradients.add(g);
            }
            int n = 30;
            int batch = 3;  // expected batch: q·n = 3
            double expectedBatch = batch;
            DpSgdConfig config = new DpSgdConfig(maxNorm, sigma, 1e-5, Double.NaN);
            try (PrivateSgd sgd = new PrivateSgd(ops, params, config, n, batch, 1, new SplittableRandom(11), null)) {
                int size = params.stream().mapToInt(p -> (int) p.size()).sum();
                double[] mean = new double[size];
                double[] squares = new double[size];
                double[] expected = new double[size];
                for (List<float[]> g : gradients) {
                    double factor = Math.min(1, maxNorm / norm(g));
                    int at = 0;
                    for (float[] a : g) for (float x : a) expected[at++] += x * factor / expectedBatch;
                }
                for (int d = 0; d < draws; d++) {
                    sgd.startStep();
                    for (List<float[]> g : gradients) {
                        for (int p = 0; p < params.size(); p++) ops.upload(g.get(p), params.get(p).grad());
                        sgd.addClipped();
                    }
                    sgd.finishStep();
                    int at = 0;
                    for (Parameter p : params) {
                        for (float x : p.gradient()) {
                            mean[at] += x;
                            squares[at] += (double) x * x;
                            at++;
                        }
                    }
                }
                double std = sigma * maxNorm / expectedBatch;
                double pooledVariance = 0;
                double zSquares = 0;
                for (int j = 0; j < size; j++) {
                    double m = mean[j] / draws;
                    double variance = squares[j] / draws - m * m;
                    pooledVariance += variance / size;
                    double z = (m - expected[j]) / (std / Math.sqrt(draws));
                    zSquares += z * z / size;
                    assertTrue(Math.abs(z) < 5.5, "coordinate " + j + ": mean " + m + ", expected " + expected[j] + " (z " + z + ")");
                    // One coordinate's variance from 3000 draws: relative standard error √(2/3000) ≈ 2.6 %.
                    assertEquals(std * std, variance, 0.15 * std * std, "coordinate " + j + "'s variance");
                }
                assertEquals(1, zSquares, 0.15, "the mean squared z-score of the coordinates' means");
                assertEquals(std * std, pooledVariance, 0.01 * std * std, "the variance pooled over " + size + " coordinates");
            }
        }
    }

    @Test
    void poissonSamplingTakesEachSequenceAtTheRateAndTheBatchSizeVaries() {
        int n = 50;
        int draws = 20000;
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder model = new SequenceAutoencoder(ops, SPEC, 2);
             PrivateSgd sgd = new PrivateSgd(ops, model.parameters(), dp(1), n, 10, 1, new SplittableRandom(3), null)) {
            double q = 0.2;
            int[] hits = new int[n];
            double sizeSum = 0;
            double sizeSquares = 0;
            for (int d = 0; d < draws; d++) {
                int[] b = sgd.drawBatch();
                for (int k = 1; k < b.length; k++) assertTrue(b[k] > b[k - 1], "increasing, without repeats");
                for (int i : b) hits[i]++;
                sizeSum += b.length;
                sizeSquares += (double) b.length * b.length;
            }
            double se = Math.sqrt(q * (1 - q) / draws);
            for (int i = 0; i < n; i++) assertEquals(q, hits[i] / (double) draws, 5 * se, "sequence " + i + "'s rate");
            double mean = sizeSum / draws;
            assertEquals(n * q, mean, 0.05);
            assertEquals(n * q * (1 - q), sizeSquares / draws - mean * mean, 0.05 * n * q * (1 - q), "binomial variance");
        }
    }

    static TrainConfig privateConfig(int epochs, DpSgdConfig dp) {
        return new TrainConfig(epochs, 7, 1e-2, 0, 1.0, 0, 1e-3, 11).withPrivacy(dp);
    }

    static TrainingResult trainPrivately(TrainConfig config, CheckpointFile checkpoint, long drawSeed) {
        try (CpuOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, TrainerTest.SPEC, 3)) {
            return new Trainer(ops, config, null).withPrivacyRandom(new SplittableRandom(drawSeed))
                    .train(m, TrainerTest.data(), checkpoint);
        }
    }

    @Test
    void aCalibratedNoiseSpendsTheTargetEpsilonOverThePlannedEpochs() {
        // 30 sequences, batches of 7: q = 7/30, 5 steps an epoch.
        TrainingResult r = trainPrivately(privateConfig(4, new DpSgdConfig(1.0, Double.NaN, 1e-3, 3.0)), CheckpointFile.none(), 1);
        PrivacySpent p = r.privacy();
        assertEquals(4, r.epochs());
        assertEquals(20, p.steps());
        assertEquals(7.0 / 30, p.samplingRate(), 1e-15);
        assertTrue(p.epsilon() <= 3.0 && p.epsilon() > 2.95, "epsilon " + p.epsilon());
        assertFalse(p.budgetSpent());
        assertEquals(4, p.epsilonHistory().size());
        for (int e = 1; e < 4; e++) assertTrue(p.epsilonHistory().get(e) > p.epsilonHistory().get(e - 1));
        // The history is the accountant's ε after 5, 10, 15, 20 steps.
        for (int e = 0; e < 4; e++) {
            RdpAccountant a = new RdpAccountant();
            a.step(7.0 / 30, p.noiseMultiplier(), 5L * (e + 1));
            assertEquals(a.epsilon(1e-3), p.epsilonHistory().get(e), 1e-12);
        }
    }

    @Test
    void trainingStopsBeforeTheStepThatWouldSpendMoreThanTheTarget() {
        double sigma = 0.9;
        TrainingResult r = trainPrivately(privateConfig(50, new DpSgdConfig(1.0, sigma, 1e-3, 2.0)), CheckpointFile.none(), 2);
        PrivacySpent p = r.privacy();
        assertTrue(p.budgetSpent());
        assertTrue(p.steps() < 250, p.steps() + " steps");
        assertTrue(p.epsilon() <= 2.0, "epsilon " + p.epsilon());
        RdpAccountant oneMore = new RdpAccountant();
        oneMore.step(7.0 / 30, sigma, p.steps() + 1);
        assertTrue(oneMore.epsilon(1e-3) > 2.0, "one more step would have spent " + oneMore.epsilon(1e-3));
    }

    @Test
    void aResumedPrivateRunContinuesItsAccountingAndRefusesAnotherRunsCheckpoint() {
        DpSgdConfig dp = new DpSgdConfig(1.0, 1.1, 1e-3, Double.NaN);
        Path file = tmp.resolve("dp.ckpt");
        trainPrivately(privateConfig(2, dp), TrainerTest.fresh(file), 5);
        TrainingResult resumed = trainPrivately(privateConfig(4, dp),
                CheckpointFile.resume(file, TrainerTest.RUN, TrainerTest.DATA), 6);
        TrainingResult whole = trainPrivately(privateConfig(4, dp), CheckpointFile.none(), 7);
        assertEquals(whole.privacy().steps(), resumed.privacy().steps());
        assertEquals(whole.privacy().epsilon(), resumed.privacy().epsilon(), 1e-12);
        assertEquals(whole.privacy().epsilonHistory().size(), resumed.privacy().epsilonHistory().size());
        for (int e = 0; e < 4; e++) {
            assertEquals(whole.privacy().epsilonHistory().get(e), resumed.privacy().epsilonHistory().get(e), 1e-12);
        }

        Path plain = tmp.resolve("plain.ckpt");
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder m = new SequenceAutoencoder(ops, TrainerTest.SPEC, 3)) {
            new Trainer(ops, TrainerTest.config(2), null).train(m, TrainerTest.data(), TrainerTest.fresh(plain));
        }
        InputException e = assertThrows(InputException.class, () -> trainPrivately(privateConfig(4, dp),
                CheckpointFile.resume(plain, TrainerTest.RUN, TrainerTest.DATA), 8));
        assertTrue(e.getMessage().contains("without differential privacy"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"contrastive", "both"})
    void objectivesThatCoupleTheBatchAreRefused(String objective) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainConfig(3, 7, 1e-2, 0, 1.0,
                0, 1e-3, 11).withObjective(PretrainingObjective.parse(objective), 0.5).withPrivacy(dp(1)));
        assertTrue(e.getMessage().contains("reconstruction objective"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainerTest.config(3).withRealFakeTask(0.5).withPrivacy(dp(1)));
    }
}
