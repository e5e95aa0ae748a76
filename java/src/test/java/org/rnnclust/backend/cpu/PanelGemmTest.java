package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.backend.DeviceBuffer;

/**
 * The GEMMs CpuOps runs on its own panel kernels at AVX-512 (native/cpu/gemm.c), through
 * TensorOps.gemm, against oracles: the fixed-order definition of {@link FixedOrderGemmTest#definition}
 * bit for bit in the deterministic mode (the native kernels also at every instruction-set level),
 * a double-precision product within float rounding in the default mode. The weight gradients
 * (C = alpha·Aᵀ·B + beta·C, k long, CpuOps.GRADIENT_MIN_K) and tall products (A·op(B) with many rows
 * and a small op(B), CpuOps.TALL_MIN_ROWS). Shapes straddle the tile (12 × 32), the gradient's
 * blocks of 256 terms, and the chunks CpuOps splits C into.
 */
class PanelGemmTest {
    private static final String[] LEVELS = FixedOrderGemmTest.LEVELS;

    @AfterEach
    void restoreLevel() {
        FixedOrderGemmTest.restoreBestLevel();
    }

    // transA, transB, m, n, k, alpha, beta. Gradients: an LSTM's dW_hh and dW_ih (H = 32, I = 28),
    // edges of both kinds, k one past a block, C split into column blocks (m < n). Tall: an input
    // projection X·W_ihᵀ and an input gradient dG·W_ih over 1030 rows (an edge row tile), alpha and beta.
    static Stream<Arguments> shapes() {
        String[] cases = {"true,false,128,32,1024,1,1", "true,false,128,28,1024,1,1", "true,false,37,53,513,0.5,-0.75",
            "true,false,12,32,512,1,0", "true,false,25,300,700,1,1", "true,false,300,13,600,-2,0.25",
            "false,true,1030,128,28,1,0", "false,false,1030,28,128,1,1", "false,true,1100,45,9,0.5,-0.75",
            "false,false,1024,32,1,1,0"};
        return Stream.of(cases).map(c -> {
            String[] v = c.split(",");
            return Arguments.of(Boolean.parseBoolean(v[0]), Boolean.parseBoolean(v[1]), Integer.parseInt(v[2]),
                    Integer.parseInt(v[3]), Integer.parseInt(v[4]), Float.parseFloat(v[5]), Float.parseFloat(v[6]));
        });
    }

    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, float[] a,
                        int lda, float[] b, int ldb, float[] c, int ldc) {
        static Case random(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, long seed) {
            Random r = new Random(seed);
            int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 5;
            return new Case(transA, transB, m, n, k, alpha, beta, FixedOrderGemmTest.fill(r, (transA ? k : m) * lda), lda,
                    FixedOrderGemmTest.fill(r, (transB ? n : k) * ldb), ldb, FixedOrderGemmTest.fill(r, m * ldc), ldc);
        }

        float[] definition() {
            return FixedOrderGemmTest.definition(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        float opA(int i, int p) {
            return transA ? a[p * lda + i] : a[i * lda + p];
        }

        float opB(int p, int j) {
            return transB ? b[j * ldb + p] : b[p * ldb + j];
        }

        float[] run(CpuOps ops) {
            try (DeviceBuffer da = ops.allocate(a.length); DeviceBuffer db = ops.allocate(b.length);
                 DeviceBuffer dc = ops.allocate(c.length)) {
                ops.upload(a, da);
                ops.upload(b, db);
                ops.upload(c, dc);
                ops.gemm(transA, transB, m, n, k, alpha, da, 0, lda, db, 0, ldb, beta, dc, 0, ldc);
                return ops.toHost(dc);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void deterministicModeGivesTheFixedOrderBits(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                                 float beta) {
        Case c = Case.random(transA, transB, m, n, k, alpha, beta, 7L * m + n + k);
        float[] expected = c.definition();
        try (CpuOps one = new CpuOps(1, true); CpuOps split = new CpuOps(3, 1, 1, 1, true, Sgemm.of(true))) {
            assertArrayEquals(expected, c.run(one));
            assertArrayEquals(expected, c.run(split), "C split across threads");
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void nativeKernelGivesTheFixedOrderBitsAtEveryLevel(boolean transA, boolean transB, int m, int n, int k,
                                                       float alpha, float beta) {
        assumeTrue(NativeCpu.available(), "native CPU library not loaded (" + NativeCpu.status() + "): skipping");
        Case c = Case.random(transA, transB, m, n, k, alpha, beta, 5L * m + n + 3L * k);
        float[] expected = c.definition();
        int levels = 0;
        for (String isa : LEVELS) {
            if (!NativeCpu.useIsa(isa)) continue;
            try (FloatPointer a = new FloatPointer(c.a()); FloatPointer b = new FloatPointer(c.b());
                 FloatPointer out = new FloatPointer(c.c())) {
                assertTrue(transA
                        ? NativeCpu.gradientGemm(false, m, n, k, alpha, a.address(), c.lda(), b.address(), c.ldb(), beta,
                                out.address(), c.ldc())
                        : NativeCpu.tallGemm(false, transB, m, n, k, alpha, a.address(), c.lda(), b.address(), c.ldb(),
                                beta, out.address(), c.ldc()));
                float[] got = new float[c.c().length];
                out.get(got);
                assertArrayEquals(expected, got, isa);
            }
            levels++;
        }
        assertTrue(levels >= 1, "no instruction-set level could be pinned");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void defaultModeIsTheProductWithinRounding(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                               float beta) {
        Case c = Case.random(transA, transB, m, n, k, alpha, beta, 3L * m + n + k);
        try (CpuOps ops = new CpuOps(2)) {
            float[] got = c.run(ops);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < c.ldc(); j++) {
                    float old = c.c()[i * c.ldc() + j];
                    if (j >= n) {
                        assertEquals(old, got[i * c.ldc() + j], "outside C");
                        continue;
                    }
                    double sum = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double x = c.opA(i, p) * (double) c.opB(p, j);
                        sum += x;
                        scale += Math.abs(x);
                    }
                    double want = alpha * sum + (beta == 0 ? 0 : beta * old);
                    double bound = 2e-7 * (k + 2) * (Math.abs(alpha) * scale + Math.abs(beta * old));
                    assertEquals(want, got[i * c.ldc() + j], bound, "C[" + i + "][" + j + "]");
                }
            }
        }
    }
}
