package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * Everything needed to continue training exactly where it stopped: the parameters, Adam's moments
 * and step count, and the early-stopping state, written after every epoch in the model file format
 * (atomic, checksummed). Shuffling needs no state: each epoch's order derives from (seed, epoch).
 */
public final class Checkpoint {
    public static final String FILE = "last.ckpt";
    static final String KIND = "rnnclust-checkpoint";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where training stands after {@code epochs} completed epochs. */
    public record State(int epochs, int adamSteps, double bestLoss, int epochsSinceBest, List<Double> lossHistory) {}

    private Checkpoint() {}

    static void write(Path file, SequenceAutoencoder model, Adam adam, State state, ObjectNode run) {
        ObjectNode header = JSON.createObjectNode();
        header.put("kind", KIND);
        header.put("epochs", state.epochs());
        header.put("adam_steps", state.adamSteps());
        header.put("best_loss", state.bestLoss());
        header.put("epochs_since_best", state.epochsSinceBest());
        ArrayNode history = header.putArray("loss_history");
        state.lossHistory().forEach(history::add);
        header.set("run", run);
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            tensors.add(new ModelFile.Tensor(e.getKey(), e.getValue().shape(), e.getValue().get()));
        }
        List<float[]> moments = adam.state();
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        for (int i = 0; i < moments.size(); i++) {
            String name = (i < names.size() ? "adam.m." : "adam.v.") + names.get(i % names.size());
            tensors.add(new ModelFile.Tensor(name, new int[] {moments.get(i).length}, moments.get(i)));
        }
        ModelFile.write(file, header, tensors);
    }

    /** The {@code run} object that was saved (configuration the caller must match on resume). */
    public static ObjectNode run(ModelFile.Loaded loaded) {
        JsonNode run = loaded.header().get("run");
        return run instanceof ObjectNode o ? o : JSON.createObjectNode();
    }

    public static ModelFile.Loaded read(Path file) {
        ModelFile.Loaded loaded = ModelFile.read(file);
        if (!KIND.equals(loaded.header().path("kind").asText())) {
            throw new InputException(file + ": not an rnnclust training checkpoint");
        }
        return loaded;
    }

    /** Loads parameters and optimizer state into {@code model} and {@code adam}; returns the training state. */
    static State restore(Path file, ModelFile.Loaded loaded, SequenceAutoencoder model, Adam adam) {
        Map<String, ModelFile.Tensor> t = loaded.tensors();
        List<String> names = new ArrayList<>(model.namedParameters().keySet());
        List<float[]> moments = new ArrayList<>();
        for (String prefix : new String[] {"adam.m.", "adam.v."}) {
            for (String name : names) moments.add(tensor(file, t, prefix + name, model.parameter(name).size()).data());
        }
        for (String name : names) model.parameter(name).set(tensor(file, t, name, model.parameter(name).size()).data());
        JsonNode h = loaded.header();
        int epochs = natural(file, h, "epochs");
        int steps = natural(file, h, "adam_steps");
        int since = natural(file, h, "epochs_since_best");
        JsonNode best = h.get("best_loss");
        JsonNode losses = h.get("loss_history");
        if (best == null || !(best.isNumber() || "Infinity".equals(best.asText())) || since > epochs
                || losses == null || !losses.isArray() || losses.size() != epochs) {
            throw new InputException(file + ": checkpoint header is inconsistent (epochs " + epochs + ", epochs_since_best "
                    + since + ", " + (losses == null || !losses.isArray() ? "no" : losses.size()) + " losses recorded)");
        }
        List<Double> history = new ArrayList<>();
        for (JsonNode n : losses) {
            if (!n.isNumber()) throw new InputException(file + ": checkpoint loss_history holds " + n + ", not a number");
            history.add(n.doubleValue());
        }
        adam.restore(moments, steps);
        return new State(epochs, steps, best.asDouble(), since, history);
    }

    /** A non-negative int field of the checkpoint header. */
    private static int natural(Path file, JsonNode h, String name) {
        JsonNode n = h.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
            throw new InputException(file + ": checkpoint field '" + name + "' is " + n + ", not a count");
        }
        return n.intValue();
    }

    private static ModelFile.Tensor tensor(Path file, Map<String, ModelFile.Tensor> t, String name, long size) {
        ModelFile.Tensor x = t.get(name);
        if (x == null) throw new InputException(file + ": checkpoint has no tensor '" + name + "' (different model?)");
        if (x.data().length != size) {
            throw new InputException(file + ": tensor '" + name + "' has " + x.data().length + " values, the model needs "
                    + size + " (different model?)");
        }
        return x;
    }
}
