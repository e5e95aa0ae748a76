package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

/**
 * The deterministic mode's GEMM against its definition: every element summed over p in order,
 * product rounded then sum, no fused multiply-add ({@link #definition}, written out here as the
 * oracle). The native library, at each instruction-set level, and the Java twin must give exactly
 * those bits, for every layout, edge size, alpha and beta; a double-precision product checks that
 * the definition is a GEMM at all; and splitting C into blocks across threads changes no bit.
 */
class FixedOrderGemmTest {
    /** The instruction-set levels, best first. */
    static final String[] LEVELS = {"avx512f", "avx2", "scalar"};

    @AfterEach
    void restoreLevel() {
        restoreBestLevel();
    }

    /** Pins the best level this CPU has again, after a test pinned others. */
    static void restoreBestLevel() {
        if (NativeCpu.available()) {
            for (String isa : LEVELS) if (NativeCpu.useIsa(isa)) break;
        }
    }

    /** The rule of FixedOrderGemm's documentation, one element at a time. */
    static float[] definition(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda,
                              float[] b, int ldb, float beta, float[] c, int ldc) {
        float[] out = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[p * lda + i] : a[i * lda + p];
                    float y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    float product = x * y;
                    acc = acc + product;
                }
                if (alpha != 1f) acc = alpha * acc;
                float old = c[i * ldc + j];
                out[i * ldc + j] = beta == 0f ? acc : beta == 1f ? old + acc : beta * old + acc;
            }
        }
        return out;
    }

    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        static Case random(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, long seed) {
            Random r = new Random(seed);
            // Leading dimensions past the minimum, as the recurrent layers' strided views have.
            int lda = (transA ? m : k) + 3;
            int ldb = (transB ? k : n) + 2;
            int ldc = n + 5;
            float[] a = fill(r, (transA ? k : m) * lda);
            float[] b = fill(r, (transB ? n : k) * ldb);
            float[] c = fill(r, m * ldc);
            return new Case(transA, transB, m, n, k, alpha, beta, a, lda, b, ldb, c, ldc);
        }

        float[] expected() {
            return definition(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        }

        /** Runs {@code gemm} on off-heap copies, the operands at an offset, and returns C. */
        float[] run(Sgemm gemm) {
            int offset = 7;
            try (FloatPointer pa = copy(a, offset); FloatPointer pb = copy(b, offset); FloatPointer pc = copy(c, offset)) {
                gemm.sgemm(transA, transB, m, n, k, alpha, pa.position(offset), lda, pb.position(offset), ldb, beta,
                        pc.position(offset), ldc);
                float[] out = new float[c.length];
                pc.position(offset).get(out);
                return out;
            }
        }
    }

    /** Gaussian values of scales 2^-3 .. 2^3, so that sums round. */
    static float[] fill(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(7) - 3));
        return x;
    }

    private static FloatPointer copy(float[] x, int offset) {
        FloatPointer p = new FloatPointer(x.length + offset);
        p.position(offset).put(x);
        return p.position(0);
    }

    // Sizes around the native tile (4 rows × 16 columns) and its blocks of 256 terms: whole tiles,
    // edges of both kinds, a single element, k = 0, and k past one block such as the weight
    // gradients' T·B.
    static Stream<Arguments> shapes() {
        String[] cases = {
            "false,false,4,16,8,1,0", "false,true,4,16,8,1,0", "true,false,4,16,8,1,0", "true,true,4,16,8,1,0",
            "false,false,37,53,29,1,1", "false,true,37,53,29,0.5,-0.75", "true,false,37,53,29,1,1",
            "true,true,37,53,29,-2,0.25", "false,false,1,1,1,1,0", "false,true,3,15,5,1,1",
            "true,false,9,33,0,1,0.5", "true,false,64,11,700,1,1", "false,true,130,128,33,1,0",
            "false,false,37,53,600,1,1", "true,true,8,32,513,0.5,-0.75", "true,false,130,40,1000,1,1",
            "false,true,12,48,256,1,0", "true,false,4,16,257,1,0"};
        return Stream.of(cases).map(c -> {
            String[] v = c.split(",");
            return Arguments.of(Boolean.parseBoolean(v[0]), Boolean.parseBoolean(v[1]), Integer.parseInt(v[2]),
                    Integer.parseInt(v[3]), Integer.parseInt(v[4]), Float.parseFloat(v[5]), Float.parseFloat(v[6]));
        });
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void javaTwinGivesTheDefinitionsBits(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta) {
        Case c = Case.random(transA, transB, m, n, k, alpha, beta, 31L * m + n + k);
        assertArrayEquals(c.expected(), c.run(FixedOrderGemm::inJava));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void nativeGivesTheDefinitionsBitsAtEveryLevel(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                                   float beta) {
        assumeTrue(NativeCpu.available(), "native CPU library not loaded (" + NativeCpu.status() + "): skipping");
        Case c = Case.random(transA, transB, m, n, k, alpha, beta, 17L * m + n + 3L * k);
        float[] expected = c.expected();
        int levels = 0;
        for (String isa : LEVELS) {
            if (!NativeCpu.useIsa(isa)) continue;
            assertArrayEquals(expected, c.run(FixedOrderGemm::sgemm), isa);
            levels++;
        }
        assertEquals(true, levels >= 1, "no instruction-set level could be pinned");
    }

    /** The definition is a product: within float rounding of a double-precision one. */
    @Test
    void definitionIsTheProduct() {
        Case c = Case.random(true, false, 23, 19, 300, 0.5f, -0.75f, 5);
        float[] got = c.run(FixedOrderGemm::sgemm);
        for (int i = 0; i < c.m(); i++) {
            for (int j = 0; j < c.n(); j++) {
                double sum = 0, scale = 0;
                for (int p = 0; p < c.k(); p++) {
                    double x = c.a()[p * c.lda() + i] * (double) c.b()[p * c.ldb() + j];
                    sum += x;
                    scale += Math.abs(x);
                }
                double want = 0.5 * sum - 0.75 * c.c()[i * c.ldc() + j];
                assertEquals(want, got[i * c.ldc() + j], 1e-6 * (scale + Math.abs(want)), "C[" + i + "][" + j + "]");
            }
        }
    }

    /** The deterministic ops split C into blocks across threads: the bits do not depend on the split. */
    @Test
    void blocksAcrossThreadsChangeNoBit() {
        Random r = new Random(9);
        int m = 300, n = 140, k = 61;
        float[] a = fill(r, m * k);
        float[] b = fill(r, n * k);
        float[] whole;
        try (CpuOps one = new CpuOps(1, true)) {
            whole = product(one, a, b, m, n, k);
        }
        try (CpuOps split = new CpuOps(3, 1, 1, 1, NativeCpu.available(), Sgemm.of(true))) {
            assertArrayEquals(whole, product(split, a, b, m, n, k));
        }
        float[] c = new float[m * n];
        assertArrayEquals(definition(false, true, m, n, k, 1f, a, k, b, k, 0f, c, n), whole);
    }

    private static float[] product(CpuOps ops, float[] a, float[] b, int m, int n, int k) {
        try (DeviceBuffer da = ops.allocate(a.length); DeviceBuffer db = ops.allocate(b.length);
             DeviceBuffer dc = ops.allocate((long) m * n)) {
            ops.upload(a, da);
            ops.upload(b, db);
            ops.gemm(false, true, m, n, k, 1f, da, 0, k, db, 0, k, 0f, dc, 0, n);
            return ops.toHost(dc);
        }
    }
}
