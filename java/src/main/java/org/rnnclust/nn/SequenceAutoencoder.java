package org.rnnclust.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.DeviceScalars;
import org.rnnclust.backend.TensorOps;

/**
 * A recurrent sequence autoencoder whose bottleneck is the embedding that gets clustered.
 *
 * <pre>
 *   x [T, B, C] ──encoder (RNN/LSTM/GRU, L layers, optionally bidirectional)──▶ h_n of the last layer
 *   [B, H·dirs] ──latent (Linear)──▶ z [B, D]                                    (the embedding)
 *   z repeated at every step [T, B, D] ──decoder (same cell, L layers, forward)──▶ [T, B, H]
 *   ──output (Linear)──▶ x̂ [T, B, C];   loss = MSE(x̂, x) over the valid steps only
 * </pre>
 *
 * The decoder sees only z (repeated), never the input, so everything it reconstructs must pass
 * through the embedding. Batches are time-major ([T, B, ·], each step's rows contiguous), the
 * layout the recurrent layers use inside. Parameter names are prefixed by module:
 * {@code encoder.weight_ih_l0}, {@code latent.weight}, {@code decoder.weight_ih_l0},
 * {@code output.bias}, ... (the recurrent ones in PyTorch's state_dict naming).
 */
public final class SequenceAutoencoder implements Autoencoder {
    private final TensorOps ops;
    private final AutoencoderSpec spec;
    private final RecurrentStack encoder;
    private final Linear latent;
    private final RecurrentStack decoder;
    private final Linear output;
    private final Map<String, Parameter> named;
    private final List<Parameter> parameters;

    // Activations of the last forward, kept for backward; reused across batches.
    private final GrowableBuffer summary;
    private final GrowableBuffer z;
    private final GrowableBuffer decoderOut;
    private final GrowableBuffer reconstruction;
    private final GrowableBuffer dReconstruction;
    private final GrowableBuffer dDecoderOut;
    private final GrowableBuffer dz;
    private final GrowableBuffer dSummary;
    private final GrowableBuffer dHN;
    private final GrowableBuffer encoderHN;
    private DeviceBuffer lastInput;
    private DeviceBuffer lastTarget;  // what the last forward's reconstruction was scored against
    private SequenceMask lastMask;
    private boolean decoded;

    /** Parameters drawn as PyTorch initialises them, from seeds derived from {@code seed}. */
    public SequenceAutoencoder(TensorOps ops, AutoencoderSpec spec, long seed) {
        this.ops = ops;
        this.spec = spec;
        java.util.SplittableRandom seeds = new java.util.SplittableRandom(seed);
        this.encoder = new RecurrentStack(ops, spec.encoder(), seeds.nextLong());
        this.latent = new Linear(ops, spec.summarySize(), spec.latent(), seeds.nextLong());
        this.decoder = new RecurrentStack(ops, spec.decoder(), seeds.nextLong());
        this.output = new Linear(ops, spec.hidden(), spec.channels(), seeds.nextLong());
        Map<String, Parameter> m = new LinkedHashMap<>();
        addAll(m, "encoder.", encoder);
        addAll(m, "latent.", latent);
        addAll(m, "decoder.", decoder);
        addAll(m, "output.", output);
        this.named = Collections.unmodifiableMap(m);
        this.parameters = List.copyOf(m.values());
        this.summary = new GrowableBuffer(ops);
        this.z = new GrowableBuffer(ops);
        this.decoderOut = new GrowableBuffer(ops);
        this.reconstruction = new GrowableBuffer(ops);
        this.dReconstruction = new GrowableBuffer(ops);
        this.dDecoderOut = new GrowableBuffer(ops);
        this.dz = new GrowableBuffer(ops);
        this.dSummary = new GrowableBuffer(ops);
        this.dHN = new GrowableBuffer(ops);
        this.encoderHN = new GrowableBuffer(ops);
    }

    private static void addAll(Map<String, Parameter> m, String prefix, Module module) {
        for (Parameter p : module.parameters()) m.put(prefix + p.name(), p);
    }

    public AutoencoderSpec spec() {
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
    public Parameter parameter(String name) {
        Parameter p = named.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter '" + name + "'; the model has " + named.keySet());
        return p;
    }

    @Override
    public int embeddingSize() {
        return spec.latent();
    }

    /**
     * The embeddings z [B, D] of a time-major batch x [T, B, C]. The returned buffer belongs to the
     * model and is overwritten by the next call.
     */
    @Override
    public DeviceBuffer embed(DeviceBuffer x, SequenceMask mask) {
        int batch = mask.batch();
        int dirs = spec.encoder().directions();
        int h = spec.hidden();
        long bh = (long) batch * h;
        DeviceBuffer states = encoderHN.ensure(encoder.stateSize(batch));
        encoder.forwardTimeMajor(x, mask, null, null, null, states, null);
        // The last layer's final states are [dirs, B, H] at the end of h_n; z reads them as [B, dirs·H].
        long last = (long) (spec.layers() - 1) * dirs * bh;
        DeviceBuffer s = summary.ensure(bh * dirs);
        ops.transpose01(dirs, batch, h, states, last, s, 0);
        DeviceBuffer out = z.ensure((long) batch * spec.latent());
        latent.forward(batch, s, 0, out, 0);
        lastInput = x;
        lastMask = mask;
        decoded = false;
        return out;
    }

    @Override
    public DeviceBuffer embedding() {
        return z.ensure(0);
    }

    /** The encoder and latent parameters: everything that shapes the embedding (not the decoder). */
    public List<Parameter> encoderParameters() {
        List<Parameter> out = new java.util.ArrayList<>();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            if (e.getKey().startsWith("encoder.") || e.getKey().startsWith("latent.")) out.add(e.getValue());
        }
        return out;
    }

