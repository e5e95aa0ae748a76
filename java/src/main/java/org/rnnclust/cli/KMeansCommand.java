package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** k-means on the preprocessed raw series: the baseline every learned embedding must beat. */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
        description = {"k-means on the raw (preprocessed) series: the classical baseline.",
                "Writes DIR/assignments.csv and DIR/metrics.json and prints a short table."})
final class KMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", clustering.seed);
        settings.put("n_init", kmeans.nInit);
        return BaselineRun.run(spec.commandLine().getOut(), data, prep, device, clustering, out,
                Methods.rawKMeans(kmeans.settings()), false, settings);
    }
}
