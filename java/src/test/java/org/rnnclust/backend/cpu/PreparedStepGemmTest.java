package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;

/**
 * The per-step GEMM on a prepared right operand (TensorOps.prepareStepOperand / stepGemmPrepared)
 * against oracles: in the deterministic mode, the fixed-order definition of
 * {@link FixedOrderGemmTest#definition} bit for bit (the native kernel at every instruction-set
 * level); in the default
 * mode (fused multiply-adds), a double-precision product within float rounding; without the native
 * library, the plain GEMM of the same ops. Shapes straddle the native panel (12 rows × 32 columns).
 */
class PreparedStepGemmTest {
    private static final String[] LEVELS = FixedOrderGemmTest.LEVELS;

    @AfterEach
    void restoreLevel() {
        FixedOrderGemmTest.restoreBestLevel();
    }

    // transB, m, n, k, alpha, beta: whole panels, edge rows and columns, one element, k = 0, k past
    // the fixed-order GEMM's blocks of 256 terms, and the recurrent layers' shapes (H = 128, G = 4).
    static Stream<Arguments> shapes() {
        String[] cases = {
            "true,12,32,8,1,0", "false,12,32,8,1,1", "true,37,53,29,1,1", "false,37,53,29,0.5,-0.75",
            "true,1,1,1,1,0", "false,5,31,7,-2,0.25", "true,13,33,0,1,0.5", "false,11,64,513,1,1",
            "true,128,512,128,1,0", "false,128,128,512,1,1", "true,64,96,64,1,0", "false,25,200,300,1,1"};
        return Stream.of(cases).map(c -> {
            String[] v = c.split(",");
            return Arguments.of(Boolean.parseBoolean(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                    Integer.parseInt(v[3]), Float.parseFloat(v[4]), Float.parseFloat(v[5]));
        });
    }

    /** A, B (stored as given: n × k when transposed), C, and the strides of a strided A and C. */
    private record Case(boolean transB, int m, int n, int k, float alpha, float beta, float[] a, int lda, float[] b,
                        float[] c, int ldc) {
        static Case random(boolean transB, int m, int n, int k, float alpha, float beta, long seed) {
            Random r = new Random(seed);
            int lda = k + 3;
            int ldc = n + 5;
            return new Case(transB, m, n, k, alpha, beta, FixedOrderGemmTest.fill(r, m * lda), lda, FixedOrderGemmTest.fill(r, n * k), FixedOrderGemmTest.fill(r, m * ldc), ldc);
        }

        float[] definition() {
            return FixedOrderGemmTest.definition(false, transB, m, n, k, alpha, a, lda, b, transB ? k : n, beta, c,
                    ldc);
        }

        /** Prepares B and runs the step GEMM on {@code ops}, A and C at an offset. */
        float[] run(CpuOps ops) {
            int offset = 7;
            try (DeviceBuffer da = ops.allocate(a.length + offset); DeviceBuffer db = ops.allocate(b.length + 1L);
                 DeviceBuffer prepared = ops.allocate(TensorOps.preparedStepOperandSize(k, n) + 1);
                 DeviceBuffer dc = ops.allocate(c.length + offset)) {
                ops.upload(a, 0, da, offset, a.length);
                ops.upload(b, 0, db, 1, b.length);
                ops.upload(c, 0, dc, offset, c.length);
                ops.prepareStepOperand(transB, k, n, db, 1, transB ? k : n, prepared);
                ops.stepGemmPrepared(m, n, k, alpha, da, offset, lda, prepared, beta, dc, offset, ldc);
                float[] out = new float[c.length];
                ops.download(dc, offset, out, 0, c.length);
                return out;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void deterministicModeGivesTheFixedOrderBits(boolean transB, int m, int n, int k, float alpha, float beta) {
        Case c = Case.random(transB, m, n, k, alpha, beta, 13L * m + n + 7L * k);
        float[] expected = c.definition();
        // Three threads split the rows: the bits must not depend on it either.
        try (CpuOps one = new CpuOps(1, true); CpuOps split = new CpuOps(3, 1, 1, 1, true, Sgemm.of(true))) {
            assertArrayEquals(expected, c.run(one));
            assertArrayEquals(expected, c.run(split), "rows split");
        }
    }

    /** The native kernel itself, fixed order, at every level (CpuOps uses it at AVX-512 only). */
    @ParameterizedTest
    @MethodSource("shapes")
    void nativeKernelGivesTheFixedOrderBitsAtEveryLevel(boolean transB, int m, int n, int k, float alpha, float beta) {
        assumeTrue(NativeCpu.available(), "native CPU library not loaded (" + NativeCpu.status() + "): skipping");
        Case c = Case.random(transB, m, n, k, alpha, beta, 11L * m + n + 5L * k);
        float[] expected = c.definition();
        long panels = TensorOps.preparedStepOperandSize(k, n);
        int levels = 0;
        for (String isa : LEVELS) {
            if (!NativeCpu.useIsa(isa)) continue;
            try (FloatPointer a = new FloatPointer(c.a()); FloatPointer b = new FloatPointer(c.b());
                 FloatPointer packed = new FloatPointer(Math.max(1, panels)); FloatPointer out = new FloatPointer(c.c())) {
                NativeCpu.stepPack(transB, k, n, b.address(), transB ? k : n, packed.address());
                assertTrue(NativeCpu.stepGemm(false, m, n, k, alpha, a.address(), c.lda(), packed.address(), beta,
                        out.address(), c.ldc()));
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
    void defaultModeIsTheProductWithinRounding(boolean transB, int m, int n, int k, float alpha, float beta) {
        Case c = Case.random(transB, m, n, k, alpha, beta, 29L * m + n + k);
        try (CpuOps ops = new CpuOps(2)) {
            float[] got = c.run(ops);
            int ldb = transB ? c.k() : c.n();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, scale = 0;
                    for (int p = 0; p < k; p++) {
                        double x = c.a()[i * c.lda() + p] * (double) (transB ? c.b()[j * ldb + p] : c.b()[p * ldb + j]);
                        sum += x;
                        scale += Math.abs(x);
                    }
                    double old = c.c()[i * c.ldc() + j];
                    double want = alpha * sum + (beta == 0 ? 0 : beta * old);
                    double bound = 2e-7 * (k + 2) * (Math.abs(alpha) * scale + Math.abs(beta * old)) + 1e-30;
                    assertEquals(want, got[i * c.ldc() + j], bound, "C[" + i + "][" + j + "]");
                }
            }
            // Past the m × n block, C is untouched (the padded rows and columns are never written).
            for (int i = 0; i < m; i++) {
                for (int j = n; j < c.ldc(); j++) assertEquals(c.c()[i * c.ldc() + j], got[i * c.ldc() + j]);
            }
        }
    }

    /** Without the native library's kernels the prepared operand is the plain matrix and the GEMM the usual one. */
    @Test
    void javaPathIsThePlainGemm() {
        Case c = Case.random(true, 37, 53, 29, 0.5f, -0.75f, 3);
        try (CpuOps java = CpuOps.javaCells(1)) {
            float[] got = c.run(java);
            float[] want = c.c().clone();
            try (DeviceBuffer da = java.allocate(c.a().length); DeviceBuffer db = java.allocate(c.b().length);
                 DeviceBuffer dc = java.allocate(want.length)) {
                java.upload(c.a(), da);
                java.upload(c.b(), db);
                java.upload(want, dc);
                java.stepGemm(false, true, 37, 53, 29, 0.5f, da, 0, c.lda(), db, 0, 29, -0.75f, dc, 0, c.ldc());
                java.download(dc, 0, want, 0, want.length);
            }
            assertArrayEquals(want, got);
        }
    }

    @Test
    void stridedOperandIsRefused() {
        try (CpuOps ops = new CpuOps(1); DeviceBuffer b = ops.allocate(100); DeviceBuffer p = ops.allocate(4096)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ops.prepareStepOperand(false, 4, 8, b, 0, 10, p));
            assertTrue(e.getMessage().contains("contiguous"), e.getMessage());
        }
    }
}
