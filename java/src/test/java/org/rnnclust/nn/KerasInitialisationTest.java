package org.rnnclust.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;

/**
 * Keras's initialisers by their definitions: the orthogonal kernel is the Q of the QR decomposition
 * of the Gaussian matrix drawn from the same stream (QᵀG upper triangular with a positive
 * diagonal, QᵀQ = I: that decomposition is unique), Glorot-uniform values lie within and fill
 * ±√(6 / (fanIn + fanOut)), and an LSTM's biases are 0 but the forget gate's input bias.
 */
class KerasInitialisationTest {

    @Test
    void orthogonalIsTheQOfTheGaussianMatrixsQr() {
        int rows = 12;
        int cols = 5;
        float[] q = KerasInitialisation.orthogonal(new SplittableRandom(3), rows, cols);
        SplittableRandom same = new SplittableRandom(3);
        double[][] g = new double[rows][cols];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) g[r][c] = same.nextGaussian();
        }
        for (int a = 0; a < cols; a++) {
            for (int b = 0; b < cols; b++) {
                double qq = 0;
                double qg = 0;
                for (int r = 0; r < rows; r++) {
                    qq += (double) q[r * cols + a] * q[r * cols + b];
                    qg += q[r * cols + a] * g[r][b];
                }
                assertEquals(a == b ? 1 : 0, qq, 1e-6, "QᵀQ[" + a + "][" + b + "]");
                if (a > b) assertEquals(0, qg, 1e-5, "R below the diagonal");
                if (a == b) assertTrue(qg > 0, "R's diagonal is positive");
            }
        }
    }

    @Test
    void glorotUniformFillsItsInterval() {
        float[] v = KerasInitialisation.glorotUniform(new SplittableRandom(1), 20000, 30, 70);
        double limit = Math.sqrt(6.0 / 100);
        double sq = 0;
        for (float x : v) {
            assertTrue(Math.abs(x) <= limit);
            sq += x * x;
        }
        assertEquals(limit * limit / 3, sq / v.length, 0.02 * limit * limit);
    }

    @Test
    void lstmStartsAsKerasLstm() {
        try (CpuOps ops = new CpuOps(1);
             RecurrentStack stack = new RecurrentStack(ops, new RecurrentSpec(CellType.LSTM, 3, 4, 2, true), 1)) {
            KerasInitialisation.lstm(stack, new SplittableRandom(2));
            for (Parameter p : stack.parameters()) {
                float[] v = p.get();
                if (p.name().startsWith("bias_ih")) {
                    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, v, p.name());
                } else if (p.name().startsWith("bias_hh")) {
                    assertArrayEquals(new float[16], v, p.name());
                } else if (p.name().startsWith("weight_hh")) {
                    for (int a = 0; a < 4; a++) {
                        double norm = 0;
                        for (int r = 0; r < 16; r++) norm += (double) v[r * 4 + a] * v[r * 4 + a];
                        assertEquals(1, norm, 1e-6, p.name() + " column " + a);
                    }
                } else {
                    int in = p.shape()[1];
                    double limit = Math.sqrt(6.0 / (in + 16));
                    for (float x : v) assertTrue(Math.abs(x) <= limit, p.name());
                }
            }
        }
    }
}
