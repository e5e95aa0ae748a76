package org.rnnclust.nn;

import java.util.List;
import org.rnnclust.HeapBudget;
import org.rnnclust.InputException;
import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.Setting;
import org.rnnclust.backend.BufferMemory;
import org.rnnclust.backend.TensorOps;

/**
 * The memory a network needs for one batch shape, worked out from the shapes alone, so that work
 * that cannot fit is refused in one line before anything large is allocated: on the device, the
 * parameters with their gradients, Adam's moments and the activations that backward keeps; in the
 * Java heap, the host copies of the batch and of the weights and the embeddings.
 *
 * <p>The counts mirror what {@link SequenceAutoencoder}, {@link RecurrentStack}, {@link Adam},
 * {@link SequenceMask} and the training loop's batch loader allocate (their buffers grow to the
 * largest batch and stay): a test compares the plan with what they do allocate. Sizes saturate at
 * {@code Long.MAX_VALUE} instead of overflowing, so absurd settings get a plan too.
 *
 * <p>{@link #require} refuses a plan with an {@link InputException} (exit 2) when one buffer would
 * hold more values than any Java array can (every tensor passes through one: weights are saved
 * and loaded as arrays), and with an {@link InsufficientMemoryException} (exit 4) when the device
 * or the heap has less free than the plan needs. The messages name the settings that shrink the
 * largest part, in words and as {@link Setting}s.
 */
public final class MemoryPlan {
    /** Where a part of the plan lives. */
    public enum Pool { DEVICE, HEAP }

    /**
     * One kind of memory in the plan.
     *
     * @param what     in words: "parameters, gradients and optimizer state"
     * @param floats   all of it
     * @param largest  its largest single buffer or array
     * @param remedy   what shrinks it, in words ("lower the hidden size, ..."), ready to follow a colon
     * @param settings the settings {@code remedy} speaks of
     */
    public record Part(String what, Pool pool, long floats, long largest, String remedy, List<Setting> settings) {
        public Part {
            settings = List.copyOf(settings);
        }
    }

    private static final String MODEL_REMEDY = "lower the hidden size, the number of layers or the latent size";
    private static final List<Setting> MODEL_SETTINGS = List.of(Setting.HIDDEN, Setting.LAYERS, Setting.LATENT);
    private static final String ACTIVATIONS_REMEDY = "lower the batch size, the hidden size, the number of layers "
            + "or the latent size, or resample the sequences to fewer steps";
    private static final List<Setting> ACTIVATIONS_SETTINGS = List.of(Setting.BATCH_SIZE, Setting.HIDDEN,
            Setting.LAYERS, Setting.LATENT, Setting.RESAMPLE_LENGTH);
    private static final String BATCH_REMEDY = "lower the batch size or resample the sequences to fewer steps";
    private static final List<Setting> BATCH_SETTINGS = List.of(Setting.BATCH_SIZE, Setting.RESAMPLE_LENGTH);

    private final String subject;
    private final List<Part> parts;

    private MemoryPlan(String subject, List<Part> parts) {
        this.subject = subject;
        this.parts = List.copyOf(parts);
    }

    /**
     * Pretraining {@code spec} with Adam on batches of at most {@code batch} sequences of at most
     * {@code steps} steps, then embedding {@code sequences} sequences in batches of the same size
     * (the embedding reuses the training buffers). DEC/IDEC refinement adds its soft assignments
     * ([sequences, clusters], not planned here).
     *
     * @param inputCopies    copies of the batch's input: 1, 2 with a corrupted copy (denoising
     *                       pretraining), 3 with two contrastive views
     * @param embeddingGradient whether pretraining passes a gradient [batch, latent] to the
     *                       embedding (the contrastive objectives, DTCR's real-versus-fake task)
     * @param realFakeHead   whether DTCR's linear classifier trains beside the network (its
     *                       parameters with their gradients and Adam state, and its [batch, 2]
     *                       logits and their gradient)
     * @param weightCopies   host copies of all the weights that the caller keeps (the pretraining,
     *                       the fitted model, ...)
     */
    public static MemoryPlan training(AutoencoderSpec spec, int batch, int steps, long sequences, int inputCopies,
                                      boolean embeddingGradient, boolean realFakeHead, int weightCopies) {
        AutoencoderCounts c = new AutoencoderCounts(spec, batch, steps, true, inputCopies);
        if (embeddingGradient) c.device.add(1, times(batch, spec.latent()));
        if (realFakeHead) {
            c.device.add(4, 2L * spec.latent() + 2).add(2, times(batch, 2));
        }
        return new MemoryPlan("training the " + describe(spec) + " on batches of " + batch + " sequences × " + steps
                + " steps", List.of(
                c.params.part("parameters, gradients and optimizer state", Pool.DEVICE, 4, MODEL_REMEDY, MODEL_SETTINGS),
                c.device.part("activations", Pool.DEVICE, 1, ACTIVATIONS_REMEDY, ACTIVATIONS_SETTINGS),
                c.params.part("copies of the weights", Pool.HEAP, weightCopies, MODEL_REMEDY, MODEL_SETTINGS),
                c.host.part("batches on the host", Pool.HEAP, 1, BATCH_REMEDY, BATCH_SETTINGS),
                embeddings(spec, sequences, "lower the latent size", List.of(Setting.LATENT))));
    }

