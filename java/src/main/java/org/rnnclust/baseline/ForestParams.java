package org.rnnclust.baseline;

/**
 * Settings of the random-forest baseline.
 *
 * @param trees     totally random trees (scikit-learn's RandomTreesEmbedding default: 100)
 * @param maxDepth  depth of each tree (scikit-learn's default: 5, at most 32 leaves)
 * @param maxRows   training rows the proximity matrix is built on; more are subsampled (seeded),
 *                  since the matrix is rows² and its eigenproblem rows³
 */
public record ForestParams(int trees, int maxDepth, int maxRows) {
    public static final int DEFAULT_TREES = 100;
    public static final int DEFAULT_DEPTH = 5;
    public static final int DEFAULT_MAX_ROWS = 2000;

    public ForestParams {
        if (trees < 1) throw new IllegalArgumentException("trees must be >= 1, got " + trees);
        if (maxDepth < 1 || maxDepth > 30) throw new IllegalArgumentException("tree depth must be in 1..30, got " + maxDepth);
        if (maxRows < 2) throw new IllegalArgumentException("maximum rows must be >= 2, got " + maxRows);
    }

    public static ForestParams defaults() {
        return new ForestParams(DEFAULT_TREES, DEFAULT_DEPTH, DEFAULT_MAX_ROWS);
    }
}
