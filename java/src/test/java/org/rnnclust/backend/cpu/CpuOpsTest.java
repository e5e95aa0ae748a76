package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.NpzFixture;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.testing.RandomArrays;

/** The CPU ops against closed forms: a double-precision GEMM loop, hand-computed losses, PyTorch's Adam. */
class CpuOpsTest {
    private static CpuOps ops;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2);
    }

    @AfterAll
    static void close() {
        ops.close();
    }

    private static DeviceBuffer upload(float[] v) {
        DeviceBuffer b = ops.allocate(v.length);
        ops.upload(v, b);
        return b;
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void gemmMatchesDoubleLoopWithOffsetsAndStrides(boolean ta, boolean tb) {
        Random r = new Random(ta ? (tb ? 1 : 2) : (tb ? 3 : 4));
        int m = 7, n = 5, k = 9, offA = 3, offB = 2, offC = 4;
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + 2, ldb = bCols + 1, ldc = n + 3;
        float[] a = RandomArrays.gaussian(r, offA + aRows * lda);
        float[] b = RandomArrays.gaussian(r, offB + bRows * ldb);
        float[] c = RandomArrays.gaussian(r, offC + m * ldc);
        float alpha = 0.7f, beta = -1.3f;
        double[] expected = new double[c.length];
        for (int i = 0; i < c.length; i++) expected[i] = c[i];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    double bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    s += av * bv;
                }
                int e = offC + i * ldc + j;
                expected[e] = alpha * s + beta * c[e];
            }
        }
        try (DeviceBuffer da = upload(a); DeviceBuffer db = upload(b); DeviceBuffer dc = upload(c)) {
            ops.gemm(ta, tb, m, n, k, alpha, da, offA, lda, db, offB, ldb, beta, dc, offC, ldc);
            float[] got = ops.toHost(dc);
            for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5, "element " + i);
        }
    }

    @Test
    void gemmWithTheSameBufferAsTwoOperands() {
        // C = A·Aᵀ with A and C in one buffer at different offsets.
        float[] v = {1, 2, 3, 4, 5, 6, 0, 0, 0, 0};
        try (DeviceBuffer buf = upload(v)) {
            ops.gemm(false, true, 2, 2, 3, 1f, buf, 0, 3, buf, 0, 3, 0f, buf, 6, 2);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 14, 32, 32, 77}, ops.toHost(buf));
        }
    }

    @Test
    void copyZeroAndTransposeUseElementOffsets() {
        try (DeviceBuffer a = upload(new float[] {1, 2, 3, 4, 5, 6, 7}); DeviceBuffer b = ops.allocate(8)) {
            ops.copy(a, 2, b, 1, 3);
            assertArrayEquals(new float[] {0, 3, 4, 5, 0, 0, 0, 0}, ops.toHost(b));
            ops.zero(a, 1, 2);
            assertArrayEquals(new float[] {1, 0, 0, 4, 5, 6, 7}, ops.toHost(a));
        }
        // [2, 3, 2] -> [3, 2, 2], src at offset 1, dst at offset 2
        float[] src = new float[13];
        for (int i = 0; i < 12; i++) src[1 + i] = i;
        try (DeviceBuffer s = upload(src); DeviceBuffer d = ops.allocate(14)) {
            ops.transpose01(2, 3, 2, s, 1, d, 2);
            assertArrayEquals(new float[] {0, 0, 0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11}, ops.toHost(d));
        }
        // A plain matrix transpose (inner = 1): [5, 3] -> [3, 5], src at offset 2, dst at offset 1.
        float[] m = new float[17];
        for (int i = 0; i < 15; i++) m[2 + i] = i;
        try (DeviceBuffer s = upload(m); DeviceBuffer d = ops.allocate(16)) {
            ops.transpose01(5, 3, 1, s, 2, d, 1);
            assertArrayEquals(new float[] {0, 0, 3, 6, 9, 12, 1, 4, 7, 10, 13, 2, 5, 8, 11, 14}, ops.toHost(d));
        }
    }

    @Test
    void rowVectorColumnSumsAndVectorOps() {
        // 3x2 matrix with row stride 3 at offset 1.
        float[] m = {9, 1, 2, 9, 3, 4, 9, 5, 6};
        try (DeviceBuffer mat = upload(m); DeviceBuffer bias = upload(new float[] {10, 20});
             DeviceBuffer sums = upload(new float[] {0, 100, 200})) {
            ops.addColumnSums(3, 2, mat, 1, 3, sums, 1);
            assertArrayEquals(new float[] {0, 109, 212}, ops.toHost(sums));
            ops.addRowVector(3, 2, bias, mat, 1, 3);
            assertArrayEquals(new float[] {9, 11, 22, 9, 13, 24, 9, 15, 26}, ops.toHost(mat));
        }
        try (DeviceBuffer x = upload(new float[] {1, -2, 3}); DeviceBuffer y = upload(new float[] {1, 1, 1})) {
            assertEquals(14.0, ops.sumSquares(x, 0, 3));
            assertEquals(4.0, ops.sumSquares(x, 1, 1));
            ops.axpy(2, 0.5f, x, 1, y, 0);
            assertArrayEquals(new float[] {0, 2.5f, 1}, ops.toHost(y));
            ops.scale(y, 1, 2, -2f);
            assertArrayEquals(new float[] {0, -5, -2}, ops.toHost(y));
        }
    }

    @Test
    void columnSumsSplitAcrossThreads() {
        int rows = 300, cols = 257;
        Random r = new Random(8);
        float[] m = RandomArrays.gaussian(r, rows * cols);
        double[] expected = new double[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) expected[j] += m[i * cols + j];
        try (DeviceBuffer mat = upload(m); DeviceBuffer sums = ops.allocate(cols)) {
            ops.addColumnSums(rows, cols, mat, 0, cols, sums, 0);
            float[] got = ops.toHost(sums);
            for (int j = 0; j < cols; j++) assertEquals(expected[j], got[j], 1e-4);
        }
    }

    @Test
    void maskedMseMatchesHandComputation() {
        // 3 rows × 2 columns, the middle row masked out.
        float[] pred = {1, 2, 3, 4, 5, 6};
        float[] target = {0, 4, 100, 100, 5, 3};
        float[] mask = {1, 0, 1};
        // squared errors of the valid rows: 1, 4, 0, 9 -> 14 over 4 elements
        try (DeviceBuffer p = upload(pred); DeviceBuffer t = upload(target); DeviceBuffer w = upload(mask);
             DeviceBuffer g = upload(new float[] {7, 7, 7, 7, 7, 7})) {
            assertEquals(3.5, ops.mseLoss(3, 2, p, 0, t, 0, w, 0), 1e-12);
            ops.mseLossBackward(3, 2, p, 0, t, 0, w, 0, 2f, g, 0);
            // 2 · 2(p−t)/4 in valid rows, 0 in the masked row
            assertArrayEquals(new float[] {1, -2, 0, 0, 0, 3}, ops.toHost(g), 1e-7f);
        }
        try (DeviceBuffer p = upload(pred); DeviceBuffer w = upload(new float[] {0, 0, 0}); DeviceBuffer g = ops.allocate(6)) {
            assertEquals(0.0, ops.mseLoss(3, 2, p, 0, p, 0, w, 0));
            ops.mseLossBackward(3, 2, p, 0, p, 0, w, 0, 1f, g, 0);
            assertArrayEquals(new float[6], ops.toHost(g));
        }
    }

    @Test
    void adamMatchesTorchOptimAdam() {
        NpzFixture f = NpzFixture.load("/fixtures/rnn/adam.npz");
        float[] grads = f.get("grads").floats();
        int steps = f.get("grads").shape()[0];
        int n = f.get("p0").shape()[0];
        for (int s = 0; s < 2; s++) {
            double[] h = f.get("s" + s + ".hyper").values();
            try (DeviceBuffer p = upload(f.get("p0").floats()); DeviceBuffer g = ops.allocate(n);
                 DeviceBuffer m = ops.allocate(n); DeviceBuffer v = ops.allocate(n)) {
                for (int t = 1; t <= steps; t++) {
                    ops.upload(grads, (t - 1) * n, g, 0, n);
                    ops.adam(n, p, 0, g, 0, m, 0, v, 0, h[0], h[1], h[2], h[3], h[4], t);
                }
                assertClose("param " + s, f.get("s" + s + ".param").values(), ops.toHost(p), 1e-7);
                assertClose("exp_avg " + s, f.get("s" + s + ".exp_avg").values(), ops.toHost(m), 1e-7);
                assertClose("exp_avg_sq " + s, f.get("s" + s + ".exp_avg_sq").values(), ops.toHost(v), 1e-7);
            }
        }
    }

    private static void assertClose(String what, double[] expected, float[] actual, double tol) {
        double diff = 0, norm = 0;
        for (int i = 0; i < expected.length; i++) {
            diff += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        double rel = Math.sqrt(diff / norm);
        if (rel > tol) throw new AssertionError(what + ": relative error " + rel);
    }

    @Test
    void rejectsOutOfRangeAndForeignBuffers() {
        try (DeviceBuffer a = ops.allocate(6); DeviceBuffer c = ops.allocate(3); CpuOps other = new CpuOps(1);
             DeviceBuffer foreign = other.allocate(6)) {
            assertThrows(IndexOutOfBoundsException.class, () -> ops.gemm(false, false, 2, 2, 3, 1f, a, 0, 3, a, 0, 2, 0f, c, 0, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> ops.copy(a, 4, c, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> ops.copy(foreign, 0, a, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> ops.gemm(false, false, 2, 2, 3, 1f, a, 0, 2, a, 0, 2, 0f, a, 0, 2));
        }
        DeviceBuffer closed = ops.allocate(2);
        closed.close();
        assertThrows(IllegalStateException.class, () -> ops.zero(closed));
    }
}
