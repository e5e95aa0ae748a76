package org.rnnclust.cli;

import org.rnnclust.InputException;
import org.rnnclust.api.Methods;
import org.rnnclust.data.Dataset;
import picocli.CommandLine.Option;

/**
 * --k and --seed: what every clustering method is fitted with beside the data, whatever the method
 * (its own settings are in its command, or in {@link KMeansMixin} for the k-means family).
 */
final class ClusteringMixin {
    @Option(names = "--k", paramLabel = "K",
            description = "Number of clusters. Default: the number of classes when the data have labels.")
    Integer k;

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
}
