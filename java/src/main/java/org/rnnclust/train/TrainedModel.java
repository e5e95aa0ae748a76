package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * A trained model as saved in {@code model.rnnclust}: the autoencoder's architecture and weights,
 * the fitted preprocessing, the k-means centroids of the embeddings, and the training
 * configuration. Holds plain arrays; {@link #instantiate} puts the network on a device. After a
 * DEC/IDEC refinement the centroids are the refined ones (the nearest one is the argmax of the
 * Student-t soft assignment), and {@code training.refine} records the method and its settings.
 *
 * <p>Header fields (JSON): {@code kind}, {@code architecture}, {@code preprocessing},
 * {@code kmeans} ({@code k}, {@code dim}), {@code training}, {@code label_names}; tensors: the
 * autoencoder's parameters under their prefixed names and {@code kmeans.centroids} [k, D].
 */
public record TrainedModel(AutoencoderSpec spec, Preprocessor preprocessor, float[] centroids, int k,
                           Map<String, float[]> weights, List<String> labelNames, ObjectNode training) {
    public static final String FILE = "model.rnnclust";
    static final String KIND = "rnnclust-model";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file a {@code --model} argument names: the file itself, or DIR/model.rnnclust. */
    public static Path resolve(Path modelArg) {
        return Files.isDirectory(modelArg) ? modelArg.resolve(FILE) : modelArg;
    }

    public static Map<String, float[]> weightsOf(SequenceAutoencoder model) {
        Map<String, float[]> w = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) w.put(e.getKey(), e.getValue().get());
        return w;
    }

    /** A network on {@code ops} with these weights. */
    public SequenceAutoencoder instantiate(TensorOps ops) {
        SequenceAutoencoder m = new SequenceAutoencoder(ops, spec, 0);
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            e.getValue().set(weights.get(e.getKey()));
        }
        return m;
    }

    public void save(Path file, SequenceAutoencoder model) {
        ObjectNode h = JSON.createObjectNode();
        h.put("kind", KIND);
        ObjectNode arch = h.putObject("architecture");
        arch.put("cell", spec.cell().name().toLowerCase(java.util.Locale.ROOT));
        arch.put("channels", spec.channels());
        arch.put("hidden", spec.hidden());
        arch.put("layers", spec.layers());
        arch.put("bidirectional", spec.bidirectional());
        arch.put("latent", spec.latent());
        ObjectNode prep = h.putObject("preprocessing");
        PreprocessOptions o = preprocessor.options();
        prep.put("normalize", o.normalization().name().toLowerCase(java.util.Locale.ROOT));
        prep.put("clip_mad", o.clipMad());
        prep.put("missing", o.missing().name().toLowerCase(java.util.Locale.ROOT));
        prep.put("length", o.length().name().toLowerCase(java.util.Locale.ROOT));
        prep.put("resample_steps", preprocessor.resampleSteps());
        ArrayNode shift = prep.putArray("shift");
        for (double v : preprocessor.shift()) shift.add(v);
        ArrayNode scale = prep.putArray("scale");
        for (double v : preprocessor.scale()) scale.add(v);
        ObjectNode km = h.putObject("kmeans");
        km.put("k", k);
        km.put("dim", spec.latent());
        ArrayNode labels = h.putArray("label_names");
        labelNames.forEach(labels::add);
        h.set("training", training);
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            tensors.add(new ModelFile.Tensor(e.getKey(), e.getValue().shape(), weights.get(e.getKey())));
        }
        tensors.add(new ModelFile.Tensor("kmeans.centroids", new int[] {k, spec.latent()}, centroids));
        ModelFile.write(file, h, tensors);
    }

    /** Reads and validates a model file; every problem is one InputException line naming the file. */
    public static TrainedModel load(Path file) {
        ModelFile.Loaded loaded = ModelFile.read(file);
        JsonNode h = loaded.header();
        if (!KIND.equals(h.path("kind").asText())) {
            throw new InputException(file + ": not an rnnclust model (kind '" + h.path("kind").asText() + "')");
        }
        try {
            JsonNode a = h.get("architecture");
            AutoencoderSpec spec = new AutoencoderSpec(CellType.parse(a.get("cell").asText()), a.get("channels").asInt(),
                    a.get("hidden").asInt(), a.get("layers").asInt(), a.get("bidirectional").asBoolean(),
                    a.get("latent").asInt());
            JsonNode p = h.get("preprocessing");
            PreprocessOptions options = new PreprocessOptions(
                    Normalization.valueOf(p.get("normalize").asText().toUpperCase(java.util.Locale.ROOT)),
                    p.get("clip_mad").asDouble(),
                    MissingValues.valueOf(p.get("missing").asText().toUpperCase(java.util.Locale.ROOT)),
                    LengthPolicy.valueOf(p.get("length").asText().toUpperCase(java.util.Locale.ROOT)),
                    p.get("resample_steps").asInt());
            double[] shift = doubles(p.get("shift"));
            double[] scale = doubles(p.get("scale"));
            if (shift.length != spec.channels() || scale.length != spec.channels()) {
                throw new InputException(file + ": preprocessing statistics for " + shift.length
                        + " channels, the network takes " + spec.channels());
            }
            Preprocessor prep = Preprocessor.of(options, shift, scale, p.get("resample_steps").asInt());
            int k = h.get("kmeans").get("k").asInt();
            ModelFile.Tensor c = loaded.tensors().get("kmeans.centroids");
            if (c == null || c.data().length != (long) k * spec.latent()) {
                throw new InputException(file + ": k-means centroids missing or not " + k + " × " + spec.latent());
            }
            List<String> labels = new ArrayList<>();
            h.path("label_names").forEach(n -> labels.add(n.asText()));
            Map<String, float[]> weights = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, ModelFile.Tensor> e : loaded.tensors().entrySet()) {
                if (!e.getKey().equals("kmeans.centroids")) weights.put(e.getKey(), e.getValue().data());
            }
            TrainedModel model = new TrainedModel(spec, prep, c.data(), k, weights, labels,
                    h.get("training") instanceof ObjectNode t ? t : JSON.createObjectNode());
            model.checkWeights(file);
            return model;
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new InputException(file + ": malformed model header: " + e.getMessage());
        }
    }

    /** Every parameter the architecture needs is present with the right size (checked without a device). */
    private void checkWeights(Path file) {
        for (Map.Entry<String, int[]> e : ExpectedShapes.of(spec).entrySet()) {
            float[] w = weights.get(e.getKey());
            long size = 1;
            for (int d : e.getValue()) size *= d;
            if (w == null) throw new InputException(file + ": missing weight tensor '" + e.getKey() + "'");
            if (w.length != size) {
                throw new InputException(file + ": weight tensor '" + e.getKey() + "' has " + w.length
                        + " values, the architecture needs " + size);
            }
        }
    }

    private static double[] doubles(JsonNode array) {
        if (array == null || !array.isArray()) throw new IllegalArgumentException("expected an array");
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asDouble();
        return out;
    }
}
