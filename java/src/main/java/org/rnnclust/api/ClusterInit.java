package org.rnnclust.api;

import java.util.Locale;
import org.rnnclust.cluster.SpectralClustering;

/**
 * How the embeddings are first clustered: the clusters when there is no refinement, and the
 * centroids DEC/IDEC start from.
 *
 * @param method     k-means, or spectral clustering of the embeddings' nearest-neighbour graph,
 *                   whose cluster means become the centroids (every sequence then goes to the
 *                   nearest mean, as with k-means)
 * @param neighbours spectral: neighbours per point in the graph
 * @param dimensions spectral: eigenvectors kept, 0 for twice the number of clusters
 * @param maxRows    spectral: above this many sequences a seeded subsample of this size builds the
 *                   graph (its memory and time grow with the square)
 */
public record ClusterInit(Method method, int neighbours, int dimensions, int maxRows) {
    public static final int DEFAULT_NEIGHBOURS = SpectralClustering.Params.DEFAULT_NEIGHBOURS;
    public static final int DEFAULT_MAX_ROWS = SpectralClustering.Params.DEFAULT_MAX_ROWS;

    /** The first clustering's algorithm. */
    public enum Method {
        KMEANS, SPECTRAL;

        /** "kmeans" or "spectral". */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** "kmeans" or "spectral", any case. */
        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.label().equalsIgnoreCase(s.trim())) return m;
            }
            throw new IllegalArgumentException("unknown first clustering '" + s + "'; use kmeans or spectral");
        }
    }

    public ClusterInit {
        if (method == null) throw new IllegalArgumentException("first clustering method missing");
        if (method == Method.SPECTRAL) params(neighbours, dimensions, maxRows);  // validates
    }

    /** k-means++ and Lloyd (the default). */
    public static ClusterInit kmeans() {
        return new ClusterInit(Method.KMEANS, DEFAULT_NEIGHBOURS, 0, DEFAULT_MAX_ROWS);
    }

    /** Spectral clustering with the default graph (10 neighbours, 2k eigenvectors, at most 20,000 rows). */
    public static ClusterInit spectral() {
        return spectral(DEFAULT_NEIGHBOURS, 0, DEFAULT_MAX_ROWS);
    }

    public static ClusterInit spectral(int neighbours, int dimensions, int maxRows) {
        return new ClusterInit(Method.SPECTRAL, neighbours, dimensions, maxRows);
    }

    /** "kmeans" or "spectral". */
    public String label() {
        return method.label();
    }

    public boolean isSpectral() {
        return method == Method.SPECTRAL;
    }

    /** The engine's spectral settings, or null for k-means. */
    SpectralClustering.Params params() {
        return isSpectral() ? params(neighbours, dimensions, maxRows) : null;
    }

    private static SpectralClustering.Params params(int neighbours, int dimensions, int maxRows) {
        return new SpectralClustering.Params(neighbours, dimensions, maxRows);
    }
}
