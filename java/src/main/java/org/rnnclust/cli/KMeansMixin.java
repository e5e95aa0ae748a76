package org.rnnclust.cli;

import org.rnnclust.InputException;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.data.Dataset;
import picocli.CommandLine.Option;

/** k-means settings, scikit-learn's defaults, and the seed. */
final class KMeansMixin {
    @Option(names = "--k", paramLabel = "K",
            description = "Number of clusters. Default: the number of classes when the data have labels.")
    Integer k;

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

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Random seed; the same seed gives the same result. Default: ${DEFAULT-VALUE}.")
    long seed;

    /** --k, or 0 for one cluster per class (what the library does with 0). */
    int clusters() {
        if (k != null && k < 1) throw new InputException("--k must be >= 1, got " + k);
        return k == null ? 0 : k;
    }

    /** --k, or the number of classes of {@code train}'s labels; at most its size. */
    int k(Dataset train) {
        return Methods.clustersFor(clusters(), train);
    }

    KMeansSettings settings() {
        return Flags.build(() -> new KMeansSettings(nInit, maxIter, tol, batchSize));
    }
}
