package org.rnnclust.api;

import org.rnnclust.baseline.ForestParams;

/**
 * Settings of the random-forest baseline.
 *
 * @param trees   totally random trees (scikit-learn's RandomTreesEmbedding default: 100)
 * @param depth   depth of each tree (default 5)
 * @param maxRows training rows the proximity is built on; more are subsampled (seeded), since the
 *                proximity is rows² and its eigenproblem rows³
 */
public record ForestSettings(int trees, int depth, int maxRows) {
    public static final int DEFAULT_TREES = ForestParams.DEFAULT_TREES;
    public static final int DEFAULT_DEPTH = ForestParams.DEFAULT_DEPTH;
    public static final int DEFAULT_MAX_ROWS = ForestParams.DEFAULT_MAX_ROWS;

    public ForestSettings {
        new ForestParams(trees, depth, maxRows);  // validates
    }

    public static ForestSettings defaults() {
        return new ForestSettings(DEFAULT_TREES, DEFAULT_DEPTH, DEFAULT_MAX_ROWS);
    }

    ForestParams params() {
        return new ForestParams(trees, depth, maxRows);
    }
}
