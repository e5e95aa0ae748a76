package org.rnnclust.spark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Embeds every sequence of a table with a trained model. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        header = "Embed a table of sequences with a trained model.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust-spark embed --model run --data seqs.parquet --out embeddings.parquet"},
        description = "Embed a table of sequences with a trained model; writes id, embedding and label as Parquet.")
final class EmbedCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkJob job;
    @Mixin ModelApplication apply;

    @Override
    public Integer call() {
        return job.run("embed", spark -> apply.run(spark, false, spec.commandLine().getOut()));
    }
}
