package org.rnnclust.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.rnnclust.api.Device;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.CheckpointFile;
import org.rnnclust.train.DataParallelPretraining;
import org.rnnclust.train.DataParallelPretraining.Share;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainingData;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingListener;
import org.rnnclust.train.TrainingResult;

/**
 * Synchronous data-parallel pretraining of the autoencoder on a table of sequences
 * ({@link DataParallelPretraining}): the rows stay in their partitions (preprocessed once and
 * cached); for every batch the driver broadcasts the weights and the batch's rows, each partition
 * computes the share of the gradient of its rows of the batch with the engine's backend, the
 * driver sums the shares in partition order (the same bits every run), clips and takes the Adam step. A row's place in
 * the epoch's order is its position in the table, so on the same table the weights are those of
 * single-process training on the same sequences in the same order.
 *
 * <p>Each step is one Spark job over every partition: it pays off when a batch's forward and
 * backward outweigh a job's scheduling (large batches, long sequences, big networks).
 */
public final class SparkPretraining {
    private SparkPretraining() {}

    /** A partition's rows: their positions in the table (ascending) and the sequences, preprocessed. */
    record Rows(long[] positions, float[][] series, int channels) implements Serializable {
        /** The rows among {@code batch} (sorted positions), padded to their longest; null if none. */
        PaddedSequences of(long[] batch) {
            List<float[]> picked = new ArrayList<>();
            for (long p : batch) {
                int at = Arrays.binarySearch(positions, p);
                if (at >= 0) picked.add(series[at]);
            }
            return picked.isEmpty() ? null
                    : PaddedSequences.of(Dataset.unlabelled("batch", picked.toArray(new float[0][]), channels));
        }
    }

    /**
     * Pretrains {@code driverModel} (its initial weights are the run's: build it from the seed as a
     * single-process fit would) on the sequences of {@code table}, preprocessed by {@code prep}
     * (fitted on the training data), for {@code config}'s epochs; the partitions compute on
     * {@code device} (cpu, cuda:N) with {@code threads} CPU threads.
     */
    public static TrainingResult train(SparkSession spark, org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns,
                                       Device driver, SequenceAutoencoder driverModel, TrainConfig config,
                                       Preprocessor prep, String device, int threads, TrainingListener listener) {
        return train(spark, table, columns, driver, driverModel, config, prep, device, threads, listener, null);
    }

    /**
     * A checkpoint of synchronous training: the file (on the driver's file system), whether to
     * resume from it, the run's settings, which a resume must repeat, what to do with the file
     * each time it is written (copy it to a shared file system: the command line's HDFS folders),
     * and the keys: every write is signed by {@code keys.signer()}, and a resumed checkpoint must be
     * signed by {@code keys.verifier()}'s key (either null: unsigned, any intact file).
     */
    public record Checkpoint(java.nio.file.Path file, boolean resume, com.fasterxml.jackson.databind.node.ObjectNode run,
                             java.util.function.Consumer<java.nio.file.Path> afterWrite, ModelKeys keys) {
        public Checkpoint {
            if (keys == null) keys = ModelKeys.NONE;
        }

        /** Unsigned, and any intact checkpoint resumed. */
        public Checkpoint(java.nio.file.Path file, boolean resume, com.fasterxml.jackson.databind.node.ObjectNode run,
                          java.util.function.Consumer<java.nio.file.Path> afterWrite) {
            this(file, resume, run, afterWrite, ModelKeys.NONE);
        }

        /** Kept where it is written, unsigned. */
        public Checkpoint(java.nio.file.Path file, boolean resume, com.fasterxml.jackson.databind.node.ObjectNode run) {
            this(file, resume, run, written -> { });
        }
    }

