package org.rnnclust.nn;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.TensorOps;

/**
 * The temporal autoencoder of Deep Temporal Clustering (Madiraju et al., 2018), as Lafabregue et
 * al. ran it for their "biLSTM-AE" (their {@code bilstm_ae} network), whose embedding keeps every
 * pooled step instead of summarising the series in one state:
 *
 * <pre>
 *   x [L, B, C] ──conv (F filters, K taps, "same")──▶ leaky ReLU ──max pool (P windows)──▶ [P, B, F]
 *   ──bidirectional LSTM × layers, every step──▶ [P, B, 2H] ──flatten──▶ z [B, P·2H]  (the embedding)
 *   z ──linear resampling of its P·2H numbers to L + K − 1──▶ [L + K − 1, B, 1]
 *   ──conv (C filters, K taps, "valid")──▶ x̂ [L, B, C];   loss = MSE(x̂, x) over the valid steps
 * </pre>
 *
 * The decoder is theirs too: it reads the flattened embedding as one signal and resamples it
 * linearly (TensorFlow's bilinear {@code resize}, PyTorch's {@code interpolate(mode="linear")},
 * half-pixel centres, no antialiasing) to L + K − 1 values, a fixed matrix applied by a matrix
 * product. Every series has L steps: the embedding's size depends on L, so shorter ones are read
 * zero-padded, as raw k-means reads them. Batches are time-major like {@link SequenceAutoencoder}'s.
 * Parameters: {@code conv.weight} [K, F, C] (tap-major, see {@link Conv1d}), {@code conv.bias},
 * {@code encoder.*} (PyTorch's LSTM names), {@code deconv.weight} [K, C, 1], {@code deconv.bias}.
 */
public final class TemporalAutoencoder implements Autoencoder {
    private final TensorOps ops;
    private final TemporalAutoencoderSpec spec;
    private final Conv1d conv;
    private final RecurrentStack encoder;
    private final Conv1d deconv;
    private final DeviceBuffer resampling;  // [L + K − 1, P·2H]
    private final Map<String, Parameter> named;
    private final List<Parameter> parameters;
    private final SequenceMask pooledMask;

    private final GrowableBuffer padded;
    private final GrowableBuffer convOut;
    private final GrowableBuffer pooled;
    private final GrowableBuffer encoded;
    private final GrowableBuffer z;
    private final GrowableBuffer upsampled;
    private final GrowableBuffer upsampledTimeMajor;
    private final GrowableBuffer reconstruction;
    private final GrowableBuffer dReconstruction;
    private final GrowableBuffer dUpsampledTimeMajor;
    private final GrowableBuffer dUpsampled;
    private final GrowableBuffer dz;
    private final GrowableBuffer dEncoded;
    private final GrowableBuffer dPooled;
    private final GrowableBuffer dConvOut;
    private SequenceMask lastMask;
    private DeviceBuffer lastTarget;
    private boolean decoded;

    /** Parameters drawn as PyTorch initialises them, from seeds derived from {@code seed}. */
    public TemporalAutoencoder(TensorOps ops, TemporalAutoencoderSpec spec, long seed) {
        this(ops, spec, seed, WeightInit.PYTORCH);
    }

    /** Parameters drawn as {@code init}'s framework initialises them, from seeds derived from {@code seed}. */
    public TemporalAutoencoder(TensorOps ops, TemporalAutoencoderSpec spec, long seed, WeightInit init) {
        this.ops = ops;
        this.spec = spec;
        SplittableRandom seeds = new SplittableRandom(seed);
        this.conv = new Conv1d(ops, spec.channels(), spec.filters(), spec.taps(), seeds.nextLong());
        this.encoder = new RecurrentStack(ops, spec.recurrent(), seeds.nextLong());
        this.deconv = new Conv1d(ops, 1, spec.channels(), spec.taps(), seeds.nextLong());
        if (init == WeightInit.KERAS) {
            SplittableRandom keras = new SplittableRandom(seeds.nextLong());
            KerasInitialisation.conv(conv, spec.channels(), spec.filters(), keras);
            KerasInitialisation.lstm(encoder, keras);
            KerasInitialisation.conv(deconv, 1, spec.channels(), keras);
        }
        this.resampling = ops.allocate((long) spec.upsampledSteps() * spec.embeddingSize());
        ops.upload(linearResampling(spec.embeddingSize(), spec.upsampledSteps()), resampling);
        Map<String, Parameter> m = new LinkedHashMap<>();
        for (Parameter p : conv.parameters()) m.put("conv." + p.name(), p);
        for (Parameter p : encoder.parameters()) m.put("encoder." + p.name(), p);
        for (Parameter p : deconv.parameters()) m.put("deconv." + p.name(), p);
        this.named = Collections.unmodifiableMap(m);
        this.parameters = List.copyOf(m.values());
        this.pooledMask = new SequenceMask(ops);
        this.padded = new GrowableBuffer(ops);
        this.convOut = new GrowableBuffer(ops);
        this.pooled = new GrowableBuffer(ops);
        this.encoded = new GrowableBuffer(ops);
        this.z = new GrowableBuffer(ops);
        this.upsampled = new GrowableBuffer(ops);
        this.upsampledTimeMajor = new GrowableBuffer(ops);
        this.reconstruction = new GrowableBuffer(ops);
        this.dReconstruction = new GrowableBuffer(ops);
        this.dUpsampledTimeMajor = new GrowableBuffer(ops);
        this.dUpsampled = new GrowableBuffer(ops);
        this.dz = new GrowableBuffer(ops);
        this.dEncoded = new GrowableBuffer(ops);
        this.dPooled = new GrowableBuffer(ops);
        this.dConvOut = new GrowableBuffer(ops);
    }

