package org.rnnclust.api;

import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.data.RowSample;
import org.rnnclust.metrics.InternalScores;

/**
 * A fit over a range of cluster counts on one representation (the reservoirs drawn, or the
 * autoencoder pretrained, once): for each k its clusters, their inertia and their label-free
 * scores on the representation's embeddings, which do not depend on k, so that the scores compare
 * across k. The chosen k has the highest silhouette (the smallest k on a tie); no label is looked at.
 *
 * @param points one per k, in increasing k
 * @param chosen the k chosen
 */
public record KSweep(List<Point> points, int chosen) {
    /** How the k is chosen, as outputs state it. */
    public static final String RULE = "the highest silhouette";

    /**
     * One k of the sweep.
     *
     * @param labels  the training sequences' clusters
     * @param inertia the clustering's own objective (the consensus k-means' for several reservoirs)
     */
    public record Point(int k, int[] labels, double inertia, InternalScores scores) {}

    public KSweep {
        points = List.copyOf(points);
    }

    /** The point of the chosen k. */
    public Point best() {
        return points.stream().filter(p -> p.k() == chosen).findFirst().orElseThrow();
    }

    /** The sweep of {@code points}, choosing by {@link #RULE}. */
    static KSweep choosing(List<Point> points) {
        Point best = null;
        for (Point p : points) {
            if (best == null || p.scores().silhouette() > best.scores().silhouette()) best = p;
        }
        return new KSweep(points, best.k());
    }

    /** One k's point, scored on the embeddings {@code z} [n, d] by {@link #score}. */
    static Point point(int k, int[] labels, double inertia, float[] z, int n, int d, long seed) {
        return new Point(k, labels, inertia, score(z, n, d, labels, seed));
    }

    /**
     * The label-free scores of {@code labels} on the points {@code z} [n, d], as every command
     * computes them: the silhouette on {@link InternalScores#SILHOUETTE_SAMPLE} points drawn by
     * {@code seed} when there are more.
     *
     * @throws IllegalArgumentException when the labels hold fewer than 2 or more than n − 1 clusters
     */
    public static InternalScores score(float[] z, int n, int d, int[] labels, long seed) {
        int[] rows = n <= InternalScores.SILHOUETTE_SAMPLE ? null
                : RowSample.draw(n, InternalScores.SILHOUETTE_SAMPLE, new SplittableRandom(seed));
        return InternalScores.of(z, n, d, labels, rows);
    }

    /**
     * Refuses a sweep over {@code ks} on {@code sequences} training sequences where a score would be
     * undefined: every k needs 2 ≤ k ≤ n − 1.
     *
     * @throws org.rnnclust.InputException naming the first k out of range
     */
    static void requireScorable(int[] ks, int sequences) {
        for (int k : ks) {
            if (k < 2 || k > sequences - 1) {
                throw new org.rnnclust.InputException("k = " + k + " for " + sequences + " training sequences: a sweep's "
                        + "scores need 2 <= k <= n - 1", org.rnnclust.Setting.CLUSTERS);
            }
        }
    }

    /**
     * The cluster counts from {@code from} to {@code to}, checked against {@code sequences}: every
     * score needs 2 ≤ k ≤ n − 1.
     *
     * @throws org.rnnclust.InputException naming the problem
     */
    public static int[] range(int from, int to, int sequences) {
        if (from < 2 || to <= from) {
            throw new org.rnnclust.InputException("a range of cluster counts runs from at least 2 to a larger k, got "
                    + from + ".." + to, org.rnnclust.Setting.CLUSTERS);
        }
        if (to > sequences - 1) {
            throw new org.rnnclust.InputException("k up to " + to + " for " + sequences + " training sequences: the scores "
                    + "that choose k need at most n - 1 = " + (sequences - 1) + " clusters", org.rnnclust.Setting.CLUSTERS);
        }
        int[] ks = new int[to - from + 1];
        for (int i = 0; i < ks.length; i++) ks[i] = from + i;
        return ks;
    }
}
