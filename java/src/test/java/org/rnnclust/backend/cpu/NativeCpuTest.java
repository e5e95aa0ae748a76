package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The native argmin against its Java twin: same index (lowest among ties) and same value, bit for bit. */
class NativeCpuTest {
    static void requireNative() {
        assumeTrue(NativeCpu.available(), "native CPU library not loaded (" + NativeCpu.status() + "): skipping");
    }

    @org.junit.jupiter.api.AfterEach
    void restoreDispatch() {
        if (NativeCpu.available()) {
            for (String isa : new String[] {"avx512f", "avx2", "scalar"}) if (NativeCpu.useIsa(isa)) break;
        }
    }

    @ParameterizedTest
    @CsvSource({"avx512f,1,1", "avx512f,3,7", "avx512f,50,16", "avx512f,31,17", "avx512f,100,100",
            "avx512f,7,1023", "avx2,1,1", "avx2,50,8", "avx2,50,15", "avx2,100,100", "avx2,7,1023",
            "scalar,3,7", "scalar,100,100"})
    void argminRowsEqualsJavaLoop(String isa, int rows, int k) {
        requireNative();
        assumeTrue(NativeCpu.useIsa(isa), isa + " not supported by this CPU: skipping");
        SplittableRandom rng = new SplittableRandom(rows * 1000L + k);
        float[] h = new float[rows * k];
        for (int i = 0; i < h.length; i++) {
            // Coarse values make ties common; negative values and -0.0 included.
            h[i] = (float) (rng.nextInt(9) - 4) * 0.5f;
            if (rng.nextInt(50) == 0) h[i] = -0.0f;
        }
        int[] index = new int[rows + 3];
        float[] value = new float[rows + 3];
        try (FloatPointer p = new FloatPointer(h.length)) {
            p.put(h);
            NativeCpu.argminRows(p, rows, k, index, value, 3);
        }
        for (int r = 0; r < rows; r++) {
            int expected = CpuCentroidIndex.argmin(h, r * k, k);
            assertEquals(expected, index[3 + r], "row " + r);
            assertEquals(h[r * k + expected], value[3 + r], 0f, "row " + r);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"avx512f", "avx2", "scalar"})
    void nanRowsBehaveLikeTheJavaLoop(String isa) {
        requireNative();
        assumeTrue(NativeCpu.useIsa(isa), isa + " not supported by this CPU: skipping");
        // Rows of 4 (scalar tail) and of 20 (SIMD body), NaN first, in the middle, and none.
        for (int k : new int[] {4, 20}) {
            float[] h = new float[3 * k];
            for (int i = 0; i < h.length; i++) h[i] = (i * 7919 % 13) - 6;
            h[0] = Float.NaN;
            h[k + k / 2] = Float.NaN;
            int[] index = new int[3];
            float[] value = new float[3];
            try (FloatPointer p = new FloatPointer(h.length)) {
                p.put(h);
                NativeCpu.argminRows(p, 3, k, index, value, 0);
            }
            for (int r = 0; r < 3; r++) assertEquals(CpuCentroidIndex.argmin(h, r * k, k), index[r], "k=" + k + " row " + r);
        }
    }

    @Test
    void indexGivesTheSameAssignmentsWithAndWithoutNative() {
        requireNative();
        int n = 3001;
        int d = 13;
        int k = 37;
        SplittableRandom rng = new SplittableRandom(11);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        float[] c = java.util.Arrays.copyOf(x, k * d);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CpuCentroidIndex fast = new CpuCentroidIndex(x, n, d, pool, 2, true, Sgemm.of(false));
             CpuCentroidIndex java = new CpuCentroidIndex(x, n, d, pool, 2, false, Sgemm.of(false))) {
            int[] a = new int[n];
            int[] b = new int[n];
            float[] da = new float[n];
            float[] db = new float[n];
            assertEquals(java.assign(c, k, b, db), fast.assign(c, k, a, da));
            assertArrayEquals(b, a);
            assertArrayEquals(db, da);
        } finally {
            pool.shutdownNow();
        }
    }
}
