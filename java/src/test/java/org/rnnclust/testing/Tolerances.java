package org.rnnclust.testing;

/**
 * The named tolerances of parity tests, as relative errors ‖got − want‖ / ‖want‖
 * ({@link RelativeError}): one set for the whole project, so that a test says which kind of
 * comparison it makes instead of carrying its own number.
 */
public final class Tolerances {
    private Tolerances() {}

    /** One FP32 operation (GEMM, pointwise, a cell step, a loss) against its reference. */
    public static final double FP32_OP = 1e-5;
    /** A whole training step (forward, backward, the optimizer), or a gradient, against its reference. */
    public static final double TRAINING_STEP = 1e-4;
    /** A GEMM with TF32 tensor cores (10-bit mantissa inputs) against FP32. */
    public static final double TF32 = 5e-3;
}
