package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnnclust.InputException;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.testing.RelativeError;

/**
 * Synchronous data-parallel pretraining against {@link Trainer} on the same data: the rows split
 * among three holders (of different sizes, series of different lengths), each batch's gradient
 * the sum of their shares, end with the single-process weights (1e-4 relative), whatever the split.
 */
class DataParallelPretrainingTest {
    static final AutoencoderSpec SPEC = new AutoencoderSpec(CellType.GRU, 2, 6, 1, true, 3);

    /** 37 two-channel series of 9 to 20 steps, preprocessed as training data. */
    static PaddedSequences data() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        float[][] series = new float[37][];
        for (int i = 0; i < series.length; i++) {
            series[i] = new float[(9 + r.nextInt(12)) * 2];
            for (int k = 0; k < series[i].length; k++) series[i][k] = (float) Math.sin(k * (0.1 + i % 4 * 0.2)) + 0.1f * (float) r.nextDouble();
        }
        Dataset d = Dataset.unlabelled("two", series, 2);
        return PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), d).apply(d));
    }

    /** Rows {@code idx} of {@code data}, padded to their own longest. */
    static PaddedSequences rows(PaddedSequences data, int[] idx) {
        int c = data.channels();
        float[][] s = new float[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            s[i] = Arrays.copyOfRange(data.values(), idx[i] * data.rowSize(), idx[i] * data.rowSize() + data.lengths()[idx[i]] * c);
        }
        return PaddedSequences.of(Dataset.unlabelled("part", s, c));
    }

    static float[] singleProcess(TrainConfig cfg) {
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, cfg.seed())) {
            new Trainer(ops, cfg, null).train(m, data());
            return DataParallelPretraining.weights(m);
        }
    }

    static float[] dataParallel(TrainConfig cfg, int[] holderOf) {
        return dataParallel(cfg, holderOf, CheckpointFile.none(), null);
    }

    static float[] dataParallel(TrainConfig cfg, int[] holderOf, CheckpointFile checkpoint, TrainingListener listener) {
        PaddedSequences all = data();
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder driver = new SequenceAutoencoder(ops, SPEC, cfg.seed());
             SequenceAutoencoder worker = new SequenceAutoencoder(ops, SPEC, 999)) {
            int[] batches = {0};
            DataParallelPretraining.Gradients gradients = (weights, batch) -> {
                batches[0]++;
                DataParallelPretraining.Share sum = null;
                for (int h = 0; h < 3; h++) {
                    List<Integer> mine = new ArrayList<>();
                    for (int row : batch) if (holderOf[row] == h) mine.add(row);
                    if (mine.isEmpty()) continue;
                    DataParallelPretraining.Share s = DataParallelPretraining.share(ops, worker, weights,
                            rows(all, mine.stream().mapToInt(Integer::intValue).toArray()));
                    sum = sum == null ? s : sum.plus(s);
                }
                return sum;
            };
            TrainingResult r = DataParallelPretraining.train(ops, driver, cfg, all.n(), gradients, listener, checkpoint);
            assertEquals(cfg.epochs(), r.epochs());
            return DataParallelPretraining.weights(driver);
        }
    }

    @Test
    void theSharesOfABatchAddUpToSingleProcessTraining() {
        TrainConfig cfg = new TrainConfig(4, 8, 1e-2, 1e-4, 0.5, 0, 1e-3, 7);
        float[] expected = singleProcess(cfg);
        int[] byThirds = new int[37];
        int[] mostlyOne = new int[37];
        for (int i = 0; i < 37; i++) {
            byThirds[i] = i % 3;
            mostlyOne[i] = i < 30 ? 0 : 1 + i % 2;
        }
        for (int[] split : List.of(byThirds, mostlyOne)) {
            float[] got = dataParallel(cfg, split);
            RelativeError.check("data-parallel weights after 20 steps", got, toDouble(expected), 1e-4);
        }
        assertTrue(Arrays.stream(toDouble(expected)).anyMatch(v -> v != 0));
    }

    /** A run stopped after epoch 2 and resumed from its checkpoint ends with the uninterrupted run's weights. */
    @Test
    void aResumedRunEndsWhereTheUninterruptedOneDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        TrainConfig cfg = new TrainConfig(4, 8, 1e-2, 0, 1.0, 0, 1e-3, 5);
        int[] split = new int[37];
        for (int i = 0; i < 37; i++) split[i] = i % 3;
        float[] uninterrupted = dataParallel(cfg, split);
        java.nio.file.Path file = tmp.resolve("last.ckpt");
        var run = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("test", "data-parallel");
        TrainingData described = TrainingData.ofDigest(37, 20, 2,
                Preprocessor.fit(PreprocessOptions.defaults(), Dataset.unlabelled("x", new float[][] {{1, 2}}, 2)), "abc");
        assertThrows(IllegalStateException.class, () -> dataParallel(cfg, split, CheckpointFile.start(file, run, described),
                TrainerTest.crashAfterEpoch(2)));
        assertEquals(2, TrainerTest.savedEpochs(file));
        float[] resumed = dataParallel(cfg, split, CheckpointFile.resume(file, run, described), null);
        org.junit.jupiter.api.Assertions.assertArrayEquals(uninterrupted, resumed, 0f);
        TrainingData other = TrainingData.ofDigest(37, 20, 2,
                Preprocessor.fit(PreprocessOptions.defaults(), Dataset.unlabelled("x", new float[][] {{1, 2}}, 2)), "abd");
        assertThrows(InputException.class, () -> CheckpointFile.resume(file, run, other));
    }

    @Test
    void otherObjectivesAreRefused() {
        TrainConfig dropout = new TrainConfig(1, 8, 1e-2, 0, 1.0, 0, 1e-3, 7, 0.1, PretrainingObjective.RECONSTRUCTION, 0.5, 0);
        try (CpuOps ops = new CpuOps(1); SequenceAutoencoder m = new SequenceAutoencoder(ops, SPEC, 1)) {
            assertThrows(InputException.class, () -> DataParallelPretraining.train(ops, m, dropout, 37, (w, r) -> null, null));
        }
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }
}