    /**
     * Forward from {@code x} with the reconstruction scored against {@code target} (same layout):
     * a denoising autoencoder's step, x being the corrupted input and target the clean one.
     */
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

    /** Forward up to the reconstruction, kept for backward with its target; returns its rows (T·B). */
    private int decode(DeviceBuffer x, DeviceBuffer target, SequenceMask mask) {
        int batch = mask.batch();
        int steps = mask.steps();
        DeviceBuffer emb = embed(x, mask);
        long rows = (long) steps * batch;
        DeviceBuffer dec = decoderOut.ensure(rows * spec.hidden());
        // z at every step: copied T times, or projected once and read at every step where the backend says so.
        decoder.forwardRepeated(emb, mask, dec);
        DeviceBuffer rec = reconstruction.ensure(rows * spec.channels());
        output.forward(Math.toIntExact(rows), dec, 0, rec, 0);
        decoded = true;
        lastTarget = target;
        return Math.toIntExact(rows);
    }

    /** The reconstruction [T, B, C] of the last forward (owned by the model). */
    public DeviceBuffer reconstruction() {
        return reconstruction.ensure(0);
    }

    /**
     * Adds the gradient of reconstructionWeight · (the last forward's loss) + ⟨dEmbedding, z⟩ to the
     * parameters' gradients: {@code dEmbedding} [B, D] is the gradient of a loss on the embedding
     * (DEC's clustering loss), or null. With weight 0 the decoder is skipped, and the last call may
     * then be {@link #embed} instead of {@link #forward}.
     */
    @Override
    public void backward(float reconstructionWeight, DeviceBuffer dEmbedding) {
        if (lastMask == null) throw new IllegalStateException("backward before forward");
        if (reconstructionWeight != 0 && !decoded) {
            throw new IllegalStateException("a reconstruction gradient needs forward(), not embed()");
        }
        SequenceMask mask = lastMask;
        int batch = mask.batch();
        int steps = mask.steps();
        int rows = Math.multiplyExact(steps, batch);
        int dirs = spec.encoder().directions();
        int h = spec.hidden();
        long bh = (long) batch * h;
        long bd = (long) batch * spec.latent();

        DeviceBuffer dZ = dz.ensure(bd);
        ops.zero(dZ, 0, bd);
        if (reconstructionWeight != 0) {
            DeviceBuffer dRec = dReconstruction.ensure((long) rows * spec.channels());
            ops.mseLossBackward(rows, spec.channels(), reconstruction.ensure(0), 0, lastTarget, 0, mask.timeMajor(), 0,
                    reconstructionWeight, dRec, 0);
            DeviceBuffer dDec = dDecoderOut.ensure((long) rows * h);
            output.backward(rows, decoderOut.ensure(0), 0, dRec, 0, dDec, 0);
            // z is the decoder's input at every step: its gradient is the sum over the steps.
            decoder.backwardRepeated(dDec, dZ);
        }
        if (dEmbedding != null) ops.axpy(bd, 1f, dEmbedding, 0, dZ, 0);
        DeviceBuffer dS = dSummary.ensure(bh * dirs);
        latent.backward(batch, summary.ensure(0), 0, dZ, 0, dS, 0);
        DeviceBuffer dStates = dHN.ensure(encoder.stateSize(batch));
        long last = (long) (spec.layers() - 1) * dirs * bh;
        ops.zero(dStates, 0, encoder.stateSize(batch));
        ops.transpose01(batch, dirs, h, dS, 0, dStates, last);
        encoder.backwardTimeMajor(null, dStates, null, null, null, null);
    }

    @Override
    public void close() {
        encoder.close();
        latent.close();
        decoder.close();
        output.close();
        for (GrowableBuffer b : new GrowableBuffer[] {summary, z, decoderOut, reconstruction,
                dReconstruction, dDecoderOut, dz, dSummary, dHN, encoderHN}) {
            b.close();
        }
    }

    /** The layers, for tests and weight export. */
    public RecurrentStack encoder() { return encoder; }

    public RecurrentStack decoder() { return decoder; }
}
