package org.rnnclust.cli;

import org.rnnclust.api.ClusterInit;
import picocli.CommandLine.Option;

/**
 * How {@code train} first clusters the embeddings: the clusters of {@code --refine none}, and the
 * centroids DEC/IDEC start from.
 */
final class ClusterInitMixin {
    @Option(names = "--cluster-init", paramLabel = "METHOD", defaultValue = "kmeans",
            description = "kmeans, or spectral: spectral clustering of the embeddings' nearest-neighbour graph, whose "
                    + "cluster means become the centroids (each sequence then goes to the nearest). "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--neighbors", paramLabel = "K", defaultValue = "" + ClusterInit.DEFAULT_NEIGHBOURS,
            description = "spectral: neighbours per point in the graph. Default: ${DEFAULT-VALUE}.")
    int neighbours;

    @Option(names = "--spectral-dims", paramLabel = "N", defaultValue = "0",
            description = "spectral: eigenvectors kept; 0 = twice the number of clusters. Default: ${DEFAULT-VALUE}.")
    int dimensions;

    @Option(names = "--spectral-max-rows", paramLabel = "N", defaultValue = "" + ClusterInit.DEFAULT_MAX_ROWS,
            description = "spectral: above this many sequences, a seeded subsample of this size builds the graph "
                    + "(memory and time grow with its square). Default: ${DEFAULT-VALUE}.")
    int maxRows;

    /** The first clustering these flags ask for; checks them, so that a typo costs no training run. */
    ClusterInit clusterInit() {
        ClusterInit.Method m = Flags.parse("--cluster-init", method, ClusterInit.Method::parse);
        if (m == ClusterInit.Method.KMEANS) return ClusterInit.kmeans();
        try {
            return ClusterInit.spectral(neighbours, dimensions, maxRows);
        } catch (IllegalArgumentException e) {
            throw new org.rnnclust.InputException("--neighbors/--spectral-dims/--spectral-max-rows: " + e.getMessage());
        }
    }
}
