package org.rnnclust.spark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Embeds and assigns every sequence of a table with a trained model: its clusters, as single-process cluster gives them. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        header = "Assign a table of sequences to a trained model's clusters.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust-spark cluster --model run --data seqs.parquet --out clusters.parquet",
                "  rnnclust-spark cluster --model run --data x.parquet --on-bad-row skip --out c"},
        description = "Assign a table of sequences to a trained model's clusters; writes id, cluster, embedding and label as Parquet.")
final class ClusterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkJob job;
    @Mixin ModelApplication apply;

    @Override
    public Integer call() {
        return job.run("cluster", spark -> apply.run(spark, true, spec.commandLine().getOut()));
    }
}