    /**
     * Embedding {@code sequences} sequences with a network of {@code spec} made for the purpose (a
     * loaded model), in batches of at most {@code batch} sequences of at most {@code steps} steps.
     * The model fixes the settings, so the remedies speak of the data and the device.
     */
    public static MemoryPlan embedding(AutoencoderSpec spec, int batch, int steps, long sequences) {
        AutoencoderCounts c = new AutoencoderCounts(spec, batch, steps, false, 1);
        String shorter = "embed shorter sequences";
        return new MemoryPlan("embedding with the " + describe(spec) + " in batches of " + batch + " sequences × "
                + steps + " steps", List.of(
                c.params.part("parameters", Pool.DEVICE, 2, "embed on a device with more memory", List.of()),
                c.device.part("activations", Pool.DEVICE, 1, shorter, List.of()),
                c.host.part("batches on the host", Pool.HEAP, 1, shorter, List.of()),
                embeddings(spec, sequences, "embed fewer sequences at a time", List.of())));
    }

    /**
     * What {@code bench} allocates to time one stack on {@code batch} full-length sequences of
     * {@code steps} steps, batch-first: the stack, its input and output, their gradients (a
     * training step) and the random host arrays they are filled from.
     */
    public static MemoryPlan benchmark(RecurrentSpec spec, int batch, int steps, boolean training, String remedy,
                                       List<Setting> settings) {
        Tally params = stackParameters(new Tally(), spec);
        long rows = times(batch, steps);
        long in = times(rows, spec.inputSize());
        long out = times(rows, spec.outputSize());
        Tally device = new Tally();
        stackForward(device, spec, batch, steps);
        if (training) stackBackward(device, spec, batch, steps, true, true);
        device.add(2, in).add(2, out);  // the input and output, and their gradients
        maskBuffers(device, batch, steps);
        Tally host = new Tally().add(1, in).add(1, out);
        maskBuffers(host, batch, steps);
        String subject = "timing " + (training ? "a training step of " : "") + "the " + spec.cell() + " layer of "
                + spec.hiddenSize() + " hidden on " + batch + " sequences × " + steps + " steps × "
                + spec.inputSize() + " inputs";
        return new MemoryPlan(subject, List.of(
                params.part("parameters and gradients", Pool.DEVICE, 2, remedy, settings),
                device.part("activations", Pool.DEVICE, 1, remedy, settings),
                host.part("host arrays", Pool.HEAP, 1, remedy, settings)));
    }

    public List<Part> parts() {
        return parts;
    }

    /** Floats of all parts in {@code pool}. */
    public long floats(Pool pool) {
        long sum = 0;
        for (Part p : parts) if (p.pool() == pool) sum = plus(sum, p.floats());
        return sum;
    }

    /**
     * Refuses the plan unless each of its buffers fits one Java array and its parts fit the memory
     * free now on {@code ops}'s device and in the heap.
     */
    public void require(TensorOps ops) {
        requireBuffersFit();
        long deviceBytes = times(Float.BYTES, floats(Pool.DEVICE));
        BufferMemory memory = ops.memory();
        if (deviceBytes > memory.freeBytes()) {
            System.gc();  // buffers that are garbage free when collected
            memory = ops.memory();
        }
        if (deviceBytes > memory.freeBytes()) throw tooLarge(Pool.DEVICE, memory.name(), memory.freeBytes(), memory.more());
        long heapBytes = times(Float.BYTES, floats(Pool.HEAP));
        long heapFree = HeapBudget.freeFor(heapBytes);
        if (heapBytes > heapFree) throw tooLarge(Pool.HEAP, "Java heap", heapFree, HeapBudget.MORE_HEAP);
    }