    /**
     * The [to, from] matrix of linear resampling with half-pixel centres: output u reads the input
     * at s = (u + ½)·from/to − ½, clamped below at 0, between its neighbours ⌊s⌋ and ⌊s⌋ + 1 (the
     * last input for both at the end).
     */
    static float[] linearResampling(int from, int to) {
        float[] r = new float[Math.multiplyExact(to, from)];
        double scale = (double) from / to;
        for (int u = 0; u < to; u++) {
            double s = Math.max(0, (u + 0.5) * scale - 0.5);
            int i0 = Math.min((int) s, from - 1);
            int i1 = Math.min(i0 + 1, from - 1);
            double w1 = s - i0;
            r[u * from + i0] += (float) (1 - w1);
            r[u * from + i1] += (float) w1;
        }
        return r;
    }

    public TemporalAutoencoderSpec spec() {
        return spec;
    }

    @Override
    public Map<String, Parameter> namedParameters() {
        return named;
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public int embeddingSize() {
        return spec.embeddingSize();
    }

    @Override
    public DeviceBuffer embed(DeviceBuffer x, SequenceMask mask) {
        if (mask.steps() != spec.steps()) {
            throw new IllegalArgumentException("the temporal autoencoder reads series of " + spec.steps()
                    + " steps, got a batch of " + mask.steps());
        }
        int batch = mask.batch();
        int c = spec.channels();
        int steps = spec.steps();
        long stepRows = (long) batch * c;
        DeviceBuffer xp = padded.ensure((long) (steps + spec.taps() - 1) * stepRows);
        ops.zero(xp, 0, (long) (steps + spec.taps() - 1) * stepRows);
        ops.copy(x, 0, xp, spec.padBefore() * stepRows, steps * stepRows);
        DeviceBuffer h = convOut.ensure((long) steps * batch * spec.filters());
        conv.forward(steps, batch, xp, 0, h, 0);
        int p = spec.pooledSteps();
        int rows = Math.multiplyExact(batch, spec.filters());
        DeviceBuffer pool = pooled.ensure((long) p * rows);
        ops.maxPoolLeakyRelu(steps, p, rows, spec.pool(), spec.stride(), spec.slope(), h, 0, pool, 0);
        if (pooledMask.batch() != batch || pooledMask.steps() != p) {
            int[] lengths = new int[batch];
            Arrays.fill(lengths, p);
            pooledMask.set(lengths, p);
        }
        int width = 2 * spec.hidden();
        DeviceBuffer out = encoded.ensure((long) p * batch * width);
        encoder.forwardTimeMajor(pool, pooledMask, null, null, out, null, null);
        DeviceBuffer emb = z.ensure((long) batch * spec.embeddingSize());
        ops.transpose01(p, batch, width, out, 0, emb, 0);  // [P, B, 2H] to [B, P·2H]
        lastMask = mask;
        decoded = false;
        return emb;
    }

    @Override
    public DeviceBuffer embedding() {
        return z.ensure(0);
    }

    @Override
    public double forward(DeviceBuffer x, DeviceBuffer target, SequenceMask mask) {
        int rows = decode(x, target, mask);
        return ops.mseLoss(rows, spec.channels(), reconstruction.ensure(0), 0, target, 0, mask.timeMajor(), 0);
    }

    @Override
    public void forward(DeviceBuffer x, DeviceBuffer target, SequenceMask mask, DeviceScalars loss, int slot) {
        int rows = decode(x, target, mask);
        ops.mseLoss(rows, spec.channels(), reconstruction.ensure(0), 0, target, 0, mask.timeMajor(), 0, loss, slot);
    }

    /** Forward up to the reconstruction, kept for backward with its target; returns its rows (L·B). */
    private int decode(DeviceBuffer x, DeviceBuffer target, SequenceMask mask) {
        DeviceBuffer emb = embed(x, mask);
        int batch = mask.batch();
        int d = spec.embeddingSize();
        int u = spec.upsampledSteps();
        DeviceBuffer up = upsampled.ensure((long) batch * u);
        ops.gemm(false, true, batch, u, d, 1f, emb, 0, d, resampling, 0, d, 0f, up, 0, u);
        DeviceBuffer upT = upsampledTimeMajor.ensure((long) u * batch);
        ops.transpose01(batch, u, 1, up, 0, upT, 0);
        int steps = spec.steps();
        DeviceBuffer rec = reconstruction.ensure((long) steps * batch * spec.channels());
        deconv.forward(steps, batch, upT, 0, rec, 0);
        decoded = true;
        lastTarget = target;
        return steps * batch;
    }

    /** The reconstruction [L, B, C] of the last forward (owned by the model). */
    public DeviceBuffer reconstruction() {
        return reconstruction.ensure(0);
    }

    @Override
    public void backward(float reconstructionWeight, DeviceBuffer dEmbedding) {
        if (lastMask == null) throw new IllegalStateException("backward before forward");
        if (reconstructionWeight != 0 && !decoded) {
            throw new IllegalStateException("a reconstruction gradient needs forward(), not embed()");
        }
        int batch = lastMask.batch();
        int steps = spec.steps();
        int d = spec.embeddingSize();
        int u = spec.upsampledSteps();
        long bd = (long) batch * d;
        DeviceBuffer dZ = dz.ensure(bd);
        ops.zero(dZ, 0, bd);
        if (reconstructionWeight != 0) {
            int rows = steps * batch;
            DeviceBuffer dRec = dReconstruction.ensure((long) rows * spec.channels());
            ops.mseLossBackward(rows, spec.channels(), reconstruction.ensure(0), 0, lastTarget, 0, lastMask.timeMajor(), 0,
                    reconstructionWeight, dRec, 0);
            DeviceBuffer dUpT = dUpsampledTimeMajor.ensure((long) u * batch);
            deconv.backward(steps, batch, upsampledTimeMajor.ensure(0), 0, dRec, 0, dUpT, 0);
            DeviceBuffer dUp = dUpsampled.ensure((long) batch * u);
            ops.transpose01(u, batch, 1, dUpT, 0, dUp, 0);
            ops.gemm(false, false, batch, d, u, 1f, dUp, 0, u, resampling, 0, d, 0f, dZ, 0, d);
        }
        if (dEmbedding != null) ops.axpy(bd, 1f, dEmbedding, 0, dZ, 0);
        int p = spec.pooledSteps();
        int width = 2 * spec.hidden();
        DeviceBuffer dOut = dEncoded.ensure((long) p * batch * width);
        ops.transpose01(batch, p, width, dZ, 0, dOut, 0);
        int rows = Math.multiplyExact(batch, spec.filters());
        DeviceBuffer dPool = dPooled.ensure((long) p * rows);
        encoder.backwardTimeMajor(dOut, null, null, dPool, null, null);
        DeviceBuffer dH = dConvOut.ensure((long) steps * rows);
        ops.maxPoolLeakyReluBackward(steps, p, rows, spec.pool(), spec.stride(), spec.slope(), convOut.ensure(0), 0,
                dPool, 0, dH, 0);
        conv.backward(steps, batch, padded.ensure(0), 0, dH, 0, null, 0);
    }

    @Override
    public void close() {
        conv.close();
        encoder.close();
        deconv.close();
        resampling.close();
        pooledMask.close();
        for (GrowableBuffer b : new GrowableBuffer[] {padded, convOut, pooled, encoded, z, upsampled, upsampledTimeMajor,
                reconstruction, dReconstruction, dUpsampledTimeMajor, dUpsampled, dz, dEncoded, dPooled, dConvOut}) {
            b.close();
        }
    }
}
