package org.rnnclust.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.Npz;
import org.rnnclust.io.Safetensors;

/**
 * A trained model's tensors for PyTorch and NumPy: every tensor of the model file under its own
 * name (an autoencoder's are PyTorch's state_dict names prefixed by the part of the network:
 * {@code encoder.weight_ih_l0}, {@code latent.weight}, {@code decoder.…}, {@code output.bias}; a
 * reservoir model's {@code m0.reservoir.weight_hh_l0}, …), and the model file's header (the
 * architecture, the fitted preprocessing, the clusters and the training settings) as JSON metadata.
 * Loading {@code encoder.*} into {@code torch.nn.LSTM/GRU/RNN(batch_first=True)} and {@code latent.*}
 * into {@code torch.nn.Linear} gives rnnclust's embeddings (the last layer's final hidden state,
 * forward then backward direction, through the Linear).
 */
public final class ModelExport {
    /** The metadata key (safetensors) or array name (npz) holding the model file's header as JSON. */
    public static final String METADATA = "rnnclust";

    /** The formats {@link #write} writes. */
    public enum Format {
        SAFETENSORS, NPZ;

        /** From a name ("safetensors", "npz") or, when null, from the output file's extension. */
        public static Format of(String name, Path out) {
            String n = name != null ? name : out.getFileName().toString().replaceAll(".*\\.", "");
            return switch (n.strip().toLowerCase(Locale.ROOT)) {
                case "safetensors" -> SAFETENSORS;
                case "npz" -> NPZ;
                default -> throw new InputException("export format must be safetensors or npz, got '" + n + "'");
            };
        }
    }

    /** What was exported: the tensors' count and values. */
    public record Written(int tensors, long values) {}

    private ModelExport() {}

    /**
     * Writes the model at {@code model} (a model file, or the folder {@code train} wrote it to) as
     * {@code format} to {@code out}, all or nothing.
     *
     * @throws InputException for a missing or damaged model file, a checkpoint, or an unwritable output
     */
    public static Written write(Path model, Format format, Path out) {
        return write(model, format, out, ModelKeys.NONE);
    }

    /** {@link #write(Path, Format, Path)} of a model that must carry the signature of {@code keys}' verification key, if it has one. */
    public static Written write(Path model, Format format, Path out, ModelKeys keys) {
        Path file = Files.isDirectory(model) ? model.resolve(ClusteringModel.FILE) : model;
        if (!Files.isRegularFile(file)) throw new InputException(file + ": no model file");
        ModelFile.Loaded loaded = ModelFile.read(file, keys.verifier());
        ObjectNode header = loaded.header().deepCopy();
        if (!"rnnclust-model".equals(header.path("kind").asText())) {
            throw new InputException(file + ": not a trained model (a " + header.path("kind").asText("?")
                    + "); export the model file that train wrote");
        }
        header.remove(ModelFile.TENSOR_TABLE);
        List<ModelFile.Tensor> tensors = new ArrayList<>(loaded.tensors().values());
        String json = header.toString();
        if (format == Format.SAFETENSORS) {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put(METADATA, json);
            Safetensors.write(out, tensors, metadata);
        } else {
            Npz.writeTensors(out, tensors, METADATA, json.getBytes(StandardCharsets.UTF_8));
        }
        long values = 0;
        for (ModelFile.Tensor t : tensors) values += t.size();
        return new Written(tensors.size(), values);
    }
}
