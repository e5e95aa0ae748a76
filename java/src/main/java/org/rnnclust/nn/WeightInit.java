package org.rnnclust.nn;

/** Whose default initialisers a network starts from. */
public enum WeightInit {
    /** PyTorch's (uniform in ±1/√fan-in, biases alike): rnnclust's own layers. */
    PYTORCH,
    /**
     * Keras's ({@link KerasInitialisation}: Glorot-uniform kernels, orthogonal recurrent kernels,
     * zero biases but an LSTM's forget gate at 1), for networks reproduced from Keras code.
     */
    KERAS
}
