package org.rnnclust.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.testing.RandomArrays;

/**
 * Every op split across threads (split thresholds of 1) gives what the default single-threaded
 * path gives: bitwise for the row-parallel pointwise ops, to rounding for GEMMs (the blocking
 * differs). The cell steps of the native library, whole and split, equal those of the Java
 * reference ({@link CpuCells}) bit for bit, at every instruction-set level of the library: all
 * evaluate kernels/cell_math.h's formulas in its order without multiply-add contraction.
 */
class CpuOpsThreadsTest {
    static final int B = 37;
    static final int H = 11;
    static final int LD = 2 * H + 3;
    static final String[] ISA_LEVELS = {"avx512f", "avx2", "scalar"};

    /** Runs the same op sequence on two CpuOps with the same inputs, returning the named outputs. */
    private static List<float[]> run(CpuOps ops, float[][] inputs, BiConsumer<CpuOps, DeviceBuffer[]> op) {
        DeviceBuffer[] bufs = new DeviceBuffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            bufs[i] = ops.allocate(inputs[i].length);
            ops.upload(inputs[i], bufs[i]);
        }
        op.accept(ops, bufs);
        List<float[]> out = new ArrayList<>();
        for (DeviceBuffer b : bufs) {
            out.add(ops.toHost(b));
            b.close();
        }
        return out;
    }

    private static void same(float[][] inputs, double tol, BiConsumer<CpuOps, DeviceBuffer[]> op) {
        try (CpuOps one = CpuOps.javaCells(1); CpuOps split = new CpuOps(3, 1, 1, 1, false, Sgemm.of(false))) {
            List<float[]> a = run(one, inputs, op);
            compare(a, run(split, inputs, op), tol);
            if (NativeCpu.available()) {
                // The native cell steps, whole and split at every row, at each instruction-set level
                // this CPU has, against the Java reference.
                String level = NativeCpu.isa();
                try (CpuOps nativeOne = new CpuOps(1); CpuOps nativeRows = new CpuOps(3, 1, 1, 1, true, Sgemm.of(false))) {
                    for (String isa : ISA_LEVELS) {
                        if (!NativeCpu.useIsa(isa)) continue;
                        compare(a, run(nativeOne, inputs, op), tol);
                        compare(a, run(nativeRows, inputs, op), tol);
                    }
                } finally {
                    NativeCpu.useIsa(level);
                }
            } else {
                System.out.println("native CPU library unavailable (" + NativeCpu.status() + "): native cells not compared");
            }
        }
    }

    private static void compare(List<float[]> a, List<float[]> b, double tol) {
        for (int i = 0; i < a.size(); i++) {
            if (tol == 0) {
                assertArrayEquals(a.get(i), b.get(i), "buffer " + i);
            } else {
                for (int j = 0; j < a.get(i).length; j++) {
                    assertEquals(a.get(i)[j], b.get(i)[j], tol, "buffer " + i + " [" + j + "]");
                }
            }
        }
    }

    private static float[] mask(Random r) {
        float[] m = new float[B + 2];
        for (int i = 0; i < m.length; i++) m[i] = r.nextInt(4) == 0 ? 0f : 1f;
        return m;
    }

    /** Scale 8 drives many pre-activations past the rational tanh's clamp at ±9. */
    @ParameterizedTest
    @ValueSource(floats = {1f, 8f})
    void lstmSteps(float scale) {
        Random r = new Random(1);
        int g = 4 * H;
        float[][] in = {RandomArrays.gaussian(r, 3 + B * g, scale), RandomArrays.gaussian(r, B * g, scale), RandomArrays.gaussian(r, g), RandomArrays.gaussian(r, g), mask(r),
                RandomArrays.gaussian(r, 5 + B * H), RandomArrays.gaussian(r, B * H), new float[B * H], new float[B * H],
                RandomArrays.gaussian(r, B * LD), new float[B * g], RandomArrays.gaussian(r, B * H), RandomArrays.gaussian(r, B * H), new float[B * g]};
        same(in, 0, (ops, b) -> {
            ops.lstmForward(B, H, b[0], 3, b[1], 0, b[2], b[3], b[4], 2, b[5], 5, b[6], 0, b[7], 0, b[8], 0,
                    b[9], H + 1, LD, b[10], 0);
            ops.lstmBackward(B, H, b[10], 0, b[4], 2, b[6], 0, b[8], 0, b[9], 1, LD, b[11], 0, b[12], 0, b[13], 0);
        });
    }

    @ParameterizedTest
    @ValueSource(floats = {1f, 8f})
    void gruSteps(float scale) {
        Random r = new Random(2);
        int g = 3 * H;
        float[][] in = {RandomArrays.gaussian(r, B * g, scale), RandomArrays.gaussian(r, 1 + B * g, scale), RandomArrays.gaussian(r, g), RandomArrays.gaussian(r, g), mask(r),
                RandomArrays.gaussian(r, B * H), new float[B * H], RandomArrays.gaussian(r, B * LD), new float[B * 4 * H],
                RandomArrays.gaussian(r, B * H), new float[B * g], new float[B * g]};
        same(in, 0, (ops, b) -> {
            ops.gruForward(B, H, b[0], 0, b[1], 1, b[2], b[3], b[4], 1, b[5], 0, b[6], 0, b[7], 2, LD, b[8], 0);
            ops.gruBackward(B, H, b[8], 0, b[4], 1, b[5], 0, b[7], 0, LD, b[9], 0, b[10], 0, b[11], 0);
            ops.gruBackward(B, H, b[8], 0, b[4], 0, b[5], 0, null, 0, LD, b[9], 0, b[10], 0, b[11], 0);
        });
    }

    @ParameterizedTest
    @ValueSource(floats = {1f, 8f})
    void rnnSteps(float scale) {
        Random r = new Random(3);
        float[][] in = {RandomArrays.gaussian(r, B * H, scale), RandomArrays.gaussian(r, B * H, scale), RandomArrays.gaussian(r, H), RandomArrays.gaussian(r, H), mask(r),
                RandomArrays.gaussian(r, B * H), new float[B * H], RandomArrays.gaussian(r, B * LD), RandomArrays.gaussian(r, B * H), new float[B * H]};
        same(in, 0, (ops, b) -> {
            ops.rnnTanhForward(B, H, b[0], 0, b[1], 0, b[2], b[3], b[4], 0, b[5], 0, b[6], 0, b[7], H, LD);
            ops.rnnTanhBackward(B, H, b[4], 2, b[6], 0, b[7], 0, LD, b[8], 0, b[9], 0);
        });
    }

    @Test
    void gemmSplitByRowsAndByColumns() {
        Random r = new Random(4);
        // 70×40 (split by rows) and 20×90 (by columns), with transposes, offsets and strides.
        float[][] in = {RandomArrays.gaussian(r, 2 + 70 * 33), RandomArrays.gaussian(r, 40 * 31), RandomArrays.gaussian(r, 70 * 41),
                RandomArrays.gaussian(r, 33 * 21), RandomArrays.gaussian(r, 90 * 33 + 4), RandomArrays.gaussian(r, 20 * 90)};
        same(in, 1e-5, (ops, b) -> {
            ops.gemm(false, true, 70, 40, 31, 0.5f, b[0], 2, 33, b[1], 0, 31, 1f, b[2], 0, 41);
            ops.gemm(true, true, 20, 90, 33, 1f, b[3], 0, 21, b[4], 4, 33, 0f, b[5], 0, 90);
        });
    }

    @Test
    void rowAndColumnOps() {
        Random r = new Random(5);
        float[][] in = {RandomArrays.gaussian(r, 1 + 300 * 50), RandomArrays.gaussian(r, 47), RandomArrays.gaussian(r, 3 + 47), RandomArrays.gaussian(r, 7 * 9 * 5), new float[7 * 9 * 5],
            new float[7 * 9 * 5]};
        same(in, 0, (ops, b) -> {
            ops.addColumnSums(300, 47, b[0], 1, 50, b[2], 3);
            ops.addRowVector(300, 47, b[1], b[0], 1, 50);
            ops.transpose01(7, 9, 5, b[3], 0, b[4], 0);
            ops.transpose01(15, 21, 1, b[3], 0, b[5], 0);
        });
    }
}
