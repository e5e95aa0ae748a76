package org.rnnclust.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.baseline.Pca;
import org.rnnclust.baseline.Standardization;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.io.HeaderFields;
import org.rnnclust.io.ModelFile;
import org.rnnclust.train.TrainedModel;

/**
 * A fitted reservoir clustering ({@link ReservoirClusterer}): the preprocessing fitted on the
 * training data, one or more fixed random reservoirs with the model space of their states, and the
 * clusters (one reservoir's k-means, or the consensus of several). Immutable; it computes on its
 * {@link Device}, rebuilding the reservoirs there for each call, so a loaded model computes what the
 * fitted one did, bit for bit.
 *
 * <p>Its embedding ({@link #embed}) is every reservoir's reduced model-space coordinates side by
 * side; with several reservoirs a sequence's cluster is the consensus centroid nearest to its
 * clusters under all of them, so it is not the nearest centroid of that embedding.
 *
 * <p>The model file ({@code model.rnnclust}, the same container as the autoencoder's): header
 * fields {@code kind} "rnnclust-model", {@code representation} "reservoir", {@code reservoir} (the
 * settings), {@code channels}, {@code reference_length} (the padded length of the training
 * sequences, which sets the resampling ratio), {@code preprocessing}, {@code kmeans.k},
 * {@code label_names}, {@code training.seed} and, when fitted in the deterministic mode,
 * {@code training.deterministic}; tensors per member m: {@code m<m>.reservoir.<name>}
 * (f32, PyTorch's names), {@code m<m>.states.<direction>.mean|axes|variances|total_variance},
 * {@code m<m>.scaling.mean|scale}, {@code m<m>.pca.mean|components|variances|total_variance} (f64)
 * and {@code m<m>.kmeans.centroids} (f32); with several members {@code consensus.centroids}.
 */
