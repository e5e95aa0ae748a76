package org.rnnclust.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rnnclust.InputException;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.SetManifest;
import org.rnnclust.nn.MemoryPlan;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.Trainer;

/**
 * A fitted sequence clustering: the autoencoder's weights, the preprocessing fitted on the
 * training data, and the centroids of the embeddings. Immutable; what it computes runs on its
 * {@link Device}. It saves to and loads from the versioned, checksummed {@code model.rnnclust}
 * file.
 *
 * <p>Thread safety: the model holds no mutable state, and every call makes its own network from
 * the weights, so threads may share it whenever they may share its device (a CPU device: yes).
 * Close it when it owns its device (a model from {@link SequenceClusterer#fit(Dataset)}); closing
 * a model that uses a device opened by the caller does nothing.
 */
public final class SequenceClusteringModel implements ClusteringModel {
    /** Sequences per embedding batch of a loaded model whose file records no training batch size. */
    static final int EMBED_BATCH = 256;

    private final TrainedModel saved;
    private final Device device;
    private final boolean ownsDevice;
    private final int embedBatch;
    private final FitReport report;

    SequenceClusteringModel(TrainedModel saved, Device device, boolean ownsDevice, int embedBatch, FitReport report) {
        this.saved = saved;
        this.device = device;
        this.ownsDevice = ownsDevice;
        this.embedBatch = embedBatch;
        this.report = report;
    }

    /**
     * Reads a model file (or DIR/model.rnnclust) and validates all of it.
     *
     * @throws InputException when the file is missing, damaged or not a model (one line naming it)
     */
    public static SequenceClusteringModel load(Path fileOrDir, Device device) {
        return load(fileOrDir).on(device);
    }

    /**
     * Reads and validates a model file without a device: {@link #on(Device)} then gives the model
     * that computes (so that a bad file is reported before a device is opened).
     */
    public static SequenceClusteringModel load(Path fileOrDir) {
        return load(fileOrDir, ModelKeys.NONE);
    }

    /** {@link #load(Path)}, verified as {@link ClusteringModel#load(Path, ModelKeys)} verifies. */
    public static SequenceClusteringModel load(Path fileOrDir, ModelKeys keys) {
        // A folder written as one output set is refused when its last commit did not finish.
        if (Files.isDirectory(fileOrDir)) SetManifest.requireComplete(fileOrDir);
        return from(TrainedModel.load(TrainedModel.resolve(fileOrDir), keys.verifier()));
    }

    /** The autoencoder model in {@code file}, whose content {@code loaded} holds. */
    static SequenceClusteringModel from(ModelFile.Loaded loaded, Path file) {
        return from(TrainedModel.load(loaded, file));
    }

    private static SequenceClusteringModel from(TrainedModel saved) {
        // Embedded in batches of the training batch size, as the fit did: the GEMMs' rounding depends
        // on the rows per call, and the loaded model must give the fitted model's embeddings bit for bit.
        int batch = saved.training().path("batch").asInt(0);
        return new SequenceClusteringModel(saved, null, false, batch > 0 ? batch : EMBED_BATCH, null);
    }

    @Override
    public void save(Path file, ModelKeys keys) {
        saved.save(file, keys.signer());
    }

    @Override
    public SequenceClusteringModel on(Device other) {
        return new SequenceClusteringModel(saved, other, false, embedBatch, report);
    }

    public int clusters() {
        return saved.k();
    }

    /** Size of an embedding. */
    public int latent() {
        return saved.spec().latent();
    }

    /** Channels (features per step) the model reads. */
    public int channels() {
        return saved.spec().channels();
    }

    public Cell cell() {
        return Cell.of(saved.spec().cell());
    }

    /** "rnn-lstm", or with a refinement "rnn-lstm-idec" (as the model file records it). */
    public String method() {
        String refine = saved.training().path("refine").path("method").asText("none");
        return "rnn-" + cell().label() + (refine.isEmpty() || refine.equals("none") ? "" : "-" + refine);
    }

    /** The network's parameters (the centroids add clusters × latent). */
    public long parameterCount() {
        long n = 0;
        for (float[] w : saved.weights().values()) n += w.length;
        return n;
    }

    /** The centroids [k, latent], row-major (a copy). */
    public float[] centroids() {
        return saved.centroids().clone();
    }

    /** The class names of the training labels, if it had labels (else empty). */
    public List<String> labelNames() {
        return saved.labelNames();
    }

    /** The preprocessing fitted on the training data, applied to every dataset before embedding. */
    public Preprocessor preprocessor() {
        return saved.preprocessor();
    }

    /** What the fit did, or null for a model loaded from a file. */
    public FitReport fitReport() {
        return report;
    }

    /** The device it computes on; null for a model loaded without one. */
    public Device device() {
        return device;
    }

    private Device requireDevice() {
        if (device == null) throw new IllegalStateException("this model has no device: use on(device)");
        return device;
    }

    @Override
    public float[] embed(PaddedSequences data) {
        var ops = requireDevice().backend().tensorOps();
        MemoryPlan.embedding(saved.spec(), Math.min(embedBatch, data.n()), data.maxLength(), data.n()).require(ops);
        try (SequenceAutoencoder net = saved.instantiate(ops)) {
            return Trainer.embed(ops, net, data, embedBatch);
        }
    }

    /**
     * The autoencoder's reconstructions of {@code data} (sequences as the model takes them), in the
     * data's layout [n, maxLength, channels], zeros past each sequence's length: what the report
     * draws beside the sequences.
     */
    public float[] reconstruct(PaddedSequences data) {
        var ops = requireDevice().backend().tensorOps();
        // The decoder runs too: a training step's activations bound it (no gradients are kept).
        MemoryPlan.training(saved.spec(), Math.min(embedBatch, data.n()), data.maxLength(), data.n(), 1, false, false, 0)
                .require(ops);
        try (SequenceAutoencoder net = saved.instantiate(ops)) {
            return Trainer.reconstruct(ops, net, data, embedBatch);
        }
    }

    @Override
    public Assignment assign(PaddedSequences data) {
        return assignEmbeddings(embed(data), data.n());
    }

    @Override
    public Embedded embedAndAssign(PaddedSequences data) {
        float[] z = embed(data);
        return new Embedded(z, assignEmbeddings(z, data.n()));
    }

    /** Nearest centroids of embeddings [n, latent]. */
    Assignment assignEmbeddings(float[] z, int n) {
        KMeansModel.Assignment a = new KMeansModel(saved.k(), latent(), saved.centroids(), null, Double.NaN, 0, true,
                List.of()).predict(requireDevice().backend(), z, n);
        return new Assignment(a.labels(), a.inertia());
    }

    /** The saved form (package use: the pipeline and the result writer). */
    TrainedModel saved() {
        return saved;
    }

    @Override
    public void close() {
        if (ownsDevice && device != null) device.close();
    }
}
