package org.rnnclust.spark;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.InputException;
import org.rnnclust.api.Device;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.TrainingListener;
import org.rnnclust.train.TrainingResult;

/**
 * The autoencoder fitted on Spark, as a model file {@code embed} and {@code cluster} read (on Spark
 * or on one machine): synchronous data-parallel pretraining ({@link SparkPretraining}) from the
 * seed's initial weights, the embeddings of every row ({@link SparkEmbedding}), and MLlib's k-means
 * on them ({@link SparkKMeans}, k-means‖ seeded by the seed). No refinement.
 *
 * <p>Preprocessing that needs statistics of the whole table (standardize, minmax) takes one job of
 * its own first ({@link SparkPreprocessing}).
 */
public final class SparkAutoencoderFit {
    private SparkAutoencoderFit() {}

    /**
     * @param localSteps 0: synchronous training ({@link SparkPretraining#train}); above 0: the throughput
     *                mode, parameter averaging after this many local steps per partition
     *                ({@link SparkPretraining#trainAveraging})
     * @param device  what the partitions compute on (auto: the task's GPU, else the CPU); the
     *                driver's Adam steps run on the CPU
     * @param threads CPU threads per task
     * @param checkpoint synchronous training's checkpoint file (saved after every epoch), or null
     * @param resume  continue from {@code checkpoint}: the same table and settings
     * @param afterCheckpoint what to do with the checkpoint file each time it is written (copy it
     *                to a shared file system), or nothing
     */
    public static TrainedModel fit(SparkSession spark, org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns,
                                   AutoencoderSpec spec, TrainConfig config, PreprocessOptions preprocessing, int k,
                                   int localSteps, String device, int threads, TrainingListener listener,
                                   Path checkpoint, boolean resume, java.util.function.Consumer<Path> afterCheckpoint) {
        return fit(spark, table, columns, spec, config, preprocessing, k, localSteps, device, threads, listener,
                checkpoint, resume, afterCheckpoint, ModelKeys.NONE);
    }

    /**
     * The same, with keys for the checkpoints: each one written is signed by {@code keys.signer()},
     * and the checkpoint a resume reads must be signed by {@code keys.verifier()}'s key (either
     * null: unsigned, any intact checkpoint). The model returned is saved by the caller, who signs it.
     */
    public static TrainedModel fit(SparkSession spark, org.apache.spark.sql.Dataset<Row> table, SequenceColumns columns,
                                   AutoencoderSpec spec, TrainConfig config, PreprocessOptions preprocessing, int k,
                                   int localSteps, String device, int threads, TrainingListener listener,
                                   Path checkpoint, boolean resume, java.util.function.Consumer<Path> afterCheckpoint,
                                   ModelKeys keys) {
        if (checkpoint != null && localSteps > 0) {
            throw new InputException("checkpoints are written by synchronous training only, not by --mode averaging");
        }
        Preprocessor prep = SparkPreprocessing.fit(table, columns, spec.channels(), preprocessing);
        try (Device cpu = Device.open("cpu");
             SequenceAutoencoder net = new SequenceAutoencoder(cpu.backend().tensorOps(), spec, config.seed())) {
            ObjectNode training = JsonNodeFactory.instance.objectNode();
            // What a resume must repeat: the network and the training settings (not the epoch limit).
            ObjectNode run = JsonNodeFactory.instance.objectNode();
            run.put("cell", spec.cell().name()).put("channels", spec.channels()).put("hidden", spec.hidden())
                    .put("layers", spec.layers()).put("bidirectional", spec.bidirectional()).put("latent", spec.latent())
                    .put("batch", config.batchSize()).put("lr", config.lr()).put("weight_decay", config.weightDecay())
                    .put("clip_norm", config.clipNorm()).put("patience", config.patience()).put("seed", config.seed());
            if (localSteps > 0) {
                int rounds = SparkPretraining.trainAveraging(spark, table, columns, net, config, localSteps, prep, device,
                        threads, listener);
                training.put("trained_on", "spark, parameter averaging");
                training.put("local_steps", localSteps);
                training.put("rounds", rounds);
            } else {
                TrainingResult trained = SparkPretraining.train(spark, table, columns, cpu, net, config, prep, device,
                        threads, listener, checkpoint == null ? null : new SparkPretraining.Checkpoint(checkpoint, resume, run,
                                afterCheckpoint, keys));
                training.put("trained_on", "spark, synchronous data-parallel");
                training.put("epochs_completed", trained.epochs());
                training.put("final_loss", trained.finalLoss());
            }
            training.put("epochs", config.epochs());
            training.put("batch", config.batchSize());
            training.put("lr", config.lr());
            training.put("weight_decay", config.weightDecay());
            training.put("clip_norm", config.clipNorm());
            training.put("patience", config.patience());
            training.put("seed", config.seed());
            training.put("kmeans", "spark mllib, k-means||");
            training.putObject("refine").put("method", "none");
            var weights = TrainedModel.weightsOf(net);
            // The embeddings need a model file; its centroids are the k-means to come.
            TrainedModel provisional = new TrainedModel(spec, prep, new float[k * spec.latent()], k, weights, List.of(),
                    training);
            SparkKMeans.Fit clusters = new SparkKMeans(k, 300, 1e-4, config.seed()).fit(
                    SparkEmbedding.apply(spark, table, bytes(provisional),
                            SparkEmbedding.Options.embedding().withDevice(device)).rows(),
                    SequenceColumns.EMBEDDING);
            float[] centroids = new float[k * spec.latent()];
            for (int j = 0; j < k; j++) {
                for (int d = 0; d < spec.latent(); d++) centroids[j * spec.latent() + d] = (float) clusters.centres()[j][d];
            }
            training.put("kmeans_inertia", clusters.inertia());
            return new TrainedModel(spec, prep, centroids, k, weights, List.of(), training);
        }
    }

    /** A model's file bytes, as the executors receive them. */
    static byte[] bytes(TrainedModel model) {
        try {
            Path file = Files.createTempFile("rnnclust-fit-", ".rnnclust");
            try {
                model.save(file);
                return Files.readAllBytes(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
