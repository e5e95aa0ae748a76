package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.KShapeSettings;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** k-Shape on the preprocessed series: the shape-based time-series baseline ({@link Methods#kShape}). */
@Command(name = "kshape", mixinStandardHelpOptions = true,
        header = "k-Shape: the shape-based time-series baseline.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust kshape --data CBF_TRAIN.tsv --test CBF_TEST.tsv --out kshape"},
        description = {"k-Shape on the (preprocessed) series: the shape-based time-series baseline.",
                "k-means under the shape-based distance with centroids by shape extraction (Paparrizos and",
                "Gravano, 2015), fitted on --data; --test is assigned by the same distance. Computes on the",
                "CPU's cores whatever the device. Writes DIR/assignments.csv and DIR/metrics.json like kmeans."})
final class KShapeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + KShapeSettings.DEFAULT_RESTARTS,
            description = "Random starts (each from a balanced random partition); the least total shape-based "
                    + "distance wins. Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "" + KShapeSettings.DEFAULT_MAX_ITERATIONS,
            description = "Iterations per start at most (a start ends sooner when its labels repeat). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        KShapeSettings kShape = Flags.build(() -> new KShapeSettings(restarts, maxIterations));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", clustering.seed);
        settings.put("n_init", restarts);
        settings.put("max_iter", maxIterations);
        return BaselineRun.run(spec, data, prep, device, clustering, out,
                Methods.kShape(kShape), false, settings);
    }
}
