package org.rnnclust.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.SetManifest;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.train.TrainedModel;

/**
 * A fitted sequence clustering as {@code train} saves it and {@code embed} and {@code cluster}
 * apply it: the fitted preprocessing, a representation of each sequence, and the clusters of
 * those representations. Two kinds: the reservoir representation ({@link ReservoirClusteringModel},
 * train's default) and the recurrent autoencoder ({@link SequenceClusteringModel}). Immutable; it
 * computes on the {@link Device} given by {@link #on}.
 */
public interface ClusteringModel extends AutoCloseable {
    /** The file name a training output folder holds. */
    String FILE = TrainedModel.FILE;

    /**
     * Reads and validates a model file (or DIR/model.rnnclust) of either kind, without a device:
     * {@link #on} then gives the model that computes.
     *
     * @throws InputException when the file is missing, damaged or not a model (one line naming it)
     */
    static ClusteringModel load(Path fileOrDir) {
        return load(fileOrDir, ModelKeys.NONE);
    }

    /**
     * {@link #load(Path)}; with a verification key in {@code keys}, the file must be signed by it
     * (an unsigned, re-signed or modified file is refused with one line).
     */
    static ClusteringModel load(Path fileOrDir, ModelKeys keys) {
        // A folder written as one output set is refused when its last commit did not finish.
        if (Files.isDirectory(fileOrDir)) SetManifest.requireComplete(fileOrDir);
        Path file = TrainedModel.resolve(fileOrDir);
        ModelFile.Loaded loaded = ModelFile.read(file, keys.verifier());
        return ReservoirClusteringModel.isOne(loaded) ? ReservoirClusteringModel.from(loaded, file)
                : SequenceClusteringModel.from(loaded, file);
    }

    /** The same model, computing on {@code device} (not owned). */
    ClusteringModel on(Device device);

    /** What the model is, as tables and metrics.json name it: "rnn-esn", "rnn-lstm", "rnn-lstm-idec", ... */
    String method();

    int clusters();

    /** Channels (features per step) the model reads. */
    int channels();

    /** Size of an embedding. */
    int latent();

    /** Numbers the model holds. */
    long parameterCount();

    /** The class names of the training labels, if it had labels (else empty). */
    List<String> labelNames();

    /** The preprocessing fitted on the training data, applied to every dataset before embedding. */
    Preprocessor preprocessor();

    /**
     * {@code data} as the model reads it: through the preprocessing fitted on the training data,
     * padded to its longest sequence.
     *
     * @throws InputException when its channels are not the model's
     */
    default PaddedSequences prepare(Dataset data) {
        if (data.channels() != channels()) {
            throw new InputException(data.name() + ": has " + data.channels() + " channels, the model was trained on "
                    + channels());
        }
        return PaddedSequences.of(preprocessor().apply(data, true));
    }

    /** The embeddings [N, latent] (row-major) of a dataset, after the model's preprocessing. */
    default float[] embed(Dataset data) {
        return embed(prepare(data));
    }

    /** The embeddings of sequences already preprocessed as the model's training data were. */
    float[] embed(PaddedSequences data);

    /** The cluster of every sequence and the inertia of the assignment. */
    default Assignment assign(Dataset data) {
        return assign(prepare(data));
    }

    /** {@link #assign(Dataset)} for sequences already preprocessed. */
    Assignment assign(PaddedSequences data);

    /** The embeddings [N, latent] (row-major) of a set of sequences and their clusters. */
    record Embedded(float[] embeddings, Assignment assignment) {}

    /** {@link #embed} and {@link #assign} of the same data, computing the representation once. */
    default Embedded embedAndAssign(Dataset data) {
        return embedAndAssign(prepare(data));
    }

    /** {@link #embedAndAssign(Dataset)} for sequences already preprocessed. */
    Embedded embedAndAssign(PaddedSequences data);

    /** The cluster of every sequence of {@code data}, in order. */
    default int[] predict(Dataset data) {
        return assign(data).labels();
    }

    /**
     * ACC, NMI and ARI of the clusters of {@code data} against its labels.
     *
     * @throws InputException when {@code data} has no labels
     */
    default ClusteringScores scores(Dataset data) {
        if (!data.hasLabels()) throw new InputException(data.name() + ": no labels to score the clusters against");
        return ClusteringScores.of(data.labels(), predict(data));
    }

    /** Writes the model file atomically (a failed write keeps any previous file). */
    default void save(Path file) {
        save(file, ModelKeys.NONE);
    }

    /** {@link #save(Path)}, signed with the signing key of {@code keys} when it has one. */
    void save(Path file, ModelKeys keys);

    @Override
    void close();
}
