package org.rnnclust.spark.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.read.Format;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.spark.SequenceColumns;
import org.rnnclust.spark.SequenceTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Turns a sequence file of any format rnnclust reads into a Parquet table of id, sequence and label. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        header = "Convert sequence files to a Parquet table of id, sequence, label.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust-spark convert --data CBF_TRAIN.tsv --out cbf.parquet",
                "  rnnclust-spark convert --data x.npy --labels y.npy --partitions 64 --out x"},
        description = "Convert UCR, .ts, IDX, CSV or .npy sequences (each may be .gz) to a Parquet table of id, sequence, label.")
final class ConvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkJob job;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The sequences (read on the driver).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels of --data in a separate file (IDX labels, .npy).")
    Path labels;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "auto",
            description = "auto (from the file name), ucr, ts, idx, csv, npy. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--label-column", paramLabel = "COL",
            description = "CSV: the label column, by header name or 0-based index (-1 = last).")
    String labelColumn;

    @Option(names = "--header", negatable = true, description = "CSV: the first row is (not) a header. Default: detected.")
    Boolean header;

    @Option(names = "--missing", paramLabel = "refuse|keep", defaultValue = "refuse",
            description = "A missing value: refuse (fail naming the sequence) or keep (written as NaN). Default: ${DEFAULT-VALUE}.")
    Missing missing;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
            description = "Partitions (files) of the table; 0: Spark's default parallelism.")
    int partitions;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The Parquet table to write (must not exist).")
    String out;

    enum Missing { REFUSE, KEEP }

    @Override
    public Integer call() {
        Format f = format == Format.AUTO ? Readers.formatOf(data) : format;
        if (f == Format.NPY && labels == null) {
            int[] shape = Readers.npyShape(data);  // checks the header before Spark starts
            Integer done = job.run("convert", spark -> {
                var table = SequenceTables.ofNpy(spark, data, SequenceColumns.defaults(), missing == Missing.REFUSE,
                        partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());
                if (table == null) return null;  // gzip, Fortran order, a pipe: read on the driver below
                TableOutput output = TableOutput.claim(spark, out, "--out");
                output.writeParquet(table);
                spec.commandLine().getOut().println("wrote " + output.path() + ": " + shape[0] + " sequences, "
                        + shape[2] + " channel(s) (read by the executors)");
                spec.commandLine().getOut().flush();
                return 0;
            });
            if (done != null) return done;
        }
        Dataset d = Readers.read(data, new ReadOptions(format, labels, labelColumn, header));
        return job.run("convert", spark -> {
            TableOutput output = TableOutput.claim(spark, out, "--out");
            int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            output.writeParquet(SequenceTables.of(spark, d, SequenceColumns.defaults(), missing == Missing.REFUSE, parts));
            spec.commandLine().getOut().println("wrote " + output.path() + ": " + d.size() + " sequences, "
                    + d.channels() + " channel(s)" + (d.hasLabels() ? ", labelled" : ""));
            spec.commandLine().getOut().flush();
            return 0;
        });
    }
}
