package org.rnnclust.cli;

import org.rnnclust.api.KMeansSettings;
import picocli.CommandLine.Option;

/** k-means settings, scikit-learn's defaults (the number of clusters and the seed: {@link ClusteringMixin}). */
final class KMeansMixin {
    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + KMeansSettings.DEFAULT_N_INIT,
            description = "k-means++ restarts; the lowest inertia wins. Default: ${DEFAULT-VALUE}.")
    int nInit;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "" + KMeansSettings.DEFAULT_MAX_ITER,
            description = "Lloyd iterations (mini-batch: epochs) per restart. Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--tol", paramLabel = "TOL", defaultValue = "" + KMeansSettings.DEFAULT_TOL,
            description = "Stop when centres move less than TOL × mean feature variance. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
            description = "0: full-batch Lloyd; B > 0: mini-batch k-means with batches of B. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seeding", paramLabel = "HOW", defaultValue = "k-means++",
            description = "k-means++, or k-means|| (a few passes that each sample about 2k points: "
                    + "fewer passes over the data when k is large). Default: ${DEFAULT-VALUE}.")
    String seeding;

    KMeansSettings settings() {
        return Flags.build(() -> new KMeansSettings(nInit, maxIter, tol, batchSize, seeding));
    }
}
