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
        adam.restore(moments, h.path("adam_steps").asInt());
        List<Double> history = new ArrayList<>();
        h.path("loss_history").forEach(n -> history.add(n.asDouble()));
        return new State(h.path("epochs").asInt(), h.path("adam_steps").asInt(), h.path("best_loss").asDouble(),
                h.path("epochs_since_best").asInt(), history);
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
