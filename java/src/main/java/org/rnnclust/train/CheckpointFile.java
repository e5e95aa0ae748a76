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
import org.rnnclust.InputException;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;

/**
 * A run's checkpoint: everything needed to continue exactly where it stopped, written atomically
 * after every epoch in the model file container ({@link ModelFile}: JSON header, float32 tensors,
 * SHA-256). Shuffling needs no state: each epoch's order derives from (seed, epoch).
 *
 * <h2>Format, version {@value #FORMAT}</h2>
 * Header: {@code "kind": "rnnclust-checkpoint"}, {@code "checkpoint_format": 2}, {@code "run"}
 * (the settings the run was started with; a resume must repeat them) and {@code "sections"}, one
 * object per named section. Each section's tensors are stored as {@code "<section>/<name>"}.
 * <ul>
 *   <li>{@value #PRETRAINING}: the autoencoder's training: {@code epochs}, {@code adam_steps},
 *       {@code best_loss}, {@code epochs_since_best}, {@code loss_history}; tensors: every
 *       parameter under its name and Adam's moments as {@code adam.m.<name>}, {@code adam.v.<name>}.</li>
 *   <li>{@value #REFINEMENT}: DEC/IDEC, written once refinement has run an epoch: the same loop
 *       fields, the refinement's settings and the digest of the centroids it started from, its
 *       target distribution and histories (see {@link Refinement}).</li>
 * </ul>
 * Later sections and fields are added without changing the version; a reader refuses a newer
 * version. Version 1 (no sections: the pretraining fields and tensors at the top level) is still
 * read, as the pretraining section.
 */
public final class CheckpointFile {
    public static final String FILE = "last.ckpt";
    public static final int FORMAT = 2;
    static final String KIND = "rnnclust-checkpoint";
    static final String PRETRAINING = "pretraining";
    static final String REFINEMENT = "refinement";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One named section: its header fields and its tensors, by names local to the section. */
    record Section(ObjectNode fields, Map<String, ModelFile.Tensor> tensors) {}

    private final Path file;
    private final ObjectNode run;
    private final Map<String, Section> sections = new LinkedHashMap<>();

    private CheckpointFile(Path file, ObjectNode run) {
        this.file = file;
        this.run = run;
    }

    /** No checkpoints: nothing is written or resumed. */
    public static CheckpointFile none() {
        return new CheckpointFile(null, null);
    }

    /** A new run's checkpoint at {@code file}, written after its first epoch; {@code run}: its settings. */
    public static CheckpointFile start(Path file, ObjectNode run) {
        return new CheckpointFile(file, run.deepCopy());
    }

    /**
     * The checkpoint at {@code file}, to continue the run it holds; {@code run} are this run's
     * settings, which must equal those it was made with.
     *
     * @throws InputException when the file is missing, damaged, of a newer version, or of another run
     */
    public static CheckpointFile resume(Path file, ObjectNode run) {
        if (!Files.isRegularFile(file)) throw new InputException(file + ": no checkpoint to resume from");
        ModelFile.Loaded loaded = ModelFile.read(file);
        JsonNode h = loaded.header();
        if (!KIND.equals(h.path("kind").asText())) throw new InputException(file + ": not an rnnclust training checkpoint");
        CheckpointFile c = new CheckpointFile(file, run.deepCopy());
        JsonNode saved = h.get("run");
        requireSameRun(file, saved instanceof ObjectNode o ? o : JSON.createObjectNode(), run);
        if (!h.has("checkpoint_format")) {
            c.sections.put(PRETRAINING, legacySection(h, loaded.tensors()));
            return c;
        }
        int format = h.path("checkpoint_format").asInt(-1);
        if (format < 1 || format > FORMAT) {
            throw new InputException(file + ": checkpoint format " + h.get("checkpoint_format")
                    + " is not one this version reads (1 to " + FORMAT + ")");
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
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", KIND);
        header.put("checkpoint_format", FORMAT);
        header.set("run", run);
        ObjectNode all = header.putObject("sections");
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Section> e : sections.entrySet()) {
            all.set(e.getKey(), e.getValue().fields());
            for (ModelFile.Tensor t : e.getValue().tensors().values()) {
                tensors.add(new ModelFile.Tensor(e.getKey() + "/" + t.name(), t.shape(), t.data()));
            }
        }
        ModelFile.write(file, header, tensors);
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
     * {@code trained}, by name); returns the progress.
     */
    TrainingLoop.Progress restoreLoop(String name, Section s, Map<String, Parameter> parameters, List<String> trained,
                                      Adam adam) {
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
        adam.restore(moments, steps);
        return new TrainingLoop.Progress(epochs, steps, best.asDouble(), since, doubles(h, "loss_history"));
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
            // Compared as text: Jackson reads a long 7 back as an int node, which equals() tells apart.
            if (!saved.has(key) || !now.get(key).asText().equals(saved.get(key).asText())) {
                throw new InputException(checkpoint + ": made with " + key + " = " + saved.get(key) + ", this run has "
                        + now.get(key) + "; resume with the settings of the first run");
            }
        }
    }
}
