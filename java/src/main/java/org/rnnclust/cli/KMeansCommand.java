package org.rnnclust.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.api.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** k-means on the preprocessed raw series: the baseline every learned embedding must beat. */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
        header = "k-means on the raw series: the classical baseline.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust kmeans --data CBF_TRAIN.tsv --test CBF_TEST.tsv --out km",
                "  rnnclust kmeans --data big.npy --k 100 --batch-size 4096 --out km-big"},
        description = {"k-means on the raw (preprocessed) series: the classical baseline.",
                "Writes DIR/assignments.csv and DIR/metrics.json and prints a short table.",
                "With --batch-size on an unlabelled .npy, mini-batch k-means reads the file from disk "
                        + "in chunks (see --chunk-rows)."})
final class KMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;
    @Mixin ProgressMixin progress;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--chunk-rows", paramLabel = "N", defaultValue = "0",
            description = {"With --batch-size on an .npy without labels: mini-batch k-means reads the file "
                    + "N sequences at a time, one pass per epoch, so it may be larger than memory; 0 = as many "
                    + "as hold 2 Mi values (8 MiB), at most 65,536. Default: ${DEFAULT-VALUE}."})
    int chunkRows;

    @Override
    public Integer call() {
        if (StreamedKMeansRun.applies(data, kmeans.settings())) {
            return StreamedKMeansRun.run(spec, data, prep.options(), device, clustering,
                    kmeans.settings(), chunkRows, out);
        }
        if (chunkRows != 0) {
            throw new InputException("--chunk-rows applies to mini-batch k-means (--batch-size B) of an .npy without "
                    + "--labels, --test or --merge, which is read from disk; this run reads its data whole");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", clustering.seed);
        settings.put("n_init", kmeans.nInit);
        settings.put("seeding", kmeans.settings().seedingName());
        // The bar closes when the restarts end (or fail), before the results are printed.
        try (Progress shown = progress.open(spec, "refine")) {
            return BaselineRun.run(spec, data, prep, device, clustering, out,
                    Methods.rawKMeans(kmeans.settings(), shown), false, settings);
        }
    }
}
