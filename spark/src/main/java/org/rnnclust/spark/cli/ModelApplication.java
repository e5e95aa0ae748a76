package org.rnnclust.spark.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rnnclust.spark.OnBadRow;
import org.rnnclust.spark.SequenceColumns;
import org.rnnclust.spark.SparkEmbedding;
import picocli.CommandLine.Option;

/** What {@code embed} and {@code cluster} share: the model, the input table and how to read it, the output. */
final class ModelApplication {
    @Option(names = "--model", required = true, paramLabel = "DIR|FILE",
            description = "A trained model: train's output folder or its model file (read on the driver, broadcast).")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "TABLE",
            description = "The sequences: a table of id, sequence (array<float> or array<array<float>>) and optional label.")
    String data;

    @Option(names = "--data-format", paramLabel = "FMT", defaultValue = "parquet",
            description = "Any Spark source that holds such a table (parquet, orc, json, ...). Default: ${DEFAULT-VALUE}.")
    String dataFormat;

    @Option(names = "--id-column", defaultValue = "id", paramLabel = "COL", description = "Default: ${DEFAULT-VALUE}.")
    String idColumn;

    @Option(names = "--sequence-column", defaultValue = "sequence", paramLabel = "COL", description = "Default: ${DEFAULT-VALUE}.")
    String sequenceColumn;

    @Option(names = "--label-column", defaultValue = "label", paramLabel = "COL",
            description = "Copied to the output when the table has it. Default: ${DEFAULT-VALUE}.")
    String labelColumn;

    @Option(names = "--chunk-rows", defaultValue = "4096", paramLabel = "N",
            description = "Sequences a task embeds at once (bounds its memory). Default: ${DEFAULT-VALUE}.")
    int chunkRows;

    @Option(names = "--on-bad-row", defaultValue = "fail", paramLabel = "fail|skip",
            description = "A row that is not a sequence the model reads (null, NaN the model refuses, wrong or ragged channels): "
                    + "fail the job naming its id, or skip it and report the count. Default: ${DEFAULT-VALUE}.")
    OnBadRow onBadRow;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEV",
            description = "auto (the GPU Spark gives the task, else the CPU), cpu, cuda, cuda:N. Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--deterministic",
            description = "The deterministic mode (CPU): every row's numbers the same bits as single-process embed --deterministic gives.")
    boolean deterministic;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The Parquet table to write (must not exist).")
    String out;

    @Option(names = "--verify-key", paramLabel = "PUBLIC.pem", defaultValue = "${env:RNNCLUST_VERIFY_KEY}",
            description = "Refuse a model that is not signed by this Ed25519 public key (rnnclust keygen makes one), "
                    + "checked on the driver before it is broadcast. Default: the RNNCLUST_VERIFY_KEY environment variable.")
    Path verifyKey;

    /** Reads the table, applies the model, writes the output; prints what it wrote. */
    int run(SparkSession spark, boolean assign, PrintWriter stdout) {
        if (chunkRows < 1) throw new org.rnnclust.InputException("--chunk-rows must be >= 1, got " + chunkRows);
        org.rnnclust.api.ModelKeys keys = verifyKey == null ? org.rnnclust.api.ModelKeys.NONE
                : org.rnnclust.api.ModelKeys.verifyingWith(verifyKey);
        TableOutput output = TableOutput.claim(spark, out, "--out");
        org.apache.spark.sql.Dataset<Row> input = spark.read().format(dataFormat).load(data);
        SparkEmbedding.Options options = new SparkEmbedding.Options(
                new SequenceColumns(idColumn, sequenceColumn, labelColumn), assign, chunkRows, device, onBadRow, deterministic);
        SparkEmbedding.Result result = SparkEmbedding.apply(spark, input, model, options, keys);
        output.writeParquet(result.rows());
        long skipped = result.skipped().rows();
        stdout.println("wrote " + output.path() + (skipped > 0 ? "; skipped " + skipped + " bad row(s)" : ""));
        for (String example : result.skipped().examples()) stdout.println("  skipped " + example);
        stdout.flush();
        return 0;
    }
}
