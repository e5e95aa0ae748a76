package org.rnnclust.metrics;

import java.util.function.IntUnaryOperator;

/**
 * Normalized mutual information with the arithmetic mean of the two entropies as normaliser,
 * matching scikit-learn's {@code normalized_mutual_info_score} (natural logarithms), edge cases
 * included: 1.0 when both labelings have a single label, 0.0 when the mutual information is 0.
 */
public final class MutualInformation {
    private static final double EPS = Math.ulp(1.0);

    private MutualInformation() {}

    public static double nmi(int[] labelsTrue, int[] labelsPred) {
        return nmi(ContingencyTable.of(labelsTrue, labelsPred));
    }

    static double nmi(ContingencyTable t) {
        if (t.rows() == 1 && t.cols() == 1) return 1.0;
        double mi = mutualInformation(t);
        if (mi == 0) return 0.0;
        double hTrue = entropy(t.n(), t.rows(), t::rowSum);
        double hPred = entropy(t.n(), t.cols(), t::colSum);
        return mi / ((hTrue + hPred) / 2);
    }

    static double mutualInformation(ContingencyTable t) {
        if (t.rows() == 1 || t.cols() == 1) return 0.0;
        double logN = Math.log(t.n());
        double mi = 0;
        for (int k = 0; k < t.cells(); k++) {
            double count = t.cellCount(k);
            double term = count / t.n() * (Math.log(count) + logN
                    - Math.log(t.rowSum(t.cellRow(k))) - Math.log(t.colSum(t.cellCol(k))));
            // Rounding noise of exactly independent cells is dropped, as scikit-learn does, so that
            // independent labelings give exactly 0.
            if (Math.abs(term) >= EPS) mi += term;
        }
        return Math.max(mi, 0.0);
    }

    private static double entropy(int n, int labels, IntUnaryOperator count) {
        if (labels == 1) return 0.0;
        double logN = Math.log(n);
        double h = 0;
        for (int l = 0; l < labels; l++) {
            double c = count.applyAsInt(l);
            h -= c / n * (Math.log(c) - logN);
        }
        return h;
    }
}
