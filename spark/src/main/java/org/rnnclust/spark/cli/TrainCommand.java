package org.rnnclust.spark.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.spark.SequenceColumns;
import org.rnnclust.spark.SparkAutoencoderFit;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains the autoencoder on a table with synchronous data-parallel training and clusters its
 * embeddings with MLlib's k-means: a model file for embed and cluster. The flags are the
 * single-machine train's (a subset: no refinement, no consensus of members); --sign-key signs the
 * model file and the checkpoints, and a resumed checkpoint must be signed by --verify-key's key.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Train the autoencoder on a table, data-parallel, then k-means.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust-spark train --data cbf.parquet --k 3 --out run",
                "  rnnclust-spark train --data x.parquet --k 10 --cell gru --out hdfs://nn/runs/a"},
        description = "Train the LSTM/GRU/RNN autoencoder on a table (synchronous data-parallel), then k-means on its embeddings; "
                + "writes DIR/model.rnnclust.")
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkJob job;

    @Option(names = "--data", required = true, paramLabel = "TABLE", description = "The sequences: a table of id, sequence and optional label.")
    String data;
    @Option(names = "--data-format", defaultValue = "parquet", paramLabel = "FMT", description = "Default: ${DEFAULT-VALUE}.")
    String dataFormat;
    @Option(names = "--sequence-column", defaultValue = "sequence", paramLabel = "COL", description = "Default: ${DEFAULT-VALUE}.")
    String sequenceColumn;
    @Option(names = "--id-column", defaultValue = "id", paramLabel = "COL", description = "Default: ${DEFAULT-VALUE}.")
    String idColumn;
    @Option(names = {"-k", "--k"}, required = true, paramLabel = "K", description = "Number of clusters.")
    int k;
    @Option(names = "--cell", defaultValue = "lstm", paramLabel = "CELL", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}.")
    String cell;
    @Option(names = "--hidden", defaultValue = "32", paramLabel = "H", description = "Default: ${DEFAULT-VALUE}.")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", paramLabel = "L", description = "Default: ${DEFAULT-VALUE}.")
    int layers;
    @Option(names = "--bidirectional", description = "A bidirectional encoder.")
    boolean bidirectional;
    @Option(names = "--latent", defaultValue = "8", paramLabel = "D", description = "Default: ${DEFAULT-VALUE}.")
    int latent;
    @Option(names = "--epochs", defaultValue = "150", paramLabel = "E", description = "Default: ${DEFAULT-VALUE}.")
    int epochs;
    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "The global batch. Default: ${DEFAULT-VALUE}.")
    int batch;
    @Option(names = "--lr", defaultValue = "3e-3", paramLabel = "LR", description = "Default: ${DEFAULT-VALUE}.")
    double lr;
    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "W", description = "Default: ${DEFAULT-VALUE}.")
    double weightDecay;
    @Option(names = "--clip", defaultValue = "1.0", paramLabel = "C", description = "Global gradient-norm clipping (0: none). Default: ${DEFAULT-VALUE}.")
    double clip;
    @Option(names = "--patience", defaultValue = "10", paramLabel = "P", description = "Default: ${DEFAULT-VALUE}.")
    int patience;
    @Option(names = "--normalize", defaultValue = "znorm", paramLabel = "N",
            description = "znorm (each series), standardize (each channel), minmax (each channel to [0,1]) or none; "
                    + "standardize and minmax take one job over the table first. Default: ${DEFAULT-VALUE}.")
    String normalize;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--mode", defaultValue = "synchronous", paramLabel = "MODE",
            description = "synchronous (every step's gradient summed over the partitions: single-process training's result) "
                    + "or averaging (--local-steps steps per partition, then the weights averaged: fewer jobs, another result). "
                    + "Default: ${DEFAULT-VALUE}.")
    String mode;
    @Option(names = "--local-steps", defaultValue = "16", paramLabel = "K",
            description = "averaging: steps each partition takes between two averagings. Default: ${DEFAULT-VALUE}.")
    int localSteps;
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV",
            description = "What the partitions compute on: auto (the task's GPU, else the CPU), cpu, cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;
    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for model.rnnclust and checkpoints/last.ckpt (synchronous mode, after every epoch): a path "
                    + "on the driver's file system, or a Hadoop URI every machine sees (hdfs://namenode/runs/a, "
                    + "file:///shared/runs/a). Required unless --resume.")
    String out;
    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR (a path or a URI) from its checkpoint: the same table and "
                    + "flags; --epochs may be raised.")
    String resume;

    @Option(names = "--sign-key", paramLabel = "PRIVATE.pem",
            description = "Sign the model file and the checkpoints with this Ed25519 private key (rnnclust keygen makes "
                    + "one); embed, cluster and --resume check them with --verify-key.")
    Path signKey;
    @Option(names = "--verify-key", paramLabel = "PUBLIC.pem", defaultValue = "${env:RNNCLUST_VERIFY_KEY}",
            description = "Refuse a checkpoint (--resume) that is not signed by this Ed25519 public key (rnnclust keygen "
                    + "makes one): unsigned, re-signed or changed files stop the command with exit 2. Default: the "
                    + "RNNCLUST_VERIFY_KEY environment variable; without either, any intact checkpoint resumes.")
    Path verifyKey;

    private static final String CHECKPOINT = "checkpoints/" + org.rnnclust.train.CheckpointFile.FILE;

    @Override
    public Integer call() {
        if (k < 1) throw new InputException("--k must be >= 1, got " + k);
        if (out == null && resume == null) throw new InputException("--out DIR is required (or --resume DIR)");
        if (out != null && resume != null && !out.equals(resume)) {
            throw new InputException("--resume " + resume + " writes into that folder; drop --out " + out);
        }
        // Read before anything is trained: a bad key file is one line naming it.
        ModelKeys keys = ModelKeys.of(signKey, verifyKey);
        try (TrainFolder dir = TrainFolder.of(resume != null ? resume : out, new org.apache.hadoop.conf.Configuration())) {
            return train(dir, keys);
        }
    }

    private Integer train(TrainFolder dir, ModelKeys keys) {
        if (dir.exists(TrainedModel.FILE)) {
            throw new InputException((resume != null ? "--resume " : "--out ") + (resume != null ? resume : out)
                    + " already holds a model; choose another folder");
        }
        if (resume != null) {
            if (!dir.exists(CHECKPOINT)) throw new InputException(dir.describe(CHECKPOINT) + ": no checkpoint to resume from");
            dir.fetch(CHECKPOINT);
        }
        CellType type;
        try {
            type = CellType.parse(cell);
        } catch (IllegalArgumentException e) {
            throw new InputException("--cell: " + e.getMessage());
        }
        Normalization norm = switch (normalize.toLowerCase(Locale.ROOT)) {
            case "znorm" -> Normalization.ZNORM;
            case "standardize" -> Normalization.STANDARDIZE;
            case "minmax" -> Normalization.MINMAX;
            case "none" -> Normalization.NONE;
            default -> throw new InputException("--normalize must be znorm, standardize, minmax or none, got '"
                    + normalize + "'");
        };
        int local = switch (mode.toLowerCase(Locale.ROOT)) {
            case "synchronous" -> 0;
            case "averaging" -> localSteps;
            default -> throw new InputException("--mode must be synchronous or averaging, got '" + mode + "'");
        };
        if (local < 0 || (local == 0 && !mode.equalsIgnoreCase("synchronous"))) {
            throw new InputException("--local-steps must be >= 1, got " + localSteps);
        }
        TrainConfig config;
        try {
            config = new TrainConfig(epochs, batch, lr, weightDecay, clip, patience, TrainConfig.DEFAULT_MIN_DELTA, seed);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        PreprocessOptions prep = new PreprocessOptions(norm, 0, MissingValues.REFUSE, LengthPolicy.PAD, 0);
        return job.run("train", spark -> {
            var table = spark.read().format(dataFormat).load(data);
            SequenceColumns columns = new SequenceColumns(idColumn, sequenceColumn, "label");
            int channels = channelsOf(table, columns);
            AutoencoderSpec a = new AutoencoderSpec(type, channels, hidden, layers, bidirectional, latent);
            TrainingListener progress = new TrainingListener() {
                @Override
                public void epochFinished(Epoch e) {
                    spec.commandLine().getErr().printf(Locale.ROOT, "epoch %d/%d loss %.5f%n", e.epoch(), e.epochs(), e.loss());
                    spec.commandLine().getErr().flush();
                }

                @Override
                public void batchFinished(int round, int rounds, double loss) {
                    if (local > 0) {
                        spec.commandLine().getErr().printf(Locale.ROOT, "averaging round %d/%d%n", round, rounds);
                        spec.commandLine().getErr().flush();
                    }
                }
            };
            int threads = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
            TrainedModel model;
            try {
                model = SparkAutoencoderFit.fit(spark, table, columns, a, config, prep, k, local, device, threads,
                        progress, local > 0 ? null : dir.local(CHECKPOINT), resume != null, written -> dir.publish(CHECKPOINT),
                        keys);
            } catch (InputException e) {
                throw dir.named(e);
            }
            model.save(dir.local(TrainedModel.FILE), keys.signer());
            dir.publish(TrainedModel.FILE);
            String file = dir.describe(TrainedModel.FILE);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s autoencoder, %s, k-means inertia %.4g%n", file, cell,
                    local > 0 ? model.training().path("rounds").asInt() + " averaging rounds of " + local + " local steps"
                            : String.format(Locale.ROOT, "%d epochs, loss %.5f", model.training().path("epochs_completed").asInt(),
                                    model.training().path("final_loss").asDouble()),
                    model.training().path("kmeans_inertia").asDouble());
            spec.commandLine().getOut().flush();
            return 0;
        });
    }

    /** The channels of the sequence column: 1 for array<float>, else the first row's step width. */
    private static int channelsOf(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> table, SequenceColumns columns) {
        var f = table.schema().apply(columns.sequence());
        if (f.dataType() instanceof org.apache.spark.sql.types.ArrayType outer
                && !(outer.elementType() instanceof org.apache.spark.sql.types.ArrayType)) {
            return 1;
        }
        var first = table.select(org.apache.spark.sql.functions.size(
                org.apache.spark.sql.functions.element_at(table.col(columns.sequence()), 1))).first();
        if (first.isNullAt(0)) throw new InputException("the first row's sequence is empty: cannot tell its channels");
        return first.getInt(0);
    }
}
