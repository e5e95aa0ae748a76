package org.rnnclust.train;

import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.SequenceMask;

/**
 * Copies a batch of sequences, chosen by index, to the device in the time-major layout the model
 * takes ([T_b, B, C], T_b the longest in the batch), and sets the batch's mask. Buffers are
 * allocated once for the largest batch.
 *
 * <p>A loader made for a training loop may instead keep the whole (padded, normalised) set on the
 * device, uploaded once, where the backend has room for it ({@link TensorOps#residentDataBytes}):
 * a batch is then gathered there by index ({@link TensorOps#gatherSequences}), the same floats in
 * the same places, and only its indices and mask go up. The host copy of a batch is still made
 * where a noisy variant needs it (input dropout, contrastive views, fakes).
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
    /** The whole set on the device, [n, T, C] as {@code data.values()}; null when batches are uploaded. */
    private final DeviceBuffer resident;
    /** With a resident set: the last batch's indices, and whether {@link #host} holds that batch yet. */
    private int[] loadedIndex = new int[0];
    private boolean hostFilled;

    /** A loader that uploads every batch (embedding passes, which read each sequence once). */
    BatchLoader(TensorOps ops, PaddedSequences data, int maxBatch) {
        this(ops, data, maxBatch, false);
    }

    /**
     * @param mayKeepResident keep the whole set on the device where it fits in what the backend
     *                        offers ({@link TensorOps#residentDataBytes}): for a training loop,
     *                        which reads every sequence once an epoch
     */
    BatchLoader(TensorOps ops, PaddedSequences data, int maxBatch, boolean mayKeepResident) {
        this.ops = ops;
        this.data = data;
        int rows = Math.min(maxBatch, data.n());
        this.host = new float[Math.multiplyExact(Math.multiplyExact(rows, data.maxLength()), data.channels())];
        long bytes = (long) Float.BYTES * data.values().length;
        boolean keep = mayKeepResident && data.values().length > 0 && bytes <= ops.residentDataBytes();
        SequenceMask m = new SequenceMask(ops);
        DeviceBuffer d = null;
        DeviceBuffer r = null;
        try {
            d = ops.allocate(host.length);
            if (keep) {
                r = ops.allocate(data.values().length);
                ops.upload(data.values(), r);
            }
        } catch (RuntimeException e) {
            m.close();
            if (d != null) d.close();
            if (r != null) r.close();
            throw e;
        }
        this.mask = m;
        this.device = d;
        this.resident = r;
    }

    /** Whether the set is kept on the device and batches are gathered there (tests). */
    boolean resident() {
        return resident != null;
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
        loaded = steps * count * c;
        loadedSteps = steps;
        loadedLengths = lengths;
        if (resident != null) {
            ops.gatherSequences(resident, t, c, index, from, count, steps, device, 0);
            loadedIndex = java.util.Arrays.copyOfRange(index, from, from + count);
            hostFilled = false;
        } else {
            fillHost(index, from, count, steps);
            ops.upload(host, 0, device, 0, loaded);
        }
        mask.set(lengths, steps);
        return mask;
    }

    /** The batch, time-major, into {@link #host}: the copy that is uploaded, or that the device gathers. */
    private void fillHost(int[] index, int from, int count, int steps) {
        int c = data.channels();
        int t = data.maxLength();
        float[] values = data.values();
        for (int b = 0; b < count; b++) {
            int src = index[from + b] * t * c;
            for (int s = 0; s < steps; s++) {
                System.arraycopy(values, src + s * c, host, (s * count + b) * c, c);
            }
        }
        hostFilled = true;
    }

    /** The last batch on the host, made now where the device gathered it. */
    private float[] hostBatch() {
        if (!hostFilled) fillHost(loadedIndex, 0, loadedIndex.length, loadedSteps);
        return host;
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
        float[] clean = hostBatch();
        for (int i = 0; i < loaded; i++) noisyHost[i] = rng.nextDouble() < p ? 0f : clean[i];
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
        ContrastiveViews.draw(hostBatch(), loadedSteps, loadedLengths.length, data.channels(), loadedLengths, rng,
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
        FakeSequences.draw(hostBatch(), loadedSteps, loadedLengths.length, data.channels(), loadedLengths, rng, noisyHost);
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
        if (resident != null) resident.close();
        if (noisyDevice != null) noisyDevice.close();
        for (DeviceBuffer v : viewDevice) if (v != null) v.close();
    }
}
