package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.ModelSignatures;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's checkpoint: everything needed to continue exactly where it stopped, written atomically
 * after every epoch, and at the batch boundary where a cancellation stops the run, in the model
 * file container ({@link ModelFile}: JSON header, float32 tensors, SHA-256). Shuffling needs no
 * state: each epoch's order derives from (seed, epoch), each batch's randomness from (seed, epoch,
 * batch). (Differentially private training is the exception: its batches and noise are drawn from
 * a secure random source, never from the seed, so a resumed private run continues the accounting
 * exactly but not the bits.)
 *
 * <h2>Format, version {@value #FORMAT}</h2>
 * Header: {@code "kind": "rnnclust-checkpoint"}, {@code "checkpoint_format": 3}, {@code "run"}
 * (the settings the run was started with; a resume must repeat them, except that it may change
 * the epoch limit as long as the checkpoint's progress fits in it), {@code "data"} (the training
 * data's shape, preprocessing and digest: see {@link TrainingData}; a resume must train on the
 * same) and {@code "sections"}, one object per named section. Each section's tensors are stored
 * as {@code "<section>/<name>"}.
 * <ul>
 *   <li>{@value #PRETRAINING}: the autoencoder's training: {@code epochs} (completed),
 *       {@code adam_steps}, {@code best_loss}, {@code epochs_since_best}, {@code loss_history},
 *       and {@code in_epoch} when the run stopped within the next epoch ({@code batches} done,
 *       {@code loss_sum}, {@code weight}, {@code last_norm}); tensors: every parameter under its
 *       name and Adam's moments as {@code adam.m.<name>}, {@code adam.v.<name>}. A differentially
 *       private run adds {@code privacy}: the accountant's {@code sampling_rate},
 *       {@code noise_multiplier}, {@code steps}, its {@code orders} and the {@code rdp} spent at
 *       each, and {@code epsilon_history} (see {@link PrivateSgd}).</li>
 *   <li>{@value #REFINEMENT}: DEC/IDEC, written once refinement has run an epoch or stopped
 *       within one: the same loop fields, the refinement's settings and the digest of the
 *       centroids it started from, its target distribution, the epoch's running sums and
 *       histories (see {@link Refinement}).</li>
 * </ul>
 * Later sections and fields are added without changing the version; a reader refuses a newer
 * version. Versions 1 (no sections: the pretraining fields and tensors at the top level) and 2
 * (no data, no positions within an epoch) are still read; their data cannot be checked, which a
 * resume says in a warning. Version 3 came with {@code in_epoch}: a version-2 reader would have
 * taken such a checkpoint for one written at an epoch boundary.
 */
public final class CheckpointFile {
    public static final String FILE = "last.ckpt";
    public static final int FORMAT = 3;
    static final String KIND = "rnnclust-checkpoint";
    static final String PRETRAINING = "pretraining";
    static final String REFINEMENT = "refinement";
    /** The field of a loop section that holds its position within an epoch. */
    private static final String IN_EPOCH = "in_epoch";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFile.class);
    /** The run settings a resume may change: the epoch limit (see {@link #requireWithin}). */
    private static final Set<String> MAY_CHANGE = Set.of("epochs");

    /** One named section: its header fields and its tensors, by names local to the section. */
    record Section(ObjectNode fields, Map<String, ModelFile.Tensor> tensors) {}

    private final Path file;
    private final ObjectNode run;
    private final ObjectNode data;
    private final Map<String, Section> sections = new LinkedHashMap<>();
    private java.util.function.Consumer<Path> afterWrite = written -> { };
    /** Signs every write (null: unsigned). */
    private ModelSignatures.Signer signer;

    private CheckpointFile(Path file, ObjectNode run, ObjectNode data) {
        this.file = file;
        this.run = run;
        this.data = data;
    }

    /** No checkpoints: nothing is written or resumed. */
    public static CheckpointFile none() {
        return new CheckpointFile(null, null, null);
    }

    /**
     * A new run's checkpoint at {@code file}, written after its first epoch (or when it is
     * cancelled); {@code run}: its settings; {@code data}: what it trains on.
     */
    public static CheckpointFile start(Path file, ObjectNode run, TrainingData data) {
        return new CheckpointFile(file, run.deepCopy(), data.json());
    }

    /**
     * The checkpoint at {@code file}, to continue the run it holds; {@code run} are this run's
     * settings, which must equal those it was made with (the epoch limit aside), and {@code data}
     * what it trains on, which must be what that run trained on.
     *
     * @throws InputException when the file is missing, damaged, of a newer version, or of another
     *                        run or other data: one line naming what differs
     */
    public static CheckpointFile resume(Path file, ObjectNode run, TrainingData data) {
        return resume(file, run, data, null);
    }

    /**
     * {@link #resume(Path, ObjectNode, TrainingData)}; with a {@code verifier} (null: none), the
     * checkpoint must be signed by its key (an unsigned, re-signed or modified one is refused).
     */
    public static CheckpointFile resume(Path file, ObjectNode run, TrainingData data, ModelSignatures.Verifier verifier) {
        if (!Files.isRegularFile(file)) throw new InputException(file + ": no checkpoint to resume from");
        ModelFile.Loaded loaded = ModelFile.read(file, verifier);
        JsonNode h = loaded.header();
        if (!KIND.equals(h.path("kind").asText())) throw new InputException(file + ": not an rnnclust training checkpoint");
        int format = h.has("checkpoint_format") ? h.path("checkpoint_format").asInt(-1) : 1;
        if (format < 1 || format > FORMAT) {
            throw new InputException(file + ": checkpoint format " + h.get("checkpoint_format")
                    + " is not one this version reads (1 to " + FORMAT + ")");
        }
        CheckpointFile c = new CheckpointFile(file, run.deepCopy(), data.json());
        JsonNode saved = h.get("run");
        requireSameRun(file, saved instanceof ObjectNode o ? o : JSON.createObjectNode(), run);
        if (h.get("data") instanceof ObjectNode savedData) {
            data.requireSame(file, savedData);
        } else if (format >= 3) {
            throw new InputException(file + ": checkpoint records nothing of its training data");
        } else {
            LOG.warn(file + ": a checkpoint of format " + format + " records nothing of its training data, so it cannot"
                    + " be checked to be this run's data");
        }
        if (!h.has("checkpoint_format")) {
            c.sections.put(PRETRAINING, legacySection(h, loaded.tensors()));
            return c;
        }
        JsonNode s = h.get("sections");
        if (!(s instanceof ObjectNode sectionsNode)) throw new InputException(file + ": checkpoint has no sections");
        for (Iterator<String> it = sectionsNode.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!(sectionsNode.get(name) instanceof ObjectNode fields)) {
                throw new InputException(file + ": checkpoint section '" + name + "' is not an object");
            }
            Map<String, ModelFile.Tensor> tensors = new LinkedHashMap<>();
            String prefix = name + "/";
            for (Map.Entry<String, ModelFile.Tensor> e : loaded.tensors().entrySet()) {
                if (e.getKey().startsWith(prefix)) tensors.put(e.getKey().substring(prefix.length()), e.getValue());
            }
            c.sections.put(name, new Section(fields, tensors));
        }
        return c;
    }

    /** The section saved under {@code name}, or null. */
    Section section(String name) {
        return sections.get(name);
    }

    /** Replaces section {@code name} (keeping the others) and writes the whole file atomically. */
    void save(String name, Section section) {
        if (file == null) return;
        sections.put(name, section);
        write();
    }

    /**
     * Writes the file now, with the sections it holds (none for a new run), so that a resume finds
     * the run even if it stops before any loop saved a section. A fit of several networks needs
     * this: their pretrainings are kept in checkpoints of their own, and this one gets its first
     * section only when refinement starts.
     */
    public void begin() {
        if (file != null) write();
    }

    private void write() {
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", KIND);
        header.put("checkpoint_format", FORMAT);
        header.set("run", run);
        header.set("data", data);
        ObjectNode all = header.putObject("sections");
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Section> e : sections.entrySet()) {
            all.set(e.getKey(), e.getValue().fields());
            for (ModelFile.Tensor t : e.getValue().tensors().values()) {
                tensors.add(new ModelFile.Tensor(e.getKey() + "/" + t.name(), t.shape(), t.data()));
            }
        }
        ModelFile.write(file, header, tensors, signer);
        afterWrite.accept(file);
    }

    /**
     * Signs every write of this checkpoint with {@code s} (null: unsigned), so that a resume with
     * the matching verification key accepts it.
     *
     * @return this checkpoint
     */
    public CheckpointFile signedBy(ModelSignatures.Signer s) {
        this.signer = s;
        return this;
    }

    /**
     * Runs {@code hook} with the file each time it has been written (and is complete): a caller
     * that keeps the checkpoint elsewhere too (a shared file system) copies it from there.
     *
     * @return this checkpoint
     */
    public CheckpointFile afterEachWrite(java.util.function.Consumer<Path> hook) {
        this.afterWrite = java.util.Objects.requireNonNull(hook);
        return this;
    }

    /**
     * Refuses to continue a {@code phase} whose saved {@code progress} is past the {@code epochs}
     * this run allows: the uninterrupted run would have ended before it. A larger limit than the
     * first run's continues that run, as if it had been started with it.
     */
    void requireWithin(TrainingLoop.Progress progress, int epochs, String phase) {
        if (progress.epochsStarted() <= epochs) return;
        throw new InputException(file + ": the " + phase + " saved here " + (progress.inEpoch() == null
                ? "has completed " + progress.epochs() + " epochs" : "has started epoch " + progress.epochsStarted())
                + ", more than the " + epochs + " this run allows; resume with at least " + progress.epochsStarted()
                + " epochs", Setting.EPOCHS);
    }

    /** Whether the saved {@code section} of a loop is within {@code epochs} (see {@link #requireWithin}). */
    boolean within(Section section, int epochs) {
        int done = natural(section.fields(), "epochs");
        return (section.fields().has(IN_EPOCH) ? done + 1 : done) <= epochs;
    }

    /** A description for messages: where the run's position is kept after a cancellation. */
    String cancelledNote() {
        return file == null ? "; nothing was saved (no checkpoint)" : "; the checkpoint " + file + " holds that position";
    }

    /** A description for messages: where the last good checkpoint is after {@code completedEpochs}. */
    String keptNote(int completedEpochs) {
        if (file == null) return "";
        return completedEpochs > 0 ? "; the last good checkpoint (epoch " + completedEpochs + ") is kept in " + file
                : "; no epoch completed, so there is no checkpoint";
    }

    // ----- what the training loop saves: its progress, the trained parameters, Adam's moments -----

    /** A section holding the loop's progress, {@code parameters} (by name) and {@code adam}'s moments. */
    static Section loopSection(TrainingLoop.Progress progress, Map<String, Parameter> parameters, List<String> trained,
                               Adam adam) {
        ObjectNode f = JSON.createObjectNode();
        f.put("epochs", progress.epochs());
        f.put("adam_steps", progress.steps());
        f.put("best_loss", progress.bestLoss());
        f.put("epochs_since_best", progress.epochsSinceBest());
        ArrayNode history = f.putArray("loss_history");
        progress.lossHistory().forEach(history::add);
        TrainingLoop.EpochPosition at = progress.inEpoch();
        if (at != null) {
            f.putObject(IN_EPOCH).put("batches", at.batches()).put("loss_sum", at.lossSum()).put("weight", at.weight())
                    .put("last_norm", at.lastNorm());
        }
        Map<String, ModelFile.Tensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            t.put(e.getKey(), new ModelFile.Tensor(e.getKey(), e.getValue().shape(), e.getValue().get()));
        }
        List<float[]> moments = adam.state();
        for (int i = 0; i < moments.size(); i++) {
            String name = (i < trained.size() ? "adam.m." : "adam.v.") + trained.get(i % trained.size());
            t.put(name, new ModelFile.Tensor(name, new int[] {moments.get(i).length}, moments.get(i)));
        }
        return new Section(f, t);
    }

    /**
     * Loads a loop section into {@code parameters} and {@code adam} (whose parameters are
     * {@code trained}, by name); returns the progress. {@code batchesPerEpoch}: the run's, which a
     * position within an epoch must be short of.
     */
    TrainingLoop.Progress restoreLoop(String name, Section s, Map<String, Parameter> parameters, List<String> trained,
                                      Adam adam, int batchesPerEpoch) {
        List<float[]> moments = new ArrayList<>();
        for (String prefix : new String[] {"adam.m.", "adam.v."}) {
            for (String p : trained) moments.add(tensor(name, s, prefix + p, parameters.get(p).size()).data());
        }
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            e.getValue().set(tensor(name, s, e.getKey(), e.getValue().size()).data());
        }
        JsonNode h = s.fields();
        int epochs = natural(h, "epochs");
        int steps = natural(h, "adam_steps");
        int since = natural(h, "epochs_since_best");
        JsonNode best = h.get("best_loss");
        JsonNode losses = h.get("loss_history");
        if (best == null || !(best.isNumber() || "Infinity".equals(best.asText())) || since > epochs
                || losses == null || !losses.isArray() || losses.size() != epochs) {
            throw new InputException(file + ": checkpoint header is inconsistent (epochs " + epochs + ", epochs_since_best "
                    + since + ", " + (losses == null || !losses.isArray() ? "no" : losses.size()) + " losses recorded)");
        }
        TrainingLoop.EpochPosition at = null;
        if (h.has(IN_EPOCH)) {
            JsonNode p = h.get(IN_EPOCH);
            int batches = natural(p, "batches");
            if (batches < 1 || batches >= batchesPerEpoch) {
                throw new InputException(file + ": checkpoint position after batch " + batches + " is not within an epoch of "
                        + batchesPerEpoch + " batches");
            }
            at = new TrainingLoop.EpochPosition(batches, number(p, "loss_sum"), number(p, "weight"),
                    number(p, "last_norm"));
        }
        adam.restore(moments, steps);
        return new TrainingLoop.Progress(epochs, steps, best.asDouble(), since, doubles(h, "loss_history"), at);
    }

    /** A list of numbers (NaN and infinities written as strings, as Jackson does) in a section's fields. */
    List<Double> doubles(JsonNode h, String field) {
        JsonNode a = h.get(field);
        if (a == null || !a.isArray()) throw new InputException(file + ": checkpoint field '" + field + "' is not a list");
        List<Double> out = new ArrayList<>();
        for (JsonNode n : a) out.add(toDouble(n, field));
        return out;
    }

    /** A number field of a section; it may be NaN or infinite. */
    double number(JsonNode h, String field) {
        return toDouble(h.get(field), field);
    }

    /** One number of a section (NaN and infinities are strings in the file). */
    double toDouble(JsonNode n, String field) {
        if (n != null && n.isNumber()) return n.doubleValue();
        if (n != null && n.isTextual()) {
            switch (n.asText()) {
                case "NaN": return Double.NaN;
                case "Infinity": return Double.POSITIVE_INFINITY;
                case "-Infinity": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw new InputException(file + ": checkpoint field '" + field + "' holds " + n + ", not a number");
    }

    /** A non-negative int field of a section. */
    int natural(JsonNode h, String name) {
        JsonNode n = h.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw new InputException(file + ": checkpoint field '" + name + "' is " + n + ", not a count");
        }
        return n.intValue();
    }

    /** A tensor of a section, of {@code size} values. */
    ModelFile.Tensor tensor(String section, Section s, String name, long size) {
        ModelFile.Tensor x = s.tensors().get(name);
        if (x == null) {
            throw new InputException(file + ": checkpoint section " + section + " has no tensor '" + name
                    + "' (different model?)");
        }
        if (x.data().length != size) {
            throw new InputException(file + ": tensor '" + name + "' has " + x.data().length + " values, the model needs "
                    + size + " (different model?)");
        }
        return x;
    }

    /** Version 1: the pretraining fields and tensors at the top level. */
    private static Section legacySection(JsonNode h, Map<String, ModelFile.Tensor> tensors) {
        ObjectNode fields = JSON.createObjectNode();
        for (String f : new String[] {"epochs", "adam_steps", "best_loss", "epochs_since_best", "loss_history"}) {
            if (h.has(f)) fields.set(f, h.get(f));
        }
        return new Section(fields, new LinkedHashMap<>(tensors));
    }

    /** A resumed run must use the settings of the run it continues, or it would not end with the same model. */
    private static void requireSameRun(Path checkpoint, ObjectNode saved, ObjectNode now) {
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (MAY_CHANGE.contains(key)) continue;
            // Compared as text: Jackson reads a long 7 back as an int node, which equals() tells apart.
            if (!saved.has(key) || !now.get(key).asText().equals(saved.get(key).asText())) {
                throw new InputException(checkpoint + ": made with " + key + " = " + saved.get(key) + ", this run has "
                        + now.get(key) + "; resume with the settings of the first run");
            }
        }
        // A setting the first run recorded only because it was on (the deterministic mode, a perturbation).
        for (Iterator<String> it = saved.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!MAY_CHANGE.contains(key) && !now.has(key)) {
                throw new InputException(checkpoint + ": made with " + key + " = " + saved.get(key)
                        + ", this run has none; resume with the settings of the first run");
            }
        }
    }
}
