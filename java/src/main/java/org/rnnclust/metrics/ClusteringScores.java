package org.rnnclust.metrics;

/** The three external scores usually reported for a clustering against ground truth. */
public record ClusteringScores(double acc, double nmi, double ari) {

    public static ClusteringScores of(int[] truth, int[] pred) {
        ContingencyTable t = ContingencyTable.of(truth, pred);
        return new ClusteringScores(ClusteringAccuracy.acc(t), MutualInformation.nmi(t), RandIndex.ari(t));
    }
}