public final class ReservoirClusteringModel implements ClusteringModel {
    static final String REPRESENTATION = "reservoir";
    private static final String[] DIRECTIONS = {"forward", "reverse"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReservoirSettings settings;
    private final int channels;
    private final int k;
    private final int referenceLength;
    private final Preprocessor preprocessor;
    private final List<String> labelNames;
    private final List<ReservoirMember.State> members;
    /** [k, members × k]; null with one member. */
    private final float[] consensusCentroids;
    private final long seed;
    /** Fitted in the deterministic mode (recorded in the file, as the autoencoder's model records it). */
    private final boolean deterministic;
    private final Device device;
    private final boolean ownsDevice;
    /** The training sequences' clusters; null for a loaded model. */
    private final Assignment training;
    /** The training sequences' embeddings, kept from the fit; null for a loaded model. */
    private final float[] trainingEmbeddings;

    ReservoirClusteringModel(ReservoirSettings settings, int channels, int k, int referenceLength,
                             Preprocessor preprocessor, List<String> labelNames, List<ReservoirMember.State> members,
                             float[] consensusCentroids, long seed, boolean deterministic, Device device,
                             boolean ownsDevice, Assignment training, float[] trainingEmbeddings) {
        if ((members.size() > 1) != (consensusCentroids != null)) {
            throw new IllegalArgumentException(members.size() + " members with" + (consensusCentroids == null ? "out" : "")
                    + " consensus centroids");
        }
        this.settings = settings;
        this.channels = channels;
        this.k = k;
        this.referenceLength = referenceLength;
        this.preprocessor = preprocessor;
        this.labelNames = List.copyOf(labelNames);
        this.members = List.copyOf(members);
        this.consensusCentroids = consensusCentroids;
        this.seed = seed;
        this.deterministic = deterministic;
        this.device = device;
        this.ownsDevice = ownsDevice;
        this.training = training;
        this.trainingEmbeddings = trainingEmbeddings;
    }

    /**
     * Reads a reservoir model file (or DIR/model.rnnclust) and validates all of it;
     * {@link ClusteringModel#load} reads either kind.
     *
     * @throws InputException when the file is missing, damaged or not a reservoir model (one line naming it)
     */
    public static ReservoirClusteringModel load(Path fileOrDir) {
        return load(fileOrDir, ModelKeys.NONE);
    }

    /** {@link #load(Path)}, verified as {@link ClusteringModel#load(Path, ModelKeys)} verifies. */
    public static ReservoirClusteringModel load(Path fileOrDir, ModelKeys keys) {
        if (ClusteringModel.load(fileOrDir, keys) instanceof ReservoirClusteringModel model) return model;
        throw new InputException(TrainedModel.resolve(fileOrDir) + ": not a reservoir model");
    }

    static boolean isOne(ModelFile.Loaded loaded) {
        return REPRESENTATION.equals(loaded.header().path("representation").asText(""));
    }

    @Override
    public ReservoirClusteringModel on(Device other) {
        return new ReservoirClusteringModel(settings, channels, k, referenceLength, preprocessor, labelNames, members,
                consensusCentroids, seed, deterministic, other, false, training, trainingEmbeddings);
    }

    @Override
    public String method() {
        return "rnn-esn";
    }

    @Override
    public int clusters() {
        return k;
    }

    @Override
    public int channels() {
        return channels;
    }

    /** The embedding's size: the members' reduced coordinates together. */
    @Override
    public int latent() {
        int d = 0;
        for (ReservoirMember.State m : members) d += m.dimension();
        return d;
    }

    @Override
    public long parameterCount() {
        long n = consensusCentroids == null ? 0 : consensusCentroids.length;
        for (ReservoirMember.State m : members) n += m.parameterCount();
        return n;
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    public ReservoirSettings settings() {
        return settings;
    }

    /** The seed the reservoirs were drawn from. */
    public long seed() {
        return seed;
    }

    /** The training sequences' clusters and their inertia; null for a model loaded from a file. */
    public Assignment training() {
        return training;
    }

    /**
     * The training sequences' embeddings [n, latent()], as {@link #embed} gives them, kept from the
     * fit (which computed them) so that scoring the training clusters costs no second pass of the
     * reservoirs; null for a model loaded from a file.
     */
    public float[] trainingEmbeddings() {
        return trainingEmbeddings == null ? null : trainingEmbeddings.clone();
    }

    /** The device it computes on; null for a model loaded without one. */
    public Device device() {
        return device;
    }

    @Override
    public float[] embed(PaddedSequences data) {
        try (ReservoirRepresentation r = representation()) {
            return r.embed(resampled(data));
        }
    }

    @Override
    public Assignment assign(PaddedSequences data) {
        try (ReservoirRepresentation r = representation()) {
            float[] x = r.clusteringInput(requireDevice().backend(), resampled(data));
            KMeansModel.Assignment a = r.clustering().predict(requireDevice().backend(), x, data.n());
            return new Assignment(a.labels(), a.inertia());
        }
    }

    @Override
    public Embedded embedAndAssign(PaddedSequences data) {
        try (ReservoirRepresentation r = representation()) {
            float[][] both = r.embedAndClusteringInput(requireDevice().backend(), resampled(data));
            KMeansModel.Assignment a = r.clustering().predict(requireDevice().backend(), both[1], data.n());
            return new Embedded(both[0], new Assignment(a.labels(), a.inertia()));
        }
    }

    /**
     * The sequences as the members receive them: resampled by the training sequences' ratio where
     * they share one resolution (members at steps of their own resample them by that ratio themselves).
     */
    private PaddedSequences resampled(PaddedSequences data) {
        return settings.resamplesUpFront() ? data.resampledLike(referenceLength, settings.maxSteps()) : data;
    }

    /** The reservoirs rebuilt on the device, and the final clustering. */
    private ReservoirRepresentation representation() {
        Device on = requireDevice();
        List<ReservoirMember> live = new ArrayList<>();
        try {
            for (ReservoirMember.State m : members) live.add(ReservoirMember.restore(m, settings, on));
            KMeansModel consensus = consensusCentroids == null ? null
                    : new KMeansModel(k, members.size() * k, consensusCentroids, null, Double.NaN, 0, true, List.of());
            return new ReservoirRepresentation(live, consensus, k);
        } catch (RuntimeException | Error e) {
            live.forEach(ReservoirMember::close);
            throw e;
        }
    }

    private Device requireDevice() {
        if (device == null) throw new IllegalStateException("this model has no device: use on(device)");
        return device;
    }

    @Override
    public void save(Path file, ModelKeys keys) {
        ObjectNode h = JSON.createObjectNode();
        h.put("kind", TrainedModel.KIND);
        h.put("representation", REPRESENTATION);
        ObjectNode r = h.putObject("reservoir");
        r.put("units", settings.units());
        r.put("spectral_radius", settings.spectralRadius());
        r.put("input_scaling", settings.inputScaling());
        r.put("density", settings.density());
        r.put("bidirectional", settings.bidirectional());
        r.put("components", settings.components());
        r.put("ridge", settings.ridge());
        r.put("max_steps", settings.maxSteps());
        r.put("members", settings.members());
        ObjectNode pca = r.putObject("pca");
        pca.put("components", settings.pca().components());
        pca.put("variance", settings.pca().variance());
        pca.put("max_components", settings.pca().maxComponents());
        // Written only when there are views, so that a model without them keeps the bytes it had before they existed.
        ReservoirViews views = settings.views();
        if (!views.none()) {
            ObjectNode v = r.putObject("views");
            v.put("differences", views.differences());
            ArrayNode steps = v.putArray("member_steps");
            views.memberSteps().forEach(steps::add);
        }
        h.put("channels", channels);
        h.put("reference_length", referenceLength);
        TrainedModel.describePreprocessing(preprocessor, h.putObject("preprocessing"));
        h.putObject("kmeans").put("k", k);
        ArrayNode labels = h.putArray("label_names");
        labelNames.forEach(labels::add);
        // The seed as a string: JSON readers that hold numbers as doubles would round a 64-bit seed.
        ObjectNode fit = h.putObject("training");
        fit.put("seed", Long.toString(seed));
        if (deterministic) fit.put("deterministic", true);
        List<ModelFile.Tensor> tensors = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            ReservoirMember.State s = members.get(m);
            String p = "m" + m + ".";
            int units = settings.units();
            for (Map.Entry<String, float[]> w : s.weights().entrySet()) {
                String name = w.getKey();
                int[] shape = name.startsWith("weight_ih") ? new int[] {units, s.inputs()}
                        : name.startsWith("weight_hh") ? new int[] {units, units} : new int[] {units};
                tensors.add(new ModelFile.Tensor(p + "reservoir." + name, shape, w.getValue()));
            }
            for (int d = 0; d < s.stateMeans().length; d++) {
                String q = p + "states." + DIRECTIONS[d] + ".";
                int c = s.stateVariances()[d].length;
                tensors.add(ModelFile.Tensor.ofDoubles(q + "mean", new int[] {units}, s.stateMeans()[d]));
                tensors.add(ModelFile.Tensor.ofDoubles(q + "axes", new int[] {c, units}, s.stateAxes()[d]));
                tensors.add(ModelFile.Tensor.ofDoubles(q + "variances", new int[] {c}, s.stateVariances()[d]));
                tensors.add(ModelFile.Tensor.ofDoubles(q + "total_variance", new int[] {1},
                        new double[] {s.stateTotalVariances()[d]}));
            }
            int coordinates = s.scalingMean().length;
            int reduced = s.dimension();
            tensors.add(ModelFile.Tensor.ofDoubles(p + "scaling.mean", new int[] {coordinates}, s.scalingMean()));
            tensors.add(ModelFile.Tensor.ofDoubles(p + "scaling.scale", new int[] {coordinates}, s.scalingScale()));
            tensors.add(ModelFile.Tensor.ofDoubles(p + "pca.mean", new int[] {coordinates}, s.pcaMean()));
            tensors.add(ModelFile.Tensor.ofDoubles(p + "pca.components", new int[] {reduced, coordinates},
                    s.pcaComponents()));
            tensors.add(ModelFile.Tensor.ofDoubles(p + "pca.variances", new int[] {reduced}, s.pcaVariance()));
            tensors.add(ModelFile.Tensor.ofDoubles(p + "pca.total_variance", new int[] {1},
                    new double[] {s.pcaTotalVariance()}));
            tensors.add(new ModelFile.Tensor(p + "kmeans.centroids", new int[] {k, reduced}, s.centroids()));
        }
        if (consensusCentroids != null) {
            tensors.add(new ModelFile.Tensor("consensus.centroids", new int[] {k, members.size() * k}, consensusCentroids));
        }
        ModelFile.write(file, h, tensors, keys.signer());
    }

    /** The reservoir model in {@code file}, whose content {@code loaded} holds; every problem is one line naming the file. */
    static ReservoirClusteringModel from(ModelFile.Loaded loaded, Path file) {
        JsonNode h = loaded.header();
        TrainedModel.requireModelKind(h, file);
        Map<String, ModelFile.Tensor> t = loaded.tensors();
        try {
            JsonNode r = HeaderFields.field(h, "reservoir");
            JsonNode pca = HeaderFields.field(r, "pca");
            ReservoirSettings settings = new ReservoirSettings(HeaderFields.count(r, "units", 1 << 16),
                    HeaderFields.number(r, "spectral_radius"), HeaderFields.number(r, "input_scaling"),
                    HeaderFields.number(r, "density"), HeaderFields.bool(r, "bidirectional"),
                    HeaderFields.count(r, "components", 1 << 16), HeaderFields.number(r, "ridge"),
                    HeaderFields.integer(r, "max_steps", 0, Integer.MAX_VALUE),
                    new PcaSettings(HeaderFields.integer(pca, "components", 0, 1 << 20), HeaderFields.number(pca, "variance"),
                            HeaderFields.count(pca, "max_components", 1 << 20)),
                    // Each member needs tensors in the file: the tensor count bounds the members.
                    HeaderFields.count(r, "members", Math.max(1, t.size())), views(r));
            int channels = HeaderFields.count(h, "channels", 1 << 20);
            int referenceLength = HeaderFields.count(h, "reference_length", Integer.MAX_VALUE);
            Preprocessor prep = TrainedModel.readPreprocessing(HeaderFields.field(h, "preprocessing"), channels);
            int k = HeaderFields.count(HeaderFields.field(h, "kmeans"), "k", Integer.MAX_VALUE);
            List<String> labels = new ArrayList<>();
            h.path("label_names").forEach(n -> labels.add(n.asText()));
            JsonNode fit = HeaderFields.field(h, "training");
            long seed = Long.parseLong(HeaderFields.text(fit, "seed"));
            boolean deterministic = fit.has("deterministic") && HeaderFields.bool(fit, "deterministic");
            List<ReservoirMember.State> members = new ArrayList<>();
            for (int m = 0; m < settings.members(); m++) {
                members.add(member(t, "m" + m + ".", settings, ReservoirMember.SequenceReading.of(settings, m,
                        referenceLength), channels, k));
            }
            float[] consensus = null;
            if (settings.members() > 1) consensus = floats(t, "consensus.centroids", (long) k * settings.members() * k);
            ReservoirClusteringModel model = new ReservoirClusteringModel(settings, channels, k, referenceLength, prep,
                    labels, members, consensus, seed, deterministic, null, false, null, null);
            int expected = members.size() > 1 ? 1 : 0;
            for (ReservoirMember.State s : members) expected += s.weights().size() + 4 * s.stateMeans().length + 7;
            if (t.size() != expected) {
                throw new IllegalArgumentException(t.size() + " tensors, the settings need " + expected);
            }
            return model;
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new InputException(file + ": malformed reservoir model: " + e.getMessage());
        }
    }

    /** The views of a header's "reservoir" object: none when it names none (every file written before they existed). */
    private static ReservoirViews views(JsonNode reservoir) {
        if (!reservoir.has("views")) return ReservoirViews.NONE;
        JsonNode v = HeaderFields.field(reservoir, "views");
        int steps = HeaderFields.field(v, "member_steps").size();
        return new ReservoirViews(HeaderFields.bool(v, "differences"),
                HeaderFields.integers(v, "member_steps", steps, 0, Integer.MAX_VALUE), 0);
    }

    private static ReservoirMember.State member(Map<String, ModelFile.Tensor> t, String p, ReservoirSettings settings,
                                                ReservoirMember.SequenceReading reading, int channels, int k) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, ModelFile.Tensor> e : t.entrySet()) {
            if (e.getKey().startsWith(p + "reservoir.")) {
                weights.put(e.getKey().substring((p + "reservoir.").length()), e.getValue().data());
            }
        }
        int directions = settings.bidirectional() ? 2 : 1;
        int units = settings.units();
        double[][] means = new double[directions][];
        double[][] axes = new double[directions][];
        double[][] variances = new double[directions][];
        double[] totals = new double[directions];
        for (int d = 0; d < directions; d++) {
            String q = p + "states." + DIRECTIONS[d] + ".";
            means[d] = doubles(t, q + "mean", units);
            variances[d] = doubles(t, q + "variances", -1);
            axes[d] = doubles(t, q + "axes", (long) variances[d].length * units);
            totals[d] = doubles(t, q + "total_variance", 1)[0];
        }
        double[] scalingMean = doubles(t, p + "scaling.mean", -1);
        int coordinates = scalingMean.length;
        double[] pcaVariance = doubles(t, p + "pca.variances", -1);
        ReservoirMember.State s = new ReservoirMember.State(reading, reading.inputs(channels), weights, means, axes, variances, totals,
                scalingMean, doubles(t, p + "scaling.scale", coordinates), doubles(t, p + "pca.mean", coordinates),
                doubles(t, p + "pca.components", (long) pcaVariance.length * coordinates), pcaVariance,
                doubles(t, p + "pca.total_variance", 1)[0],
                floats(t, p + "kmeans.centroids", (long) k * pcaVariance.length));
        check(s, settings);
        return s;
    }

    /** What restoring the member on a device would refuse, checked without one (and non-finite values). */
    private static void check(ReservoirMember.State s, ReservoirSettings settings) {
        int units = settings.units();
        int directions = settings.bidirectional() ? 2 : 1;
        if (s.weights().size() != 4 * directions) {
            throw new IllegalArgumentException(s.weights().size() + " reservoir weights, the settings need " + 4 * directions);
        }
        for (int d = 0; d < directions; d++) {
            String suffix = "_l0" + (d == 1 ? "_reverse" : "");
            long[] sizes = {(long) units * s.inputs(), (long) units * units, units, units};
            String[] names = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"};
            for (int i = 0; i < names.length; i++) {
                float[] w = s.weights().get(names[i] + suffix);
                if (w == null) throw new IllegalArgumentException("reservoir weight " + names[i] + suffix + " is missing or not f32");
                if (w.length != sizes[i]) {
                    throw new IllegalArgumentException("reservoir weight " + names[i] + suffix + " holds " + w.length
                            + " values, not " + sizes[i]);
                }
                for (float v : w) {
                    if (!Float.isFinite(v)) throw new IllegalArgumentException("reservoir weight " + names[i] + suffix + " holds " + v);
                }
            }
        }
        int c = s.stateVariances()[0].length;
        for (double[] v : s.stateVariances()) {
            if (v.length != c || c < 1 || c > settings.components()) {
                throw new IllegalArgumentException("state axes: " + v.length + " per direction, at most " + settings.components());
            }
        }
        int coordinates = directions * c * (c + 1);
        if (s.scalingMean().length != coordinates) {
            throw new IllegalArgumentException("the standardisation has " + s.scalingMean().length + " coordinates, "
                    + c + " state axes make " + coordinates);
        }
        Standardization.of(s.scalingMean(), s.scalingScale());
        Pca.of(s.pcaMean(), s.pcaComponents(), s.pcaVariance(), s.pcaTotalVariance());
        for (int d = 0; d < directions; d++) {
            Pca.of(s.stateMeans()[d], s.stateAxes()[d], s.stateVariances()[d], s.stateTotalVariances()[d]);
        }
        for (float v : s.centroids()) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("a k-means centroid is " + v);
        }
    }

    /** Tensor {@code name}, f64, of {@code size} values (any when negative). */
    private static double[] doubles(Map<String, ModelFile.Tensor> t, String name, long size) {
        ModelFile.Tensor x = t.get(name);
        if (x == null || !x.isDouble()) throw new IllegalArgumentException("f64 tensor '" + name + "' is missing");
        if (size >= 0 && x.size() != size) {
            throw new IllegalArgumentException("tensor '" + name + "' holds " + x.size() + " values, not " + size);
        }
        return x.doubles();
    }

    /** Tensor {@code name}, f32, of {@code size} values. */
    private static float[] floats(Map<String, ModelFile.Tensor> t, String name, long size) {
        ModelFile.Tensor x = t.get(name);
        if (x == null || x.isDouble()) throw new IllegalArgumentException("f32 tensor '" + name + "' is missing");
        if (x.size() != size) throw new IllegalArgumentException("tensor '" + name + "' holds " + x.size() + " values, not " + size);
        return x.data();
    }

    @Override
    public void close() {
        if (ownsDevice && device != null) device.close();
    }
}
