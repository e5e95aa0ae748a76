package org.rnnclust;

/** What the GPU may trade of FP32 accuracy for speed. The CPU computes in FP32 whatever is chosen. */
public enum Precision {
    /** FP32 throughout (the default). */
    FP32,
    /**
     * TF32 tensor cores: cuBLAS's matrix products at about 1e-3 relative error, and the k-means
     * distances (whose assignments and distances stay the FP32 kernel's: the points the tensor cores
     * cannot decide are recomputed in FP32).
     */
    TF32,
    /**
     * Tensor cores with each operand split into two TF32 parts (3xTF32, about FP32 accuracy) for the
     * k-means distances only, so that fewer points need the FP32 recomputation; cuBLAS stays FP32.
     */
    TF32X3;

    /** Whether cuBLAS runs in its TF32 tensor-core mode. */
    public boolean cublasTf32() {
        return this == TF32;
    }

    /** Whether the k-means distances go through the tensor-core kernel. */
    public boolean tensorCoreKMeans() {
        return this != FP32;
    }
}