    /**
     * Refuses the plan when one of its buffers would hold more values than any Java array: no
     * machine runs it. Needs no device, so it can run before one opens.
     */
    public void requireBuffersFit() {
        for (Part p : parts) {
            if (p.largest() > HeapBudget.MAX_ARRAY_LENGTH) {
                throw new InputException(subject + " would need " + p.largest() + " values in one buffer for its "
                        + p.what() + "; at most " + HeapBudget.MAX_ARRAY_LENGTH + " fit in one: " + p.remedy(),
                        p.settings().toArray(new Setting[0]));
            }
        }
    }

    private InsufficientMemoryException tooLarge(Pool pool, String memory, long free, String more) {
        Part biggest = null;
        for (Part p : parts) if (p.pool() == pool && (biggest == null || p.floats() > biggest.floats())) biggest = p;
        long total = times(Float.BYTES, floats(pool));
        return new InsufficientMemoryException(subject + " needs " + HeapBudget.bytes(total) + " of " + memory + " ("
                + HeapBudget.bytes(times(Float.BYTES, biggest.floats())) + " for its " + biggest.what() + "), "
                + HeapBudget.bytes(free) + " is free: " + biggest.remedy() + (more.isEmpty() ? "" : ", or " + more),
                biggest.settings().toArray(new Setting[0]));
    }

    @Override
    public String toString() {
        return subject + " " + parts;
    }

    // ----- the counts, mirroring the allocations -----

    /** "LSTM autoencoder of 2 layers × 32 hidden (latent 8)", "bidirectional GRU autoencoder of ..." */
    private static String describe(AutoencoderSpec s) {
        return (s.bidirectional() ? "bidirectional " : "") + s.cell() + " autoencoder of " + s.layers()
                + (s.layers() == 1 ? " layer" : " layers") + " × " + s.hidden() + " hidden (latent " + s.latent() + ")";
    }

    private static Part embeddings(AutoencoderSpec spec, long sequences, String remedy, List<Setting> settings) {
        long z = times(sequences, spec.latent());
        return new Part("embeddings of " + sequences + " sequences", Pool.HEAP, z, z, remedy, settings);
    }

    /**
     * An autoencoder on batches of one shape: its parameters (values, once), the device buffers
     * beside them (activations, batch, masks) and the host arrays of the batch.
     */
    private static final class AutoencoderCounts {
        final Tally params;
        final Tally device = new Tally();
        final Tally host = new Tally();

        AutoencoderCounts(AutoencoderSpec spec, int batch, int steps, boolean training, int inputCopies) {
            params = autoencoderParameters(spec);
            autoencoderActivations(device, spec, batch, steps, training);
            batchBuffers(device, spec.channels(), batch, steps, inputCopies);
            batchBuffers(host, spec.channels(), batch, steps, inputCopies);
        }
    }

    /** Values of every parameter of the autoencoder (encoder, latent, decoder, output), once each. */
    private static Tally autoencoderParameters(AutoencoderSpec spec) {
        Tally t = new Tally();
        stackParameters(t, spec.encoder());
        linearParameters(t, spec.summarySize(), spec.latent());
        stackParameters(t, spec.decoder());
        linearParameters(t, spec.hidden(), spec.channels());
        return t;
    }

    /** W_ih, W_hh, b_ih, b_hh of every layer and direction (see RecurrentLayer). */
    private static Tally stackParameters(Tally t, RecurrentSpec s) {
        long gh = times(s.cell().gates(), s.hiddenSize());
        long dirs = s.directions();
        long upper = times(s.layers() - 1L, dirs);
        t.add(dirs, times(gh, s.inputSize())).add(dirs, times(gh, s.hiddenSize())).add(times(2, dirs), gh);
        t.add(upper, times(gh, s.outputSize())).add(upper, times(gh, s.hiddenSize())).add(times(2, upper), gh);
        return t;
    }

    private static void linearParameters(Tally t, int in, int out) {
        t.add(1, times(out, in)).add(1, out);
    }

    /**
     * The buffers of {@link SequenceAutoencoder}: its encoder's forward (and with {@code training}
     * backward), the summary and embedding, and for training the decoder and the reconstruction.
     */
    private static void autoencoderActivations(Tally t, AutoencoderSpec spec, int batch, int steps, boolean training) {
        RecurrentSpec enc = spec.encoder();
        long rows = times(steps, batch);
        long states = times(enc.layers(), enc.directions(), batch, spec.hidden());
        long summary = times(batch, spec.summarySize());
        long z = times(batch, spec.latent());
        stackForward(t, enc, batch, steps);
        t.add(1, states).add(1, summary).add(1, z);  // h_n, the summary, the embedding
        if (!training) return;
        stackBackward(t, enc, batch, steps, false, false);
        t.add(1, states).add(1, summary).add(1, z);  // their gradients
        RecurrentSpec dec = spec.decoder();
        stackForward(t, dec, batch, steps);
        stackBackward(t, dec, batch, steps, true, false);
        // The decoder's input gradient (z's at every step; z at every step is the decoder stack's
        // input, counted with it), its output and the reconstruction, each with its gradient.
        t.add(1, times(rows, spec.latent())).add(2, times(rows, spec.hidden())).add(2, times(rows, spec.channels()));
    }

