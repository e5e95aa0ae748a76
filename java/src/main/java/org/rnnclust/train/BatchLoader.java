package org.rnnclust.train;

import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.SequenceMask;

/**
 * Copies a batch of sequences, chosen by index, to the device in the time-major layout the model
 * takes ([T_b, B, C], T_b the longest in the batch), and sets the batch's mask. Buffers are
 * allocated once for the largest batch.
 */
final class BatchLoader implements AutoCloseable {
    private final TensorOps ops;
    private final PaddedSequences data;
    private final SequenceMask mask;
    private final float[] host;
    private final DeviceBuffer device;
    private float[] noisyHost;        // input dropout: allocated on first use
    private DeviceBuffer noisyDevice;
    private final float[][] viewHost = new float[2][];      // contrastive views: allocated on first use
    private final DeviceBuffer[] viewDevice = new DeviceBuffer[2];
    private int loaded;               // values of the last batch
    private int loadedSteps;
    private int[] loadedLengths = new int[0];

    BatchLoader(TensorOps ops, PaddedSequences data, int maxBatch) {
        this.ops = ops;
        this.data = data;
        this.mask = new SequenceMask(ops);
        int rows = Math.min(maxBatch, data.n());
        this.host = new float[Math.multiplyExact(Math.multiplyExact(rows, data.maxLength()), data.channels())];
        this.device = ops.allocate(host.length);
    }

    /** Loads sequences {@code index[from..from+count)}; returns the batch's mask (owned by the loader). */
    SequenceMask load(int[] index, int from, int count) {
        int c = data.channels();
        int t = data.maxLength();
        int[] lengths = new int[count];
        int steps = 1;
        for (int b = 0; b < count; b++) {
            lengths[b] = data.lengths()[index[from + b]];
            steps = Math.max(steps, lengths[b]);
        }
        float[] values = data.values();
        for (int b = 0; b < count; b++) {
            int src = index[from + b] * t * c;
            for (int s = 0; s < steps; s++) {
                System.arraycopy(values, src + s * c, host, (s * count + b) * c, c);
            }
        }
        loaded = steps * count * c;
        loadedSteps = steps;
        loadedLengths = lengths;
        ops.upload(host, 0, device, 0, loaded);
        mask.set(lengths, steps);
        return mask;
    }

    /**
     * The last loaded batch with each value set to 0 with probability {@code p} (input dropout of a
     * denoising autoencoder), drawn from {@code rng}; {@link #input} keeps the clean batch.
     */
    DeviceBuffer corrupted(double p, java.util.SplittableRandom rng) {
        if (noisyHost == null) {
            noisyHost = new float[host.length];
            noisyDevice = ops.allocate(host.length);
        }
        for (int i = 0; i < loaded; i++) noisyHost[i] = rng.nextDouble() < p ? 0f : host[i];
        ops.upload(noisyHost, 0, noisyDevice, 0, loaded);
        return noisyDevice;
    }

    /**
     * Contrastive view {@code which} (0 or 1) of the last loaded batch, drawn from {@code rng}
     * ({@link ContrastiveViews}); {@link #input} keeps the clean batch.
     */
    DeviceBuffer view(int which, java.util.SplittableRandom rng) {
        if (viewHost[which] == null) {
            viewHost[which] = new float[host.length];
            viewDevice[which] = ops.allocate(host.length);
        }
        ContrastiveViews.draw(host, loadedSteps, loadedLengths.length, data.channels(), loadedLengths, rng,
                viewHost[which]);
        ops.upload(viewHost[which], 0, viewDevice[which], 0, loaded);
        return viewDevice[which];
    }

    /** Fakes of the last loaded batch ({@link FakeSequences}), drawn from {@code rng}, in the corrupted copy's buffers. */
    DeviceBuffer fakes(java.util.SplittableRandom rng) {
        if (noisyHost == null) {
            noisyHost = new float[host.length];
            noisyDevice = ops.allocate(host.length);
        }
        FakeSequences.draw(host, loadedSteps, loadedLengths.length, data.channels(), loadedLengths, rng, noisyHost);
        ops.upload(noisyHost, 0, noisyDevice, 0, loaded);
        return noisyDevice;
    }

    DeviceBuffer input() {
        return device;
    }

    @Override
    public void close() {
        mask.close();
        device.close();
        if (noisyDevice != null) noisyDevice.close();
        for (DeviceBuffer v : viewDevice) if (v != null) v.close();
    }
}
