package org.rnnclust.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * How {@code train} first clusters the embeddings: the clusters of {@code --refine none}, and the
 * centroids DEC/IDEC start from.
 */
final class ClusterInitMixin {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterInitMixin.class);

    @Option(names = "--cluster-init", paramLabel = "METHOD", defaultValue = "kmeans",
            description = "kmeans, or spectral: spectral clustering of the embeddings' nearest-neighbour graph, whose "
                    + "cluster means become the centroids (each sequence then goes to the nearest). "
                    + "Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--neighbors", paramLabel = "K", defaultValue = "" + SpectralClustering.Params.DEFAULT_NEIGHBOURS,
            description = "spectral: neighbours per point in the graph. Default: ${DEFAULT-VALUE}.")
    int neighbours;

    @Option(names = "--spectral-dims", paramLabel = "N", defaultValue = "0",
            description = "spectral: eigenvectors kept; 0 = twice the number of clusters. Default: ${DEFAULT-VALUE}.")
    int dimensions;

    @Option(names = "--spectral-max-rows", paramLabel = "N", defaultValue = "" + SpectralClustering.Params.DEFAULT_MAX_ROWS,
            description = "spectral: above this many sequences, a seeded subsample of this size builds the graph "
                    + "(memory and time grow with its square). Default: ${DEFAULT-VALUE}.")
    int maxRows;

    /**
     * The spectral settings, or null for k-means; checks the flags, so that calling it before
     * training keeps a typo from costing a training run.
     */
    SpectralClustering.Params spectral() {
        switch (method) {
            case "kmeans":
                return null;
            case "spectral":
                try {
                    return new SpectralClustering.Params(neighbours, dimensions, maxRows);
                } catch (IllegalArgumentException e) {
                    throw new InputException("--neighbors/--spectral-dims/--spectral-max-rows: " + e.getMessage());
                }
            default:
                throw new InputException("--cluster-init must be kmeans or spectral, got '" + method + "'");
        }
    }

    KMeansModel fit(Backend backend, float[] z, int n, int d, KMeansParams kmeans) {
        SpectralClustering.Params spectral = spectral();
        if (spectral == null) return new KMeans(kmeans).fit(backend, z, n, d);
        long start = System.nanoTime();
        KMeansModel model;
        try {
            model = SpectralClustering.centroidModel(backend, z, n, d, spectral, kmeans);
        } catch (IllegalArgumentException e) {  // too little heap, or more clusters than rows
            throw new InputException("--cluster-init spectral: " + e.getMessage());
        }
        LOG.info(String.format(java.util.Locale.ROOT, "spectral clustering of %d embeddings: %.1f s", n,
                (System.nanoTime() - start) / 1e9));
        return model;
    }

    ObjectNode describe(ObjectNode into) {
        into.put("method", method);
        if (spectral() != null) {
            into.put("neighbors", neighbours);
            into.put("dims", dimensions);
            into.put("max_rows", maxRows);
        }
        return into;
    }
}
