package org.rnnclust.backend.cpu;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.rnnclust.backend.Neighbours;

/**
 * Exact k-nearest-neighbour search by brute force: every pair's squared Euclidean distance, summed
 * in double over the float differences, in parallel over the query rows (each row's answer is
 * computed alone, so the thread count does not change it).
 */
final class CpuNearestNeighbours {
    private CpuNearestNeighbours() {}

    static Neighbours of(float[] x, int n, int d, int m) {
        Neighbours.check(x, n, d, m);
        int[] index = new int[n * m];
        float[] sqDistance = new float[n * m];
        IntStream.range(0, n).parallel().forEach(i -> nearestOf(x, n, d, i, m, index, sqDistance));
        return new Neighbours(n, m, index, sqDistance);
    }

    private static void nearestOf(float[] x, int n, int d, int i, int kk, int[] index, float[] sqDistance) {
        // Insertion into a sorted array of kk: kk is ~10, so this beats a heap.
        double[] best = new double[kk];
        int[] bestIndex = new int[kk];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Arrays.fill(bestIndex, -1);
        int base = i * d;
        for (int j = 0; j < n; j++) {
            if (j == i) continue;
            double s = 0;
            int other = j * d;
            for (int c = 0; c < d; c++) {
                double diff = x[base + c] - x[other + c];
                s += diff * diff;
            }
            // j ascends, so a tie never displaces the lower index already kept
            if (s >= best[kk - 1]) continue;
            int p = kk - 1;
            while (p > 0 && best[p - 1] > s) {
                best[p] = best[p - 1];
                bestIndex[p] = bestIndex[p - 1];
                p--;
            }
            best[p] = s;
            bestIndex[p] = j;
        }
        System.arraycopy(bestIndex, 0, index, i * kk, kk);
        for (int t = 0; t < kk; t++) sqDistance[i * kk + t] = (float) best[t];
    }
}
