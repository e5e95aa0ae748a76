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
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.DataParallelPretraining;
import org.rnnclust.train.DataParallelPretraining.Share;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainingListener;
import org.rnnclust.train.TrainingResult;

/**
 * Synchronous data-parallel pretraining of the autoencoder on a table of sequences
 * ({@link DataParallelPretraining}): the rows stay in their partitions (preprocessed once and
 * cached); for every batch the driver broadcasts the weights and the batch's rows, each partition
 * computes the share of the gradient of its rows of the batch with the engine's backend, a
 * treeAggregate sums the shares, and the driver clips and takes the Adam step. A row's place in
 * the epoch's order is its position in the table, so on the same table the weights are those of
 * single-process training on the same sequences in the same order.
 *
 * <p>Each step is one Spark job over every partition: it pays off when a batch's forward and
 * backward outweigh a job's scheduling (large batches, long sequences, big networks).
 */
public final class SparkPretraining {
    private SparkPretraining() {}

    /** A partition's rows: their positions in the table (ascending) and the sequences, preprocessed. */
    private record Rows(long[] positions, float[][] series, int channels) implements Serializable {
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
        AutoencoderSpec spec = driverModel.spec();
        int channels = spec.channels();
        columns.declaredChannels(table.schema());
        PreprocessOptions options = prep.options();
        double[] shift = prep.shift();
        double[] scale = prep.scale();
        int steps = prep.resampleSteps();
        JavaRDD<Rows> rows = table.javaRDD().zipWithIndex().mapPartitions(it -> {
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
        try {
            long n = rows.map(r -> (long) r.positions().length).fold(0L, Long::sum);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int parameters = Math.toIntExact(driverModel.parameterCount());
            DataParallelPretraining.Gradients gradients = (weights, batch) -> {
                long[] sorted = Arrays.stream(batch).mapToLong(i -> i).sorted().toArray();
                Broadcast<float[]> w = jsc.broadcast(weights);
                Broadcast<long[]> b = jsc.broadcast(sorted);
                try {
                    Share zero = new Share(new float[parameters], 0, 0, 0);
                    return rows.treeAggregate(zero, (acc, part) -> {
                        PaddedSequences mine = part.of(b.value());
                        return mine == null ? acc : acc.plus(shareOf(spec, device, threads, w.value(), mine));
                    }, Share::plus);
                } finally {
                    w.destroy();
                    b.destroy();
                }
            };
            return DataParallelPretraining.train(driver.backend().tensorOps(), driverModel, config, Math.toIntExact(n),
                    gradients, listener);
        } finally {
            rows.unpersist(false);
        }
    }

    /** On an executor: a share on a borrowed device, with a network of the spec. */
    private static Share shareOf(AutoencoderSpec spec, String device, int threads, float[] weights, PaddedSequences rows) {
        String name = ExecutorBackends.deviceFor(device, TaskContext.get());
        Device d = ExecutorBackends.borrow(name, threads, false);
        try (SequenceAutoencoder net = new SequenceAutoencoder(d.backend().tensorOps(), spec, 0)) {
            return DataParallelPretraining.share(d.backend().tensorOps(), net, weights, rows);
        } finally {
            ExecutorBackends.release(name, threads, false, d);
        }
    }
}
