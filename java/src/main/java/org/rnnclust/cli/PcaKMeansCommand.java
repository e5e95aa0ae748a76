package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** PCA of the raw series, then k-means on the projections: the linear-embedding baseline. */
@Command(name = "pca-kmeans", mixinStandardHelpOptions = true,
        header = "PCA of the raw series, then k-means on the projections.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust pca-kmeans --data CBF_TRAIN.tsv --variance 0.9 --out pca"},
        description = {"PCA of the raw (preprocessed) series fitted on --data, then k-means on the projections.",
                "Writes DIR/assignments.csv and DIR/metrics.json like kmeans."})
final class PcaKMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;

    @Option(names = "--components", paramLabel = "N", defaultValue = "0",
            description = "Components to keep; 0 = the fewest explaining --variance. Default: ${DEFAULT-VALUE}.")
    int components;

    @Option(names = "--variance", paramLabel = "F", defaultValue = "" + PcaSettings.DEFAULT_VARIANCE,
            description = "Fraction of variance the kept components explain. Default: ${DEFAULT-VALUE}.")
    double variance;

    @Option(names = "--max-components", paramLabel = "N", defaultValue = "" + PcaSettings.DEFAULT_MAX,
            description = "At most this many components by the variance rule. Default: ${DEFAULT-VALUE}.")
    int maxComponents;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        PcaSettings rule = Flags.build(() -> new PcaSettings(components, variance, maxComponents));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("pca", rule.toString());
        settings.put("seed", clustering.seed);
        settings.put("n_init", kmeans.nInit);
        settings.put("seeding", kmeans.settings().seedingName());
        return BaselineRun.run(spec, data, prep, device, clustering, out,
                Methods.pcaKMeans(rule, KMeansSettings.withRestarts(kmeans.nInit)), true, settings);
    }
}
