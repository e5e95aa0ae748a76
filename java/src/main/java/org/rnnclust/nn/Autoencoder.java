package org.rnnclust.nn;

import java.util.Map;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.DeviceScalars;

/**
 * What pretraining needs of an autoencoder whose embedding gets clustered: the embedding of a
 * time-major batch, the masked reconstruction loss and its gradient. Implemented by the
 * sequence-to-vector {@link SequenceAutoencoder} (rnnclust's own) and by DTC's
 * {@link TemporalAutoencoder}.
 */
public interface Autoencoder extends Module {
    /** Every parameter under its prefixed name, in a fixed order. */
    Map<String, Parameter> namedParameters();

    /** Numbers its parameters hold. */
    default long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.size();
        return n;
    }

    /** Numbers in one embedding. */
    int embeddingSize();

    /**
     * The embeddings [B, embeddingSize] of a time-major batch x [T, B, C]. The returned buffer
     * belongs to the model and is overwritten by the next call.
     */
    DeviceBuffer embed(DeviceBuffer x, SequenceMask mask);

    /** The embeddings of the last {@link #embed} or {@link #forward} (the model's buffer). */
    DeviceBuffer embedding();

    /**
     * Forward from {@code x} with the reconstruction scored against {@code target} (same layout;
     * a denoising step passes a corrupted x); returns the masked MSE and keeps what
     * {@link #backward} needs.
     */
    double forward(DeviceBuffer x, DeviceBuffer target, SequenceMask mask);

    /**
     * {@link #forward(DeviceBuffer, DeviceBuffer, SequenceMask)} with the masked MSE left on the
     * device, in {@code loss[slot]}, instead of returned: the same value, without waiting for the
     * device.
     */
    void forward(DeviceBuffer x, DeviceBuffer target, SequenceMask mask, DeviceScalars loss, int slot);

    default double forward(DeviceBuffer x, SequenceMask mask) {
        return forward(x, x, mask);
    }

    /**
     * Adds the gradient of reconstructionWeight · (the last forward's loss) + ⟨dEmbedding, z⟩ to the
     * parameters' gradients ({@code dEmbedding} [B, embeddingSize], or null).
     */
    void backward(float reconstructionWeight, DeviceBuffer dEmbedding);

    /** Adds the gradient of the last forward's loss to every parameter's gradient. */
    default void backward() {
        backward(1f, null);
    }
}
