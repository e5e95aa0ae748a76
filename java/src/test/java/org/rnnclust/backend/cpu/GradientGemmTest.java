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
 * The weight-gradient GEMM (C = alpha·Aᵀ·B + beta·C, k long, CpuOps.GRADIENT_MIN_K) against
 * oracles: the fixed-order definition of {@link FixedOrderGemmTest#definition} bit for bit in the
 * deterministic mode (the native kernel at every instruction-set level), a double-precision
 * product within float rounding in the default mode. Shapes straddle its tile (12 × 32), its
 * blocks of 256 terms, and the chunks CpuOps splits C into.
 */
class GradientGemmTest {
    private static final String[] LEVELS = {"avx512f", "avx2", "scalar"};

    @AfterEach
    void restoreLevel() {
        if (NativeCpu.available()) {
            for (String isa : LEVELS) if (NativeCpu.useIsa(isa)) break;
        }
    }

    // m, n, k, alpha, beta: an LSTM's dW_hh and dW_ih (H = 32, I = 28), edges of both kinds, k one
    // past a block, C split into column blocks (m < n).
    static Stream<Arguments> shapes() {
        String[] cases = {"128,32,1024,1,1", "128,28,1024,1,1", "37,53,513,0.5,-0.75", "12,32,512,1,0",
            "25,300,700,1,1", "300,13,600,-2,0.25"};
        return Stream.of(cases).map(c -> {
            String[] v = c.split(",");
            return Arguments.of(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                    Float.parseFloat(v[3]), Float.parseFloat(v[4]));
        });
    }

    private record Case(int m, int n, int k, float alpha, float beta, float[] a, int lda, float[] b, int ldb,
                        float[] c, int ldc) {
        static Case random(int m, int n, int k, float alpha, float beta, long seed) {
            Random r = new Random(seed);
            int lda = m + 3, ldb = n + 2, ldc = n + 5;
            return new Case(m, n, k, alpha, beta, fill(r, k * lda), lda, fill(r, k * ldb), ldb, fill(r, m * ldc), ldc);
        }

        float[] definition() {
            return FixedOrderGemmTest.definition(true, false, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        float[] run(CpuOps ops) {
            try (DeviceBuffer da = ops.allocate(a.length); DeviceBuffer db = ops.allocate(b.length);
                 DeviceBuffer dc = ops.allocate(c.length)) {
                ops.upload(a, da);
                ops.upload(b, db);
                ops.upload(c, dc);
                ops.gemm(true, false, m, n, k, alpha, da, 0, lda, db, 0, ldb, beta, dc, 0, ldc);
                return ops.toHost(dc);
            }
        }
    }

    private static float[] fill(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(7) - 3));
        return x;
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void deterministicModeGivesTheFixedOrderBits(int m, int n, int k, float alpha, float beta) {
        Case c = Case.random(m, n, k, alpha, beta, 7L * m + n + k);
        float[] expected = c.definition();
        try (CpuOps one = new CpuOps(1, true); CpuOps split = new CpuOps(3, 1, 1, 1, true, Sgemm.of(true))) {
            assertArrayEquals(expected, c.run(one));
            assertArrayEquals(expected, c.run(split), "C split across threads");
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void nativeKernelGivesTheFixedOrderBitsAtEveryLevel(int m, int n, int k, float alpha, float beta) {
        assumeTrue(NativeCpu.available(), "native CPU library not loaded (" + NativeCpu.status() + "): skipping");
        Case c = Case.random(m, n, k, alpha, beta, 5L * m + n + 3L * k);
        float[] expected = c.definition();
        int levels = 0;
        for (String isa : LEVELS) {
            if (!NativeCpu.useIsa(isa)) continue;
            try (FloatPointer a = new FloatPointer(c.a()); FloatPointer b = new FloatPointer(c.b());
                 FloatPointer out = new FloatPointer(c.c())) {
                assertTrue(NativeCpu.gradientGemm(false, m, n, k, alpha, a.address(), c.lda(), b.address(), c.ldb(),
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
    void defaultModeIsTheProductWithinRounding(int m, int n, int k, float alpha, float beta) {
        Case c = Case.random(m, n, k, alpha, beta, 3L * m + n + k);
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
                        double x = c.a()[p * c.lda() + i] * (double) c.b()[p * c.ldb() + j];
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
