package org.rnnclust.nn;

import java.util.SplittableRandom;

/**
 * Keras's default initialisers, for networks reproduced from Keras code: Glorot-uniform kernels,
 * orthogonal recurrent kernels, zero biases but the LSTM's forget gate at 1
 * ({@code unit_forget_bias}). rnnclust's own layers start as PyTorch's do; a reproduction that
 * starts as the original did removes one difference from the comparison.
 */
final class KerasInitialisation {
    private KerasInitialisation() {}

    /**
     * Keras's {@code GlorotUniform}: uniform in ±√(6 / (fanIn + fanOut)). For a convolution Keras
     * counts fanIn = in·taps and fanOut = out·taps; for an LSTM kernel fanIn = in, fanOut = 4H.
     */
    static float[] glorotUniform(SplittableRandom random, int size, long fanIn, long fanOut) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = (float) random.nextDouble(-limit, limit);
        return v;
    }

    /**
     * Keras's {@code Orthogonal} for an LSTM's recurrent kernel, in PyTorch's layout [rows, cols]
     * with rows ≥ cols (weight_hh: [4H, H]): the Q of a Gaussian matrix's QR decomposition, signs
     * chosen so that R's diagonal is positive, i.e. its columns orthonormalised in order
     * (modified Gram–Schmidt in double).
     */
    static float[] orthogonal(SplittableRandom random, int rows, int cols) {
        if (rows < cols) throw new IllegalArgumentException("orthogonal: need rows >= cols, got " + rows + " x " + cols);
        double[][] q = new double[cols][rows];  // column-wise
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) q[c][r] = random.nextGaussian();
        }
        for (int c = 0; c < cols; c++) {
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int r = 0; r < rows; r++) dot += q[p][r] * q[c][r];
                for (int r = 0; r < rows; r++) q[c][r] -= dot * q[p][r];
            }
            double norm = 0;
            for (int r = 0; r < rows; r++) norm += q[c][r] * q[c][r];
            norm = Math.sqrt(norm);
            for (int r = 0; r < rows; r++) q[c][r] /= norm;
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[r * cols + c] = (float) q[c][r];
        }
        return out;
    }

    /** An LSTM bias pair as Keras's one bias: 0, the forget gate's slice [H, 2H) at 1 (in bias_ih; bias_hh 0). */
    static float[] lstmBias(int hidden, boolean inputSide) {
        float[] v = new float[4 * hidden];
        if (inputSide) java.util.Arrays.fill(v, hidden, 2 * hidden, 1f);
        return v;
    }

    /** Re-initialises a convolution as Keras's Conv1D starts: Glorot-uniform kernel, zero bias. */
    static void conv(Conv1d conv, int in, int out, SplittableRandom random) {
        Parameter w = conv.parameter("weight");
        w.set(glorotUniform(random, Math.toIntExact(w.size()), (long) in * conv.taps(), (long) out * conv.taps()));
        conv.parameter("bias").set(new float[Math.toIntExact(conv.parameter("bias").size())]);
    }

    /** Re-initialises a stack of LSTM layers as Keras's LSTM starts. */
    static void lstm(RecurrentStack stack, SplittableRandom random) {
        RecurrentSpec spec = stack.spec();
        int h = spec.hiddenSize();
        for (Parameter p : stack.parameters()) {
            int[] shape = p.shape();
            if (p.name().startsWith("weight_ih")) {
                p.set(glorotUniform(random, Math.toIntExact(p.size()), shape[1], shape[0]));
            } else if (p.name().startsWith("weight_hh")) {
                p.set(orthogonal(random, shape[0], shape[1]));
            } else {
                p.set(lstmBias(h, p.name().startsWith("bias_ih")));
            }
        }
    }
}