    /** What {@link RecurrentStack#forward} keeps: its input, each layer's output, states, cells, gate workspaces. */
    private static void stackForward(Tally t, RecurrentSpec s, int batch, int unpadded) {
        int steps = s.paddedSteps(unpadded);
        long rows = times(steps, batch);
        long gh = times(s.cell().gates(), s.hiddenSize());
        long layers = times(s.layers(), s.directions());
        int widest = s.dilations().stream().mapToInt(Integer::intValue).max().orElse(1);  // (T/d + 1)·d·B states
        long slots = times(steps + (long) widest, batch, s.hiddenSize());
        t.add(1, times(rows, s.inputSize()));
        t.add(s.layers(), times(rows, s.outputSize()));
        t.add(layers, slots);
        if (s.cell() == CellType.LSTM) t.add(layers, slots);
        t.add(layers, times(rows, s.cell().workspaceGates(), s.hiddenSize()));  // one float for RNN, which keeps none
        t.add(layers, preparedStepOperand(s.hiddenSize(), gh));  // W_hhᵀ prepared
        t.add(1, times(rows, gh)).add(1, times(batch, gh));  // the input and recurrent projections
    }

    /**
     * What {@link RecurrentStack#backward} adds: gate gradients, the carried dh (and dc), the bias
     * gradient sum, the gradients between layers, and the batch-first input gradient when asked.
     */
    private static void stackBackward(Tally t, RecurrentSpec s, int batch, int unpadded, boolean outputGradient,
                                      boolean batchFirstInputGradient) {
        int steps = s.paddedSteps(unpadded);
        long rows = times(steps, batch);
        long gh = times(s.cell().gates(), s.hiddenSize());
        long bh = times(batch, s.hiddenSize());
        t.add(s.cell() == CellType.GRU ? 2 : 1, times(rows, gh));
        t.add(times(s.layers(), s.directions()), preparedStepOperand(gh, s.hiddenSize()));  // W_hh prepared
        t.add(s.cell() == CellType.LSTM ? 2 : 1, bh);
        if (s.cell() != CellType.GRU) t.add(1, gh);
        // Two buffers take the gradients between layers in turn; the top one also takes dOut.
        int between = (s.layers() >= 2 ? 1 : 0) + (s.layers() >= 3 || outputGradient ? 1 : 0);
        t.add(between, times(rows, s.outputSize()));
        if (batchFirstInputGradient) t.add(1, times(rows, s.inputSize()));
    }

    /** The batch loader's [T, B, C] input (and its corrupted copy or views) and the batch's masks. */
    private static void batchBuffers(Tally t, int channels, int batch, int steps, int inputCopies) {
        t.add(inputCopies, times(steps, batch, channels));
        maskBuffers(t, batch, steps);
    }

    /** {@link SequenceMask}'s time-major and batch-major masks. */
    private static void maskBuffers(Tally t, int batch, int steps) {
        t.add(2, times(steps, batch));
    }

    /** Floats of a group of buffers and the largest of them. */
    private static final class Tally {
        long floats;
        long largest;

        /** {@code count} buffers of {@code size} floats (at least one float each, as allocated). */
        Tally add(long count, long size) {
            if (count <= 0) return this;
            long each = Math.max(1, size);
            floats = plus(floats, times(count, each));
            largest = Math.max(largest, each);
            return this;
        }

        /** A part of {@code copies} times these floats. */
        Part part(String what, Pool pool, long copies, String remedy, List<Setting> settings) {
            return new Part(what, pool, times(copies, floats), largest, remedy, settings);
        }
    }

    /** The product, or Long.MAX_VALUE where it would overflow (all factors are >= 0). */
    /** TensorOps.preparedStepOperandSize(k, n), saturating like {@link #times} for sizes past int. */
    private static long preparedStepOperand(long k, long n) {
        long multiple = TensorOps.PREPARED_COLUMN_MULTIPLE;
        return times(k, n > Long.MAX_VALUE - multiple ? n : (n + multiple - 1) / multiple * multiple);
    }

    private static long times(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f == 0) return 0;
            p = Math.multiplyHigh(p, f) != 0 || p * f < 0 ? Long.MAX_VALUE : p * f;
        }
        return p;
    }

    private static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
