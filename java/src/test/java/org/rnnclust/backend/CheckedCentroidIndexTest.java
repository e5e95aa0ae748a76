package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks in front of every backend's centroid index, on the CPU backend: points, centres and
 * output arrays too short for n, k and d are refused before any native code writes into them.
 */
class CheckedCentroidIndexTest {
    private static final int N = 5;
    private static final int D = 2;
    private static final float[] X = {0, 0, 1, 0, 0, 1, 5, 5, 6, 5};

    private static void invalid(Executable call) {
        assertThrows(IllegalArgumentException.class, call);
    }

    @Test
    void pointsMustHoldNRowsOfD() {
        try (Backend backend = Backends.open("cpu", 1)) {
            invalid(() -> backend.centroidIndex(X, 0, D).close());
            invalid(() -> backend.centroidIndex(X, N, 0).close());
            invalid(() -> backend.centroidIndex(X, N + 1, D).close());
        }
    }

    @Test
    void queriesRefuseShortCentresAndOutputs() {
        float[] centres = {0, 0, 5, 5};
        try (Backend backend = Backends.open("cpu", 2); CentroidIndex index = backend.centroidIndex(X, N, D)) {
            invalid(() -> index.assign(centres, 0, new int[N], null));
            invalid(() -> index.assign(centres, 3, new int[N], null));
            invalid(() -> index.assign(centres, 2, new int[N - 1], null));
            invalid(() -> index.assign(centres, 2, new int[N], new float[N - 1]));
            invalid(() -> index.assign(centres, 2, new int[N], null, new double[4], null));
            invalid(() -> index.assign(centres, 2, new int[N], null, new double[3], new long[2]));
            invalid(() -> index.assign(centres, 2, new int[N], null, new double[4], new long[1]));
            invalid(() -> index.sqDistances(centres, 2, new float[2 * N - 1]));
            invalid(() -> index.point(0, new float[D - 1]));
            assertThrows(IndexOutOfBoundsException.class, () -> index.point(N, new float[D]));

            // Arrays of the right size (or larger) are accepted and filled.
            int[] nearest = new int[N + 2];
            Arrays.fill(nearest, -1);
            double[] sums = new double[4];
            long[] counts = new long[2];
            double inertia = index.assign(centres, 2, nearest, new float[N], sums, counts);
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, -1, -1}, nearest);
            assertArrayEquals(new long[] {3, 2}, counts);
            assertArrayEquals(new double[] {1, 1, 11, 10}, sums);
            assertEquals(1 + 1 + 1, inertia, 1e-6);
            float[] p = new float[D];
            index.point(4, p);
            assertArrayEquals(new float[] {6, 5}, p);
        }
    }
}
