package org.rnnclust.train;

import static org.rnnclust.io.HeaderFields.bool;
import static org.rnnclust.io.HeaderFields.count;
import static org.rnnclust.io.HeaderFields.doubles;
import static org.rnnclust.io.HeaderFields.integer;
import static org.rnnclust.io.HeaderFields.number;
import static org.rnnclust.io.HeaderFields.text;

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
import org.rnnclust.io.HeaderFields;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.ModelSignatures;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.CellType;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.RecurrentSpec;
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
    public static final String KIND = "rnnclust-model";
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

    /** Writes the model file atomically; the tensors in the network's parameter order, then the centroids. */
    public void save(Path file) {
        save(file, null);
    }

    /** {@link #save(Path)}, signed by {@code signer} (null: unsigned). */
    public void save(Path file, ModelSignatures.Signer signer) {
        ObjectNode h = JSON.createObjectNode();
        h.put("kind", KIND);
        ObjectNode arch = h.putObject("architecture");
        arch.put("cell", spec.cell().name().toLowerCase(java.util.Locale.ROOT));
        arch.put("channels", spec.channels());
        arch.put("hidden", spec.hidden());
        arch.put("layers", spec.layers());
        arch.put("bidirectional", spec.bidirectional());
        arch.put("latent", spec.latent());
        // Absent for an undilated encoder: such files read as before, by older versions too.
        if (spec.dilated()) spec.dilations().forEach(arch.putArray("dilations")::add);
        describePreprocessing(preprocessor, h.putObject("preprocessing"));
        ObjectNode km = h.putObject("kmeans");
        km.put("k", k);
        km.put("dim", spec.latent());
        ArrayNode labels = h.putArray("label_names");
        labelNames.forEach(labels::add);
        h.set("training", training);
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, int[]> e : ExpectedShapes.of(spec).entrySet()) {
            tensors.add(new ModelFile.Tensor(e.getKey(), e.getValue(), weights.get(e.getKey())));
        }
        tensors.add(new ModelFile.Tensor("kmeans.centroids", new int[] {k, spec.latent()}, centroids));
        ModelFile.write(file, h, tensors, signer);
    }

    /**
     * The fitted preprocessing as the model file records it (the options, the resample length and
     * the per-channel shift and scale), put into {@code into}; checkpoints record it the same way.
     */
    public static ObjectNode describePreprocessing(Preprocessor preprocessor, ObjectNode into) {
        PreprocessOptions o = preprocessor.options();
        into.put("normalize", o.normalization().name().toLowerCase(java.util.Locale.ROOT));
        into.put("clip_mad", o.clipMad());
        into.put("missing", o.missing().name().toLowerCase(java.util.Locale.ROOT));
        into.put("length", o.length().name().toLowerCase(java.util.Locale.ROOT));
        into.put("resample_steps", preprocessor.resampleSteps());
        ArrayNode shift = into.putArray("shift");
        for (double v : preprocessor.shift()) shift.add(v);
        ArrayNode scale = into.putArray("scale");
        for (double v : preprocessor.scale()) scale.add(v);
        return into;
    }

    /**
     * The fitted preprocessing {@link #describePreprocessing} recorded, for data of {@code channels}
     * channels.
     *
     * @throws IllegalArgumentException (or NullPointerException) naming what is missing or wrong
     */
    public static Preprocessor readPreprocessing(JsonNode p, int channels) {
        LengthPolicy length = LengthPolicy.valueOf(text(p, "length").toUpperCase(java.util.Locale.ROOT));
        int steps = integer(p, "resample_steps", 0, PreprocessOptions.MAX_RESAMPLE_LENGTH);
        if ((length == LengthPolicy.RESAMPLE) != (steps > 0)) {
            throw new IllegalArgumentException("resample_steps " + steps + " does not fit length policy " + text(p, "length"));
        }
        PreprocessOptions options = new PreprocessOptions(
                Normalization.valueOf(text(p, "normalize").toUpperCase(java.util.Locale.ROOT)),
                number(p, "clip_mad"),
                MissingValues.valueOf(text(p, "missing").toUpperCase(java.util.Locale.ROOT)),
                length, steps);
        double[] shift = doubles(p, "shift", channels);
        double[] scale = doubles(p, "scale", channels);
        for (double v : scale) if (v == 0) throw new IllegalArgumentException("preprocessing scale 0");
        return Preprocessor.of(options, shift, scale, steps);
    }

    /** Reads and validates a model file; every problem is one InputException line naming the file. */
    public static TrainedModel load(Path file) {
        return load(file, null);
    }

    /** {@link #load(Path)}; with a {@code verifier} (null: none), the file must be signed by its key. */
    public static TrainedModel load(Path file, ModelSignatures.Verifier verifier) {
        return load(ModelFile.read(file, verifier), file);
    }

    /** The same, from the content of {@code file} already read. */
    public static TrainedModel load(ModelFile.Loaded loaded, Path file) {
        JsonNode h = loaded.header();
        requireModelKind(h, file);
        if (h.has("representation")) {
            throw new InputException(file + ": a '" + h.path("representation").asText() + "' model, not an autoencoder's");
        }
        try {
            JsonNode a = h.get("architecture");
            // Each layer and direction needs tensors in the file, so the tensor count bounds the
            // layers before anything is built from them (a tampered count must not run a loop of 2^31).
            int tensors = loaded.tensors().size();
            int layers = count(a, "layers", tensors);
            List<Integer> dilations = a.has("dilations") ? HeaderFields.integers(a, "dilations", layers, 1, RecurrentSpec.MAX_DILATION)
                    : List.<Integer>of();
            AutoencoderSpec spec = new AutoencoderSpec(CellType.parse(text(a, "cell")), count(a, "channels", 1 << 20),
                    count(a, "hidden", 1 << 20), layers, bool(a, "bidirectional"), count(a, "latent", 1 << 20),
                    dilations);
            Preprocessor prep = readPreprocessing(h.get("preprocessing"), spec.channels());
            int k = count(h.get("kmeans"), "k", Integer.MAX_VALUE);
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

    /**
     * Refuses a header that is not a model's (a checkpoint, say).
     *
     * @throws InputException naming the file and its kind
     */
    public static void requireModelKind(JsonNode header, Path file) {
        if (!KIND.equals(header.path("kind").asText())) {
            throw new InputException(file + ": not an rnnclust model (kind '" + header.path("kind").asText() + "')");
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

}
