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

/** The native k-means tile against its Java twin: same labels (lowest index among ties), values and sums, bit for bit. */
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

    /**
     * The fused native tile (native/cpu/kmeans.c) against its twin, the unfused path with the
     * fixed-order GEMM in Java and the Java argmin and sums: the same labels, distances, inertia,
     * sums and counts to the bit, at each instruction-set level and thread count. Coarse
     * integer-valued points and repeated centroids make exact ties common (the lowest index must
     * win); k from 1 to past 2 panels of 12 and not a multiple of any, n not a multiple of a block.
     */
    @ParameterizedTest
    @CsvSource({"avx512f,3001,13,37,2", "avx512f,1,1,1,1", "avx512f,50,3,100,3", "avx512f,2000,40,301,2",
            "avx512f,700,64,100,1", "avx512f,33,17,12,2", "avx512f,65,16,13,2", "avx2,3001,13,37,2", "avx2,50,3,100,3",
            "avx2,700,64,100,1", "avx2,2000,40,301,2", "scalar,3001,13,37,2", "scalar,70,5,7,1"})
    void fusedTileEqualsTheFixedOrderPathInJava(String isa, int n, int d, int k, int threads) {
        requireNative();
        assumeTrue(NativeCpu.useIsa(isa), isa + " not supported by this CPU: skipping");
        SplittableRandom rng = new SplittableRandom(n * 31L + d * 7L + k);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(5) - 2 + (rng.nextInt(4) == 0 ? 0.25f : 0f);
        float[] c = new float[k * d];
        for (int j = 0; j < k; j++) {
            // Every third centroid repeats an earlier one: exact ties between two indices.
            if (j % 3 == 2) {
                System.arraycopy(c, (j - 1) * d, c, j * d, d);
            } else {
                System.arraycopy(x, rng.nextInt(n) * d, c, j * d, d);
                c[j * d + rng.nextInt(d)] += 0.5f;
            }
        }
        assertSameAsFixedOrderJava(x, n, d, c, k, threads);
    }

    /** NaN and infinite products: a NaN never wins, unless at centroid 0, where it stands (the scalar loop's rule). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"avx512f", "avx2", "scalar"})
    void fusedTileTreatsNanLikeTheJavaLoop(String isa) {
        requireNative();
        assumeTrue(NativeCpu.useIsa(isa), isa + " not supported by this CPU: skipping");
        int n = 40;
        int d = 3;
        int k = 30;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        x[7 * d + 1] = Float.NaN;                  // a point with NaN: every product NaN
        x[9 * d] = 3e38f;                          // a point whose products overflow
        float[] c = new float[k * d];
        for (int i = 0; i < c.length; i++) c[i] = (float) rng.nextGaussian();
        c[13 * d + 2] = Float.NaN;                 // a NaN centroid inside a panel
        for (int first : new int[] {1, 0}) {
            // first = 0: centroid 0 is NaN too, so every row starts from NaN
            if (first == 0) c[1] = Float.NaN;
            assertSameAsFixedOrderJava(x, n, d, c, k, 2);
        }
    }

    private static void assertSameAsFixedOrderJava(float[] x, int n, int d, float[] c, int k, int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (CpuCentroidIndex fused = new CpuCentroidIndex(x, n, d, pool, threads, true, Sgemm.of(false));
             CpuCentroidIndex twin = new CpuCentroidIndex(x, n, d, pool, threads, false, FixedOrderGemm::inJava)) {
            int[] a = new int[n];
            int[] b = new int[n];
            float[] da = new float[n];
            float[] db = new float[n];
            double[] sa = new double[k * d];
            double[] sb = new double[k * d];
            long[] ca = new long[k];
            long[] cb = new long[k];
            double inertia = twin.assign(c, k, b, db, sb, cb);
            assertEquals(Double.doubleToLongBits(inertia), Double.doubleToLongBits(fused.assign(c, k, a, da, sa, ca)));
            assertArrayEquals(b, a);
            assertArrayEquals(db, da);
            assertArrayEquals(sb, sa);
            assertArrayEquals(cb, ca);
            // Without sums and distances (the Lloyd loop's other call): the same labels.
            fused.assign(c, k, a, null);
            assertArrayEquals(b, a);
        } finally {
            pool.shutdownNow();
        }
    }
}
