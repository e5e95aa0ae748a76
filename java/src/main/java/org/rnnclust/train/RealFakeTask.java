package org.rnnclust.train;

import java.util.List;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.nn.Linear;
import org.rnnclust.nn.Parameter;

/**
 * DTCR's auxiliary task (Ma et al., NeurIPS 2019): a classifier on the embedding tells each real
 * series from its fake ({@link FakeSequences}); its cross-entropy, times a weight, is added to the
 * pretraining loss and its gradient enters the encoder at the embedding. DTCR's classifier has a
 * hidden layer; this one is linear (D → 2 logits), so the task asks the embedding itself to carry
 * the order of the steps. Its parameters train with the network's (one Adam, one checkpoint) and
 * are dropped after pretraining: the model file holds the autoencoder alone.
 *
 * <p>The loss is the mean over the batch's 2B series (B real, B fake) of
 * logsumexp(logits) − logit[class], real = 1, fake = 0 (PyTorch's {@code cross_entropy}); it is
 * computed on the host from the [B, 2] logits of each half.
 */
final class RealFakeTask implements AutoCloseable {
    static final String PREFIX = "real_fake.";

    private final TensorOps ops;
    private final Linear head;
    private final double weight;
    private final DeviceBuffer logits;
    private final DeviceBuffer dLogits;
    private final DeviceBuffer dz;
    private final float[] hostLogits;
    private final float[] hostGradient;

    RealFakeTask(TensorOps ops, int embeddingSize, int maxBatch, double weight, long seed) {
        this.ops = ops;
        this.weight = weight;
        this.head = new Linear(ops, embeddingSize, 2, seed);
        this.logits = ops.allocate(2L * maxBatch);
        this.dLogits = ops.allocate(2L * maxBatch);
        this.dz = ops.allocate((long) maxBatch * embeddingSize);
        this.hostLogits = new float[2 * maxBatch];
        this.hostGradient = new float[2 * maxBatch];
    }

    /** The head's parameters, named as the checkpoint saves them. */
    List<Parameter> parameters() {
        return head.parameters();
    }

    void zeroGrad() {
        head.zeroGrad();
    }

    /**
     * This half's share of the weighted loss for the embeddings {@code z} [count, D] of
     * {@code count} real (or fake) series out of a batch of {@code count} pairs; adds the head's
     * gradients and returns, in {@link #embeddingGradient}, the gradient for z.
     */
    double lossAndBackward(DeviceBuffer z, int count, boolean real) {
        head.forward(count, z, 0, logits, 0);
        ops.download(logits, 0, hostLogits, 0, 2 * count);
        int target = real ? 1 : 0;
        double loss = 0;
        double scale = weight / (2.0 * count);
        for (int i = 0; i < count; i++) {
            double a = hostLogits[2 * i];
            double b = hostLogits[2 * i + 1];
            double max = Math.max(a, b);
            double lse = max + Math.log(Math.exp(a - max) + Math.exp(b - max));
            loss += lse - (target == 1 ? b : a);
            double p1 = Math.exp(b - lse);
            hostGradient[2 * i] = (float) (scale * ((1 - p1) - (target == 0 ? 1 : 0)));
            hostGradient[2 * i + 1] = (float) (scale * (p1 - (target == 1 ? 1 : 0)));
        }
        ops.upload(hostGradient, 0, dLogits, 0, 2 * count);
        head.backward(count, z, 0, dLogits, 0, dz, 0);
        return scale * loss;
    }

    /** The gradient for the embeddings of the last {@link #lossAndBackward}. */
    DeviceBuffer embeddingGradient() {
        return dz;
    }

    @Override
    public void close() {
        head.close();
        logits.close();
        dLogits.close();
        dz.close();
    }
}
