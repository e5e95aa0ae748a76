package org.rnnclust.cli;

import org.rnnclust.InputException;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.Dataset;
import picocli.CommandLine.Option;

/** k-means settings, scikit-learn's defaults. */
final class KMeansMixin {
    @Option(names = "--k", paramLabel = "K",
            description = "Number of clusters. Default: the number of classes when the data have labels.")
    Integer k;

    @Option(names = "--n-init", paramLabel = "N", defaultValue = "" + KMeansParams.DEFAULT_N_INIT,
            description = "k-means++ restarts; the lowest inertia wins. Default: ${DEFAULT-VALUE}.")
    int nInit;

    @Option(names = "--max-iter", paramLabel = "N", defaultValue = "" + KMeansParams.DEFAULT_MAX_ITER,
            description = "Lloyd iterations (mini-batch: epochs) per restart. Default: ${DEFAULT-VALUE}.")
    int maxIter;

    @Option(names = "--tol", paramLabel = "TOL", defaultValue = "" + KMeansParams.DEFAULT_TOL,
            description = "Stop when centres move less than TOL × mean feature variance. Default: ${DEFAULT-VALUE}.")
    double tol;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "0",
            description = "0: full-batch Lloyd; B > 0: mini-batch k-means with batches of B. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Random seed; the same seed gives the same result. Default: ${DEFAULT-VALUE}.")
    long seed;

    int k(Dataset train) {
        if (k != null) {
            if (k < 1) throw new InputException("--k must be >= 1, got " + k);
            return k;
        }
        if (!train.hasLabels()) throw new InputException(train.name() + ": no labels, so --k is required");
        return train.numClasses();
    }

    KMeansParams params(int k) {
        try {
            return new KMeansParams(k, nInit, maxIter, tol, seed, batchSize);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
    }
}
