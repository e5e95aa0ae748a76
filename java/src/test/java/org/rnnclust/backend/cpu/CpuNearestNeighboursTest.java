package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.Neighbours;

/**
 * The CPU backend's exact kNN: against sorting every distance, and bit for bit against the search
 * spectral clustering ran on the host before it moved behind the backend (scikit-learn's neighbours:
 * SpectralClusteringTest).
 */
class CpuNearestNeighboursTest {
    private static CpuBackend cpu;

    @BeforeAll
    static void open() {
        cpu = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    /** Integer coordinates in a small box: many exactly tied distances and duplicate points. */
    static float[] lattice(int n, int d, int side, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(side);
        return x;
    }

    static float[] gaussian(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (3 * r.nextGaussian() + 1);
        return x;
    }

    @Test
    void equalsSortingAllDistancesWithTiesToTheLowerIndex() {
        int n = 200;
        int d = 3;
        float[] x = lattice(n, d, 4, 1);
        int kk = 7;
        Neighbours mine = cpu.nearestNeighbours(x, n, d, kk);
        for (int i = 0; i < n; i++) {
            int row = i;
            int[] expected = IntStream.range(0, n).filter(j -> j != row).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> distance(x, d, row, j)).thenComparingInt(j -> j))
                    .limit(kk).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, Arrays.copyOfRange(mine.index(), i * kk, (i + 1) * kk), "row " + i);
            for (int t = 0; t < kk; t++) {
                assertEquals((float) distance(x, d, i, expected[t]), mine.sqDistance()[i * kk + t], 0f, "row " + i);
            }
        }
    }

    /** The old host search, on random and on tied points, several neighbour counts: the same indices and distances. */
    @Test
    void equalsTheHostSearchItReplacedBitForBit() {
        for (int kk : new int[] {1, 5, 10, 31}) {
            for (float[] x : new float[][] {gaussian(517, 6, kk), lattice(400, 2, 5, kk)}) {
                int d = x.length == 517 * 6 ? 6 : 2;
                int n = x.length / d;
                double[] oldDistances = new double[n * kk];
                int[] old = legacy(x, n, d, kk, oldDistances);
                Neighbours now = cpu.nearestNeighbours(x, n, d, kk);
                assertArrayEquals(old, now.index(), "indices, n " + n + " m " + kk);
                for (int e = 0; e < old.length; e++) {
                    assertEquals((float) oldDistances[e], now.sqDistance()[e], 0f, "distance " + e);
                }
            }
        }
    }

    /** With fewer other points than neighbours asked for, the slots past them are empty: −1 at +∞. */
    @Test
    void slotsPastTheOtherPointsAreEmpty() {
        float[] x = {0, 0, 3, 0, 1, 0, 1, 1};
        Neighbours nn = cpu.nearestNeighbours(x, 4, 2, 6);
        assertArrayEquals(new int[] {2, 3, 1, -1, -1, -1}, Arrays.copyOfRange(nn.index(), 0, 6));
        assertArrayEquals(new float[] {1, 2, 9, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY}, Arrays.copyOfRange(nn.sqDistance(), 0, 6), 0f);
        Neighbours alone = cpu.nearestNeighbours(new float[] {5, 6}, 1, 2, 2);
        assertArrayEquals(new int[] {-1, -1}, alone.index());
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> cpu.nearestNeighbours(new float[4], 2, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> cpu.nearestNeighbours(new float[4], 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> cpu.nearestNeighbours(new float[0], 0, 2, 1));
    }

    private static double distance(float[] x, int d, int i, int j) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double v = x[i * d + c] - x[j * d + c];
            s += v * v;
        }
        return s;
    }

    /** cluster.NearestNeighbors as it was (one row's loop), with its distances kept: the oracle. */
    private static int[] legacy(float[] x, int n, int d, int kk, double[] distances) {
        int[] out = new int[n * kk];
        for (int i = 0; i < n; i++) {
            double[] best = new double[kk];
            int[] bestIndex = new int[kk];
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            int base = i * d;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double s = 0;
                int other = j * d;
                for (int c = 0; c < d; c++) {
                    double diff = x[base + c] - x[other + c];
                    s += diff * diff;
                }
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
            System.arraycopy(bestIndex, 0, out, i * kk, kk);
            System.arraycopy(best, 0, distances, i * kk, kk);
        }
        return out;
    }
}
