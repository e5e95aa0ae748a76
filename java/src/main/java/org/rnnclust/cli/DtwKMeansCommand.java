package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.api.DtwKMeansSettings;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** k-means under DTW with DBA centroids: the elastic-distance time-series baseline ({@link Methods#dtwKMeans}). */
@Command(name = "dtw-kmeans", mixinStandardHelpOptions = true,
        header = "DTW k-means with DBA centroids: the elastic baseline.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust dtw-kmeans --data CBF_TRAIN.tsv --window 0.1 --out dtw"},
        description = {"k-means under dynamic time warping with DBA centroids: the elastic time-series baseline.",
                "DTW in a Sakoe-Chiba band, DBA averaging (Petitjean et al., 2011), fitted on --data; --test is",
                "assigned by the same distance. Computes on the CPU's cores whatever the device. Writes",
                "DIR/assignments.csv and DIR/metrics.json like kmeans."})
final class DtwKMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;

    @Option(names = "--window", paramLabel = "F", defaultValue = "" + DtwKMeansSettings.DEFAULT_WINDOW,
            description = "Sakoe-Chiba band as a fraction of the length T: steps at most floor(F*T) apart are "
                    + "aligned; 1 = unconstrained DTW, 0 = no warping. Default: ${DEFAULT-VALUE}.")
    double window;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + DtwKMeansSettings.DEFAULT_RESTARTS,
            description = "k-means++ starts under DTW; the least inertia (sum of squared DTW distances) wins. "
                    + "Default: ${DEFAULT-VALUE}.")
    int restarts;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "" + DtwKMeansSettings.DEFAULT_MAX_ITERATIONS,
            description = "Assignment rounds per start at most (a start ends sooner when its labels repeat). "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxIterations;

    @Option(names = "--dba-iter", paramLabel = "N", defaultValue = "" + DtwKMeansSettings.DEFAULT_DBA_ITERATIONS,
            description = "DBA updates of each centroid per round. Default: ${DEFAULT-VALUE}.")
    int dbaIterations;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() {
        DtwKMeansSettings dtw = Flags.build(
                () -> new DtwKMeansSettings(window, restarts, maxIterations, dbaIterations));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("window", window);
        settings.put("seed", clustering.seed);
        settings.put("n_init", restarts);
        settings.put("max_iter", maxIterations);
        settings.put("dba_iter", dbaIterations);
        return BaselineRun.run(spec, data, prep, device, clustering, out,
                Methods.dtwKMeans(dtw), false, settings);
    }
}