    /**
     * As above, saving {@code checkpoint} after every epoch (and resuming from it when asked): the
     * checkpoint records the table by its size and a digest of its preprocessed rows (each
     * partition's SHA-256, in the table's order, digested again), so a resume on other data is
     * refused; a resumed run ends with the uninterrupted run's weights.
     */
    public static TrainingResult train(SparkSession spark, org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns,
                                       Device driver, SequenceAutoencoder driverModel, TrainConfig config,
                                       Preprocessor prep, String device, int threads, TrainingListener listener,
                                       Checkpoint checkpoint) {
        AutoencoderSpec spec = driverModel.spec();
        JavaRDD<Rows> rows = cachedRows(table, columns, spec.channels(), prep);
        try {
            long n = rows.map(r -> (long) r.positions().length).fold(0L, Long::sum);
            CheckpointFile file = CheckpointFile.none();
            if (checkpoint != null) {
                TrainingData data = describe(rows, n, spec.channels(), prep);
                file = (checkpoint.resume()
                        ? CheckpointFile.resume(checkpoint.file(), checkpoint.run(), data, checkpoint.keys().verifier())
                        : CheckpointFile.start(checkpoint.file(), checkpoint.run(), data))
                        .signedBy(checkpoint.keys().signer())
                        .afterEachWrite(checkpoint.afterWrite());
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int parameters = Math.toIntExact(driverModel.parameterCount());
            DataParallelPretraining.Gradients gradients = (weights, batch) -> {
                long[] sorted = Arrays.stream(batch).mapToLong(i -> i).sorted().toArray();
                Broadcast<float[]> w = jsc.broadcast(weights);
                Broadcast<long[]> b = jsc.broadcast(sorted);
                try {
                    List<Share> shares = inPartitionOrder(rows, part -> {
                        PaddedSequences mine = part.of(b.value());
                        return mine == null ? null : shareOf(spec, device, threads, w.value(), mine);
                    });
                    Share sum = new Share(new float[parameters], 0, 0, 0);
                    for (Share share : shares) sum = sum.plus(share);
                    return sum;
                } finally {
                    w.destroy();
                    b.destroy();
                }
            };
            return DataParallelPretraining.train(driver.backend().tensorOps(), driverModel, config, Math.toIntExact(n),
                    gradients, listener, file);
        } finally {
            rows.unpersist(false);
        }
    }

    /** The table as a checkpoint records it: size, longest series, and a digest of digests of the partitions. */
    private static TrainingData describe(JavaRDD<Rows> rows, long n, int channels, Preprocessor prep) {
        // Partition order is the table's order: zipWithIndex numbers the rows partition by partition.
        List<String[]> parts = inPartitionOrder(rows, r -> {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12);
            int longest = 0;
            for (int i = 0; i < r.positions().length; i++) {
                b.clear();
                b.putLong(r.positions()[i]).putInt(r.series()[i].length);
                sha.update(b.array());
                java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(4 * r.series()[i].length);
                v.asFloatBuffer().put(r.series()[i]);
                sha.update(v.array());
                longest = Math.max(longest, r.series()[i].length / channels);
            }
            return new String[] {java.util.HexFormat.of().formatHex(sha.digest()), Integer.toString(longest)};
        });
        try {
            java.security.MessageDigest all = java.security.MessageDigest.getInstance("SHA-256");
            int longest = 0;
            for (String[] p : parts) {
                all.update(p[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                longest = Math.max(longest, Integer.parseInt(p[1]));
            }
            return TrainingData.ofDigest(n, longest, channels, prep, java.util.HexFormat.of().formatHex(all.digest()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The throughput mode (parameter averaging, as DL4J's Spark training does): each round every
     * partition starts from the driver's weights and takes {@code localSteps} steps of the engine's
     * training loop (a fresh Adam, batches of {@code config.batchSize()} of its own rows in a
     * per-round order), and the driver averages the partitions' weights, weighted by their rows.
     * One job per round instead of one per step, so far fewer jobs and broadcasts; but the result
     * is not single-process training's (each partition follows its own rows, and Adam's moments
     * restart every round). Rounds: enough for {@code config.epochs()} passes over the table;
     * {@code listener} hears each as {@code batchFinished(round, rounds, NaN)}.
     *
     * @return the rounds run
     */
    public static int trainAveraging(SparkSession spark, org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns,
                                     SequenceAutoencoder driverModel, TrainConfig config, int localSteps, Preprocessor prep,
                                     String device, int threads, TrainingListener listener) {
        if (localSteps < 1) throw new IllegalArgumentException("local steps must be >= 1, got " + localSteps);
        AutoencoderSpec spec = driverModel.spec();
        JavaRDD<Rows> rows = cachedRows(table, columns, spec.channels(), prep);
        try {
            long n = rows.map(r -> (long) r.positions().length).fold(0L, Long::sum);
            int partitions = Math.max(1, Math.toIntExact(rows.count()));
            long perRound = (long) localSteps * config.batchSize() * partitions;
            int rounds = Math.toIntExact(Math.max(1, (config.epochs() * n + perRound - 1) / perRound));
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            for (int round = 0; round < rounds; round++) {
                Broadcast<float[]> w = jsc.broadcast(DataParallelPretraining.weights(driverModel));
                int r = round;
                try {
                    List<double[]> parts = inPartitionOrder(rows, part -> {
                        float[] local = localRound(spec, device, threads, w.value(), part, config, localSteps, r);
                        double[] weighted = new double[local.length + 1];
                        for (int i = 0; i < local.length; i++) weighted[i] = (double) local[i] * part.positions().length;
                        weighted[local.length] = part.positions().length;
                        return weighted;
                    });
                    double[] sum = new double[parts.get(0).length];
                    for (double[] p : parts) {
                        for (int i = 0; i < sum.length; i++) sum[i] += p[i];
                    }
                    float[] average = new float[sum.length - 1];
                    for (int i = 0; i < average.length; i++) average[i] = (float) (sum[i] / sum[sum.length - 1]);
                    DataParallelPretraining.setWeights(driverModel, average);
                } finally {
                    w.destroy();
                }
                if (listener != null) listener.batchFinished(round + 1, rounds, Double.NaN);
            }
            return rounds;
        } finally {
            rows.unpersist(false);
        }
    }

    /**
     * One partition's round: {@code steps} batches of its rows (the rows in an order drawn from the
     * seed and the round, cycling when the partition has fewer), one epoch of the engine's loop.
     */
    static float[] localRound(AutoencoderSpec spec, String device, int threads, float[] weights, Rows part,
                              TrainConfig config, int steps, int round) {
        int need = steps * config.batchSize();
        int[] order = new int[part.series().length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.SplittableRandom random = new java.util.SplittableRandom(config.seed() * 31 + round);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[][] picked = new float[need][];
        for (int i = 0; i < need; i++) picked[i] = part.series()[order[i % order.length]];
        PaddedSequences local = PaddedSequences.of(Dataset.unlabelled("round", picked, part.channels()));
        String name = ExecutorBackends.deviceFor(device, TaskContext.get());
        Device d = ExecutorBackends.borrow(name, threads, false);
        try (SequenceAutoencoder net = new SequenceAutoencoder(d.backend().tensorOps(), spec, 0)) {
            DataParallelPretraining.setWeights(net, weights);
            new Trainer(d.backend().tensorOps(), config.withEpochs(1), null).train(net, local);
            return DataParallelPretraining.weights(net);
        } finally {
            ExecutorBackends.release(name, threads, false, d);
        }
    }

    /** The table's rows, checked, preprocessed and cached in their partitions with their positions. */
    private static JavaRDD<Rows> cachedRows(org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns, int channels,
                                            Preprocessor prep) {
        columns.declaredChannels(table.schema());
        PreprocessOptions options = prep.options();
        double[] shift = prep.shift();
        double[] scale = prep.scale();
        int steps = prep.resampleSteps();
        return table.javaRDD().zipWithIndex().mapPartitions(it -> {
            List<Long> positions = new ArrayList<>();
            List<float[]> series = new ArrayList<>();
            while (it.hasNext()) {
                var pair = it.next();
                series.add(RowSequence.read(pair._1(), columns, channels, false));
                positions.add(pair._2());
            }
            if (series.isEmpty()) return List.<Rows>of().iterator();
            Dataset d = Dataset.unlabelled("partition", series.toArray(new float[0][]), channels);
            Dataset prepared = Preprocessor.of(options, shift, scale, steps).apply(d);
            float[][] out = new float[prepared.size()][];
            for (int i = 0; i < out.length; i++) out[i] = prepared.series(i);
            return List.of(new Rows(positions.stream().mapToLong(Long::longValue).toArray(), out, channels)).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
    }

    /**
     * {@code perPartition} of each partition's rows (null: nothing from it), in partition order.
     * The driver sums these in that order, not with treeAggregate, whose merge order follows the
     * tasks' completion: float sums in another order round differently, and a run (and a resumed
     * one) must give the same bits every time.
     */
    private static <T> List<T> inPartitionOrder(JavaRDD<Rows> rows, org.apache.spark.api.java.function.Function<Rows, T> perPartition) {
        List<scala.Tuple2<Integer, T>> indexed = new ArrayList<>(rows.mapPartitionsWithIndex((index, it) -> {
            List<scala.Tuple2<Integer, T>> out = new ArrayList<>();
            while (it.hasNext()) {
                T value = perPartition.call(it.next());
                if (value != null) out.add(new scala.Tuple2<>(index, value));
            }
            return out.iterator();
        }, false).collect());
        indexed.sort(java.util.Comparator.comparingInt(scala.Tuple2::_1));
        List<T> out = new ArrayList<>(indexed.size());
        for (scala.Tuple2<Integer, T> t : indexed) out.add(t._2());
        return out;
    }

    /** On an executor: a share on a borrowed device, with a network of the spec. */
    private static Share shareOf(AutoencoderSpec spec, String device, int threads, float[] weights, PaddedSequences rows) {
        String name = ExecutorBackends.deviceFor(device, TaskContext.get());
        Device d = ExecutorBackends.borrow(name, threads, false);
        try {
            return DataParallelPretraining.share(d.backend().tensorOps(), ExecutorBackends.network(d, spec), weights, rows);
        } finally {
            ExecutorBackends.release(name, threads, false, d);
        }
    }
}
