package org.rnnclust.spark.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Embeds and assigns every sequence of a table with a trained model: its clusters, as single-process cluster gives them. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
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
