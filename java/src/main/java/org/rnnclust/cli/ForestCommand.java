package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.ForestSettings;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Totally random trees, spectral embedding of their proximity, k-means: the random-forest baseline. */
@Command(name = "forest", mixinStandardHelpOptions = true,
        header = "Random-forest proximity, its spectral embedding, k-means.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust forest --data CBF_TRAIN.tsv --trees 200 --out forest"},
        description = {"Random-forest baseline: totally random trees fitted on --data, the spectral embedding of",
                "their proximity (shared leaves), k-means on it. Writes DIR/assignments.csv and DIR/metrics.json."})
final class ForestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;

    @Option(names = "--trees", paramLabel = "N", defaultValue = "" + ForestSettings.DEFAULT_TREES,
            description = "Trees. Default: ${DEFAULT-VALUE}.")
    int trees;

    @Option(names = "--depth", paramLabel = "D", defaultValue = "" + ForestSettings.DEFAULT_DEPTH,
            description = "Depth of each tree. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "" + ForestSettings.DEFAULT_MAX_ROWS,
            description = "Training rows the proximity is built on (a seeded subsample beyond). Default: ${DEFAULT-VALUE}.")
    int maxRows;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        ForestSettings params = Flags.build(() -> new ForestSettings(trees, depth, maxRows));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trees", trees);
        settings.put("depth", depth);
        settings.put("max_rows", maxRows);
        settings.put("seed", clustering.seed);
        settings.put("n_init", kmeans.nInit);
        settings.put("seeding", kmeans.settings().seedingName());
        return BaselineRun.run(spec, data, prep, device, clustering, out,
                Methods.forest(params, KMeansSettings.withRestarts(kmeans.nInit)), true, settings);
    }
}
