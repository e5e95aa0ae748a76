package org.rnnclust.metrics;

import java.math.BigInteger;

/**
 * Adjusted Rand index (Hubert & Arabie 1985), matching scikit-learn's {@code adjusted_rand_score}:
 * 1.0 when the two labelings put exactly the same pairs together (this covers a single label on
 * both sides and n = 1). Pair counts are exact; the final ratio is formed from exact integers, so
 * n up to 2^31 neither overflows nor loses precision to cancellation.
 */
public final class RandIndex {
    private RandIndex() {}

    public static double ari(int[] labelsTrue, int[] labelsPred) {
        return ari(ContingencyTable.of(labelsTrue, labelsPred));
    }

    static double ari(ContingencyTable t) {
        long together = 0;      // pairs in the same class and the same cluster
        for (int k = 0; k < t.cells(); k++) together += pairs(t.cellCount(k));
        long sameClass = 0;
        for (int r = 0; r < t.rows(); r++) sameClass += pairs(t.rowSum(r));
        long sameCluster = 0;
        for (int c = 0; c < t.cols(); c++) sameCluster += pairs(t.colSum(c));
        if (together == sameClass && together == sameCluster) return 1.0;

        // ARI = (index - expected) / (mean of maxima - expected) with expected = A * B / N,
        // multiplied through by 2N to stay in integers.
        BigInteger total = BigInteger.valueOf(pairs(t.n()));
        BigInteger a = BigInteger.valueOf(sameClass);
        BigInteger b = BigInteger.valueOf(sameCluster);
        BigInteger ab2 = a.multiply(b).shiftLeft(1);
        BigInteger num = BigInteger.valueOf(together).multiply(total).shiftLeft(1).subtract(ab2);
        BigInteger den = total.multiply(a.add(b)).subtract(ab2);
        return num.doubleValue() / den.doubleValue();
    }

    private static long pairs(long m) {
        return m * (m - 1) / 2;
    }
}
