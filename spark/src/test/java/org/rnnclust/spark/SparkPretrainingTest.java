package org.rnnclust.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.rnnclust.api.Device;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.DataParallelPretraining;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;

/**
 * Synchronous data-parallel pretraining in local[2], three partitions, against single-process
 * training of the same network on the same sequences: the weights after 3 epochs of 5 batches
 * (15 steps) agree to 1e-4 relative.
 */
class SparkPretrainingTest {
    static final AutoencoderSpec SPEC = new AutoencoderSpec(CellType.LSTM, 2, 6, 1, true, 3);

    static Dataset twoChannels() {
        SplittableRandom r = new SplittableRandom(5);
        float[][] series = new float[45][];
        int[] labels = new int[45];
        for (int i = 0; i < series.length; i++) {
            labels[i] = i % 3;
            series[i] = new float[(10 + r.nextInt(15)) * 2];
            for (int k = 0; k < series[i].length; k++) {
                series[i][k] = (float) (Math.sin(k * (0.15 + 0.2 * labels[i])) + 0.2 * r.nextDouble());
            }
        }
        return new Dataset("two", series, 2, labels, java.util.List.of("a", "b", "c"));
    }

    @Test
    void fifteenStepsEqualSingleProcessTraining() {
        Dataset data = twoChannels();
        Preprocessor prep = Preprocessor.fit(PreprocessOptions.defaults(), data);
        TrainConfig config = new TrainConfig(3, 10, 1e-2, 0, 1.0, 0, 1e-3, 13);
        float[] expected;
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 13)) {
            new Trainer(cpu.backend().tensorOps(), config, null).train(net, PaddedSequences.of(prep.apply(data)));
            expected = DataParallelPretraining.weights(net);
        }
        SparkSession spark = LocalSpark.session();
        float[] got;
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 13)) {
            TrainingResult r = SparkPretraining.train(spark, SequenceTables.of(spark, data, SequenceColumns.defaults(), true, 3),
                    SequenceColumns.defaults(), cpu, net, config, prep, "cpu", 1, null);
            assertEquals(3, r.epochs());
            got = DataParallelPretraining.weights(net);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < got.length; i++) {
            num += (got[i] - (double) expected[i]) * (got[i] - (double) expected[i]);
            den += (double) expected[i] * expected[i];
        }
        assertTrue(Math.sqrt(num / den) <= 1e-4, "relative difference of the weights " + Math.sqrt(num / den));
        assertTrue(den > 0);
    }

    /** The mean masked MSE of the autoencoder on all of {@code data}, at the network's weights. */
    static double loss(SequenceAutoencoder net, Device cpu, PaddedSequences data) {
        DataParallelPretraining.Share s = DataParallelPretraining.share(cpu.backend().tensorOps(), net,
                DataParallelPretraining.weights(net), data);
        return s.weightedLoss() / s.validSteps();
    }

    /**
     * Parameter averaging: partitions holding the same rows average to one partition's weights
     * (the average is weighted by rows and each partition's round depends on the seed and round
     * alone), and the averaged network gains at least half of what single-process training gains
     * in as many steps.
     */
    @Test
    void averagingPartitionsOfTheSameRowsIsOnePartitionsTrainingAndItLearns() {
        Dataset data = twoChannels();
        Preprocessor prep = Preprocessor.fit(PreprocessOptions.defaults(), data);
        TrainConfig config = new TrainConfig(4, 9, 1e-2, 0, 1.0, 0, 1e-3, 21);
        SparkSession spark = LocalSpark.session();
        var one = SequenceTables.of(spark, data, SequenceColumns.defaults(), true, 1);
        var twice = SequenceTables.of(spark, Dataset.concat("twice", data, data), SequenceColumns.defaults(), true, 2);
        try (Device cpu = Device.open("cpu");
             SequenceAutoencoder a = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 21);
             SequenceAutoencoder b = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 21)) {
            PaddedSequences all = PaddedSequences.of(prep.apply(data));
            double before = loss(a, cpu, all);
            int roundsOne = SparkPretraining.trainAveraging(spark, one, SequenceColumns.defaults(), a, config, 5, prep, "cpu", 1, null);
            int roundsTwo = SparkPretraining.trainAveraging(spark, twice, SequenceColumns.defaults(), b, config, 5, prep, "cpu", 1, null);
            assertEquals(4, roundsOne, "4 epochs of 45 rows in rounds of 5 steps of 9");
            assertEquals(4, roundsTwo, "8 epochs' rows over two partitions: the same rounds");
            float[] wa = DataParallelPretraining.weights(a);
            float[] wb = DataParallelPretraining.weights(b);
            for (int i = 0; i < wa.length; i++) assertEquals(wa[i], wb[i], 1e-6f * Math.max(1, Math.abs(wa[i])), "weight " + i);
            double after = loss(a, cpu, all);
            double single;
            try (SequenceAutoencoder c = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 21)) {
                new Trainer(cpu.backend().tensorOps(), config, null).train(c, all);  // 20 steps too
                single = loss(c, cpu, all);
            }
            // Adam's moments restart each round and a partition sees its own rows: not single-process training,
            // but it must learn (here 1.023 -> 0.926, single-process 0.943).
            assertTrue(after < before - 0.5 * (before - single),
                    "reconstruction loss " + before + " -> " + after + " (single-process training: " + single + ")");
        }
    }

    /**
     * Checkpoints: a Spark run stopped after epoch 2 and resumed from its checkpoint ends with the
     * uninterrupted Spark run's weights, bit for bit (the shares are summed in partition order);
     * another table is refused.
     */
    @Test
    void aResumedRunEndsWithTheUninterruptedRunsWeights(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        Dataset data = twoChannels();
        Preprocessor prep = Preprocessor.fit(PreprocessOptions.defaults(), data);
        TrainConfig config = new TrainConfig(4, 10, 1e-2, 0, 1.0, 0, 1e-3, 17);
        SparkSession spark = LocalSpark.session();
        var table = SequenceTables.of(spark, data, SequenceColumns.defaults(), true, 3);
        var run = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("test", "spark resume");
        java.nio.file.Path file = tmp.resolve("last.ckpt");
        float[] uninterrupted;
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 17)) {
            SparkPretraining.train(spark, table, SequenceColumns.defaults(), cpu, net, config, prep, "cpu", 1, null);
            uninterrupted = DataParallelPretraining.weights(net);
        }
        org.rnnclust.train.TrainingListener stopAfter2 = new org.rnnclust.train.TrainingListener() {
            @Override
            public void epochFinished(Epoch e) {
                if (e.epoch() == 2) throw new IllegalStateException("stopped");
            }
        };
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 17)) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> SparkPretraining.train(spark, table,
                    SequenceColumns.defaults(), cpu, net, config, prep, "cpu", 1, stopAfter2,
                    new SparkPretraining.Checkpoint(file, false, run)));
        }
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 99)) {
            TrainingResult r = SparkPretraining.train(spark, table, SequenceColumns.defaults(), cpu, net, config, prep, "cpu", 1,
                    null, new SparkPretraining.Checkpoint(file, true, run));
            assertEquals(4, r.epochs());
            org.junit.jupiter.api.Assertions.assertArrayEquals(uninterrupted, DataParallelPretraining.weights(net), 0f);
        }
        Dataset shorter = Dataset.unlabelled("fewer", java.util.Arrays.copyOf(
                java.util.stream.IntStream.range(0, 44).mapToObj(data::series).toArray(float[][]::new), 44), 2);
        var other = SequenceTables.of(spark, shorter, SequenceColumns.defaults(), true, 3);
        try (Device cpu = Device.open("cpu"); SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), SPEC, 17)) {
            org.rnnclust.InputException e = org.junit.jupiter.api.Assertions.assertThrows(org.rnnclust.InputException.class,
                    () -> SparkPretraining.train(spark, other, SequenceColumns.defaults(), cpu, net, config, prep, "cpu", 1,
                            null, new SparkPretraining.Checkpoint(file, true, run)));
            assertTrue(e.getMessage().contains("last.ckpt"), e.getMessage());
        }
    }
}
