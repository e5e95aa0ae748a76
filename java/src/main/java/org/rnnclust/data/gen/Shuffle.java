package org.rnnclust.data.gen;

import java.util.Random;

/** Fisher–Yates shuffle of series and labels with one permutation. */
final class Shuffle {
    private Shuffle() {}

    static void together(float[][] series, int[] labels, Random rnd) {
        for (int i = series.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            float[] s = series[i];
            series[i] = series[j];
            series[j] = s;
            int l = labels[i];
            labels[i] = labels[j];
            labels[j] = l;
        }
    }
}
