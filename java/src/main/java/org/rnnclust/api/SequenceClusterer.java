package org.rnnclust.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.TrainConfig;

/**
 * Clusters sequences with a recurrent autoencoder: the autoencoder (RNN, LSTM or GRU) learns to
 * reconstruct the sequences, its encoder's embeddings are clustered (k-means, or spectral
 * clustering of their neighbour graph), and DEC or IDEC may then refine the encoder and the
 * centroids together. Configure it with {@link #builder()}; {@code fit} returns an immutable
 * {@link SequenceClusteringModel}.
 *
 * <pre>{@code
 * SequenceClusterer clusterer = SequenceClusterer.builder().cell(Cell.GRU).latent(8).refine(Refine.IDEC).build();
 * try (SequenceClusteringModel model = clusterer.fit(train)) {
 *     int[] clusters = model.predict(test);
 * }
 * }</pre>
 *
 * <p>The same settings, seed and data give a bitwise-identical model on the same machine. A
 * clusterer is immutable and may be shared between threads; each fit is independent.
 */
public final class SequenceClusterer {
    public static final int DEFAULT_HIDDEN = 32;
    public static final int DEFAULT_LAYERS = 1;
    public static final int DEFAULT_LATENT = 8;
    public static final int DEFAULT_EPOCHS = TrainConfig.DEFAULT_EPOCHS;
    public static final int DEFAULT_BATCH = TrainConfig.DEFAULT_BATCH;
    public static final double DEFAULT_LEARNING_RATE = TrainConfig.DEFAULT_LR;
    public static final double DEFAULT_CLIP_NORM = TrainConfig.DEFAULT_CLIP;
    public static final int DEFAULT_PATIENCE = TrainConfig.DEFAULT_PATIENCE;
    public static final double DEFAULT_MIN_DELTA = TrainConfig.DEFAULT_MIN_DELTA;
    public static final double DEFAULT_TEMPERATURE = TrainConfig.DEFAULT_TEMPERATURE;
    public static final int DEFAULT_REFINE_EPOCHS = RefineParams.DEFAULT_EPOCHS;
    public static final double DEFAULT_REFINE_WEIGHT = RefineParams.DEFAULT_KL_WEIGHT;
    public static final int DEFAULT_UPDATE_INTERVAL = RefineParams.DEFAULT_UPDATE_INTERVAL;
    public static final double DEFAULT_REFINE_TOL = RefineParams.DEFAULT_TOL;
    public static final double DEFAULT_REFINE_LEARNING_RATE = RefineParams.DEFAULT_LR;

    private static final ObjectMapper JSON = new ObjectMapper();

    final Cell cell;
    final int hidden;
    final int layers;
    final boolean bidirectional;
    final List<Integer> dilations;  // the encoder's, one per layer; empty: undilated
    final int latent;
    final int epochs;
    final int batchSize;
    final double learningRate;
    final double weightDecay;
    final double clipNorm;
    final int patience;
    final double minDelta;
    final double inputDropout;
    final Objective objective;
    final double temperature;
    final double realFakeWeight;
    final DifferentialPrivacy privacy;
    final int clusters;
    final KMeansSettings kmeans;
    final ClusterInit clusterInit;
    final Refine refine;
    final int refineEpochs;
    final double refineWeight;
    final int updateInterval;
    final double refineTol;
    final double refineLearningRate;
    final long seed;
    final int maxTrainingRows;
    final int initialWeightPerturbationUlps;
    final int members;
    final PreprocessOptions preprocessing;
    final String device;

    private SequenceClusterer(Builder b) {
        this.cell = b.cell;
        this.hidden = b.hidden;
        this.layers = b.layers;
        this.bidirectional = b.bidirectional;
        this.dilations = List.copyOf(b.dilations);
        this.latent = b.latent;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.weightDecay = b.weightDecay;
        this.clipNorm = b.clipNorm;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.inputDropout = b.inputDropout;
        this.objective = b.objective;
        this.temperature = b.temperature;
        this.realFakeWeight = b.realFakeWeight;
        this.privacy = b.privacy;
        this.clusters = b.clusters;
        this.kmeans = b.kmeans;
        this.clusterInit = b.clusterInit;
        this.refine = b.refine;
        this.refineEpochs = b.refineEpochs;
        this.refineWeight = b.refineWeight;
        this.updateInterval = b.updateInterval;
        this.refineTol = b.refineTol;
        this.refineLearningRate = b.refineLearningRate;
        this.seed = b.seed;
        this.maxTrainingRows = b.maxTrainingRows;
        this.initialWeightPerturbationUlps = b.initialWeightPerturbationUlps;
        this.members = b.members;
        this.preprocessing = b.preprocessing;
        this.device = b.device;
        // Every setting is checked here, so that a typo fails before any training.
        if (clusters < 0) throw new IllegalArgumentException("number of clusters must be >= 0 (0: one per class), got " + clusters);
        if (maxTrainingRows < 2) throw new IllegalArgumentException("maximum training rows must be >= 2, got " + maxTrainingRows);
        if (initialWeightPerturbationUlps < 0) {
            throw new IllegalArgumentException("initial weight perturbation must be >= 0 ulps, got "
                    + initialWeightPerturbationUlps);
        }
        if (members < 1) throw new IllegalArgumentException("members must be >= 1, got " + members);
        if (!dilations.isEmpty() && dilations.size() != layers) {
            throw new InputException(dilations.size() + " dilations for an encoder of " + layers
                    + " layers: give one per layer", Setting.DILATIONS, Setting.LAYERS);
        }
        if (device == null || device.isBlank()) throw new IllegalArgumentException("device name missing");
        if (privacy != null) refuseWithPrivacy();
        if (cell == null || kmeans == null || clusterInit == null || refine == null || preprocessing == null
                || objective == null) {
            throw new IllegalArgumentException("a setting is null");
        }
        spec(1);
        trainConfig();
        refineParams();
    }

    /**
     * What differentially private training cannot go with: refinement (it would train on the
     * sequences again without the guarantee), several members (each would spend the budget), and
     * objectives that couple the sequences of a batch (per-sequence clipping cannot bound them).
     */
    private void refuseWithPrivacy() {
        String why = "differentially private training covers pretraining alone";
        if (refine != Refine.NONE) {
            throw new InputException(why + ": DEC/IDEC refinement would train on the sequences again without the "
                    + "guarantee; refine with none", Setting.REFINE);
        }
        if (members != 1) throw new InputException(why + ": each of several members would spend the budget; train one",
                Setting.MEMBERS);
        if (objective != Objective.RECONSTRUCTION || realFakeWeight > 0) {
            throw new InputException(why + " with the reconstruction objective: the contrastive loss and the "
                    + "real-versus-fake task couple the sequences of a batch", Setting.OBJECTIVE, Setting.REAL_FAKE);
        }
    }

    /** The defaults: LSTM, hidden 32, one layer, latent 8, 150 epochs of 32, k-means start, DEC. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Preprocesses {@code train} with this clusterer's preprocessing, fits on the device it names
     * (which the model then owns: close the model) and returns the model. The number of clusters,
     * when 0, is the number of classes of {@code train}'s labels.
     */
    public SequenceClusteringModel fit(Dataset train) {
        Device d = Device.open(device);
        try {
            return new RecurrentFit(this, d, FitOptions.defaults()).run(PreparedData.prepare(train, null, preprocessing),
                    true);
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    /** {@link #fit(Dataset)} on a device the caller opened (and closes). */
    public SequenceClusteringModel fit(Device on, Dataset train) {
        return fit(on, PreparedData.prepare(train, null, preprocessing), FitOptions.defaults());
    }

    /**
     * Fits on already prepared data (its preprocessing is the model's; its test set, if any, is
     * only padded alike), with a listener, cancellation, checkpoints or a pretraining to start from.
     */
    public SequenceClusteringModel fit(Device on, PreparedData data, FitOptions options) {
        return new RecurrentFit(this, on, options).run(data, false);
    }

    /**
     * Fits {@code k} clusters on sequences the caller has preprocessed; the model records no
     * preprocessing (it takes sequences as they come).
     */
    public SequenceClusteringModel fit(Device on, PaddedSequences train, int k, FitOptions options) {
        return new RecurrentFit(this, on, options).run(train, k, null, java.util.List.of(), false);
    }

    /**
     * Pretrains the autoencoder alone on sequences the caller has preprocessed (with the options'
     * listener, cancellation and checkpoint): the network fits can then start from
     * ({@link FitOptions#startingFrom}).
     */
    public Pretraining pretrain(Device on, PaddedSequences train, FitOptions options) {
        if (options.startingFrom() != null) throw new IllegalArgumentException("pretraining cannot start from a pretraining");
        return new RecurrentFit(this, on, options).pretrainOnly(train);
    }

    /** A model fitted for the k {@link #sweep} chose, and the sweep. */
    public record Swept(SequenceClusteringModel model, KSweep sweep) {}

    /**
     * Pretrains once, then for every k of {@code ks} clusters the embeddings (this clusterer's
     * cluster initialisation, without refinement) and scores each k on them, keeps the k with
     * {@link KSweep#RULE}, and fits that k from the same pretraining as {@link #fit} does,
     * refinement included. The clusters setting is ignored; labels are not looked at.
     *
     * @param options a listener, a cancellation, and a checkpoint for the chosen k's fit (not a
     *                resume: a sweep restarts from the beginning)
     */
    public Swept sweep(Device on, PreparedData data, int[] ks, FitOptions options) {
        if (members > 1) {
            throw new InputException("a range of k is swept on one autoencoder, not on the consensus of " + members
                    + "; give one k or one member", Setting.MEMBERS);
        }
        if (options.resume() || options.startingFrom() != null) {
            throw new IllegalArgumentException("a sweep neither resumes nor starts from a given pretraining");
        }
        PaddedSequences train = data.train();
        KSweep.requireScorable(ks, train.n());
        for (int k : ks) checkFits(train.n(), k);
        FitOptions shared = FitOptions.defaults().withListener(options.listener()).withCancellation(options.cancelled());
        Pretraining pre = pretrain(on, train, shared);
        List<KSweep.Point> points = new java.util.ArrayList<>();
        float[] embeddings = null;
        for (int k : ks) {
            try (SequenceClusteringModel m = toBuilder().clusters(k).refine(Refine.NONE).build()
                    .fit(on, data, shared.startingFrom(pre))) {
                if (embeddings == null) embeddings = m.embed(train);  // the same network for every k
                Assignment clusters = m.fitReport().initial();
                points.add(KSweep.point(k, clusters.labels(), clusters.inertia(), embeddings, train.n(), latent, seed));
            }
        }
        KSweep sweep = KSweep.choosing(points);
        SequenceClusteringModel model = toBuilder().clusters(sweep.chosen()).build().fit(on, data,
                options.startingFrom(pre));
        return new Swept(model, sweep);
    }

    /**
     * Refuses a fit of {@code k} clusters on {@code sequences} training sequences that these settings
     * cannot do: more clusters than sequences, or spectral clustering of fewer than two. Every fit
     * checks this before it trains; a caller may check earlier, before it opens a device or writes.
     *
     * @throws InputException naming the problem and the settings to change
     */
    public void checkFits(int sequences, int k) {
        if (k < 1 || k > sequences) {
            throw new InputException(k + " clusters for " + sequences + " training sequences", Setting.CLUSTERS);
        }
        if (clusterInit.params() != null) SpectralClustering.requireEnoughPoints(sequences, k, clusterInit.params());
        if (privacy != null) privacy.checkDelta(Math.min(sequences, maxTrainingRows));
    }

    /** The number of clusters for {@code train}: the setting, or one per class of its labels. */
    public int clustersFor(Dataset train) {
        return Methods.clustersFor(clusters, train);
    }

    // ----- the engine's settings objects -----

    AutoencoderSpec spec(int channels) {
        return new AutoencoderSpec(cell.type(), channels, hidden, layers, bidirectional, latent, dilations);
    }

    TrainConfig trainConfig() {
        return new TrainConfig(epochs, batchSize, learningRate, weightDecay, clipNorm, patience, minDelta, seed,
                inputDropout, objective.objective(), temperature, realFakeWeight,
                privacy == null ? null : privacy.config());
    }

    /** Refinement runs with the pretraining's batch size, clipping and seed. */
    RefineParams refineParams() {
        return new RefineParams(refine.method(), refineEpochs, refineWeight, updateInterval, refineTol,
                refineLearningRate, batchSize, clipNorm, 1.0, seed);
    }

    /**
     * The settings that shape the pretrained network, as saved in checkpoints (a resumed run must
     * repeat them) and in the model file.
     */
    ObjectNode pretrainingSettings(int channels) {
        ObjectNode o = JSON.createObjectNode();
        o.put("cell", cell.label());
        o.put("channels", channels);
        o.put("hidden", hidden);
        o.put("layers", layers);
        o.put("bidirectional", bidirectional);
        // Only when some layer is dilated: checkpoints of undilated runs read as before.
        AutoencoderSpec spec = spec(channels);
        if (spec.dilated()) spec.dilations().forEach(o.putArray("dilations")::add);
        o.put("latent", latent);
        o.put("epochs", epochs);
        o.put("batch", batchSize);
        o.put("lr", learningRate);
        o.put("weight_decay", weightDecay);
        o.put("clip", clipNorm);
        o.put("patience", patience);
        o.put("min_delta", minDelta);
        o.put("seed", seed);
        o.put("input_dropout", inputDropout);
        // Only when not the reconstruction alone: other runs' checkpoints and model files read as before.
        if (objective != Objective.RECONSTRUCTION) {
            o.put("objective", objective.label());
            o.put("temperature", temperature);
        }
        if (realFakeWeight > 0) o.put("real_fake_weight", realFakeWeight);
        // Only when set, so that an unperturbed run's checkpoint and model file stay as they were.
        if (initialWeightPerturbationUlps != 0) o.put("initial_weight_perturbation_ulps", initialWeightPerturbationUlps);
        if (members != 1) o.put("members", members);
        if (privacy != null) {
            ObjectNode dp = o.putObject("privacy");
            dp.put("max_grad_norm", privacy.maxGradNorm());
            if (!Double.isNaN(privacy.noiseMultiplier())) dp.put("noise_multiplier", privacy.noiseMultiplier());
            dp.put("delta", privacy.delta());
            if (!Double.isNaN(privacy.targetEpsilon())) dp.put("target_epsilon", privacy.targetEpsilon());
        }
        return o;
    }

    void describeClusterInit(ObjectNode into) {
        into.put("method", clusterInit.label());
        if (clusterInit.isSpectral()) {
            into.put("neighbors", clusterInit.neighbours());
            into.put("dims", clusterInit.dimensions());
            into.put("max_rows", clusterInit.maxRows());
        }
    }

    // ----- the settings, read back -----

    public Cell cell() { return cell; }
    public int hidden() { return hidden; }
    public int layers() { return layers; }
    public boolean bidirectional() { return bidirectional; }
    /** The encoder's dilation per layer; empty when none was set (every layer 1). */
    public List<Integer> dilations() { return dilations; }
    public int latent() { return latent; }
    public int epochs() { return epochs; }
    public int batchSize() { return batchSize; }
    public double learningRate() { return learningRate; }
    public Objective objective() { return objective; }
    public double temperature() { return temperature; }
    public double realFakeWeight() { return realFakeWeight; }
    /** Differentially private pretraining; null when off. */
    public DifferentialPrivacy privacy() { return privacy; }
    public int clusters() { return clusters; }
    public KMeansSettings kmeans() { return kmeans; }
    public ClusterInit clusterInit() { return clusterInit; }
    public Refine refine() { return refine; }
    public long seed() { return seed; }
    public int initialWeightPerturbationUlps() { return initialWeightPerturbationUlps; }
    public int members() { return members; }

    /**
     * The seed of member {@code r} of a fit with several members: seed·members + r, so that the
     * members of seeds 0, 1, 2, ... never share a network.
     */
    long memberSeed(int r) {
        return seed * members + r;
    }
    public PreprocessOptions preprocessing() { return preprocessing; }

    /** The method's name in tables: "rnn-lstm", "rnn-gru-idec", ... */
    public String method() {
        return "rnn-" + cell.label() + (refine == Refine.NONE ? "" : "-" + refine.label());
    }

    @Override
    public String toString() {
        String dilated = dilations.stream().anyMatch(d -> d > 1) ? ", dilations "
                + dilations.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("/")) : "";
        return String.format(Locale.ROOT, "%s (hidden %d, layers %d%s%s, latent %d, %s start)", method(), hidden, layers,
                bidirectional ? ", bidirectional" : "", dilated, latent, clusterInit.label());
    }

    /**
     * The settings of a {@link SequenceClusterer}; every setter returns this builder. Defaults as
     * {@code rnnclust train}'s.
     */
    public static final class Builder {
        private Cell cell = Cell.LSTM;
        private int hidden = DEFAULT_HIDDEN;
        private int layers = DEFAULT_LAYERS;
        private boolean bidirectional;
        private List<Integer> dilations = List.of();
        private int latent = DEFAULT_LATENT;
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH;
        private double learningRate = DEFAULT_LEARNING_RATE;
        private double weightDecay;
        private double clipNorm = DEFAULT_CLIP_NORM;
        private int patience = DEFAULT_PATIENCE;
        private double minDelta = DEFAULT_MIN_DELTA;
        private double inputDropout;
        private Objective objective = Objective.RECONSTRUCTION;
        private double temperature = TrainConfig.DEFAULT_TEMPERATURE;
        private double realFakeWeight;
        private DifferentialPrivacy privacy;
        private int clusters;
        private KMeansSettings kmeans = KMeansSettings.defaults();
        private ClusterInit clusterInit = ClusterInit.kmeans();
        private Refine refine = Refine.DEC;
        private int refineEpochs = DEFAULT_REFINE_EPOCHS;
        private double refineWeight = DEFAULT_REFINE_WEIGHT;
        private int updateInterval = DEFAULT_UPDATE_INTERVAL;
        private double refineTol = DEFAULT_REFINE_TOL;
        private double refineLearningRate = DEFAULT_REFINE_LEARNING_RATE;
        private long seed;
        private int maxTrainingRows = Integer.MAX_VALUE;
        private int initialWeightPerturbationUlps;
        private int members = 1;
        private PreprocessOptions preprocessing = PreprocessOptions.defaults();
        private String device = "auto";

        private Builder() {}

        private Builder(SequenceClusterer c) {
            cell = c.cell;
            hidden = c.hidden;
            layers = c.layers;
            bidirectional = c.bidirectional;
            dilations = c.dilations;
            latent = c.latent;
            epochs = c.epochs;
            batchSize = c.batchSize;
            learningRate = c.learningRate;
            weightDecay = c.weightDecay;
            clipNorm = c.clipNorm;
            patience = c.patience;
            minDelta = c.minDelta;
            inputDropout = c.inputDropout;
            objective = c.objective;
            temperature = c.temperature;
            realFakeWeight = c.realFakeWeight;
            privacy = c.privacy;
            clusters = c.clusters;
            kmeans = c.kmeans;
            clusterInit = c.clusterInit;
            refine = c.refine;
            refineEpochs = c.refineEpochs;
            refineWeight = c.refineWeight;
            updateInterval = c.updateInterval;
            refineTol = c.refineTol;
            refineLearningRate = c.refineLearningRate;
            seed = c.seed;
            maxTrainingRows = c.maxTrainingRows;
            initialWeightPerturbationUlps = c.initialWeightPerturbationUlps;
            members = c.members;
            preprocessing = c.preprocessing;
            device = c.device;
        }

        /** The recurrent cell (default LSTM). */
        public Builder cell(Cell c) { cell = c; return this; }
        /** Hidden units of every recurrent layer (default 32). */
        public Builder hidden(int h) { hidden = h; return this; }
        /** Recurrent layers in the encoder and in the decoder (default 1). */
        public Builder layers(int l) { layers = l; return this; }
        /** A bidirectional encoder (default false). */
        public Builder bidirectional(boolean b) { bidirectional = b; return this; }
        /**
         * The encoder's dilation per layer, as many as layers (Chang et al. 2017; DTCR's encoder:
         * 1, 4, 16): a layer of dilation d runs its cell over the d interleaved sub-sequences.
         * Empty (the default): every layer 1.
         */
        public Builder dilations(List<Integer> d) { dilations = List.copyOf(d); return this; }
        /** Size of the embedding (default 8). */
        public Builder latent(int d) { latent = d; return this; }
        /** Pretraining epochs at most (default 150). */
        public Builder epochs(int e) { epochs = e; return this; }
        /** Sequences per optimizer step, pretraining and refinement (default 32). */
        public Builder batchSize(int b) { batchSize = b; return this; }
        /** Adam's learning rate for pretraining (default 3e-3). */
        public Builder learningRate(double lr) { learningRate = lr; return this; }
        /** L2 weight decay as torch.optim.Adam's (default 0). */
        public Builder weightDecay(double w) { weightDecay = w; return this; }
        /** Clip the global gradient norm to this; 0 = off (default 1). */
        public Builder clipNorm(double c) { clipNorm = c; return this; }
        /** Stop pretraining after this many epochs without a relative improvement of minDelta; 0 = never (default 10). */
        public Builder patience(int p) { patience = p; return this; }
        /** The relative loss improvement that counts for patience (default 1e-3). */
        public Builder minDelta(double d) { minDelta = d; return this; }
        /** Denoising pretraining: each input value zeroed with this probability (default 0). */
        public Builder inputDropout(double p) { inputDropout = p; return this; }
        /**
         * What pretraining minimises (default the reconstruction): {@link Objective#CONTRASTIVE}
         * trains the encoder alone on NT-Xent between two random views of each series,
         * {@link Objective#BOTH} adds it to the reconstruction (not with input dropout).
         */
        public Builder objective(Objective o) { objective = o; return this; }
        /** NT-Xent's temperature for the contrastive objectives (default 0.5). */
        public Builder temperature(double t) { temperature = t; return this; }
        /**
         * DTCR's auxiliary task, with this weight beside the reconstruction (default 0: off): a
         * linear classifier on the embedding tells each series from a fake with 20 % of its steps
         * shuffled. Not with input dropout or a contrastive objective.
         */
        public Builder realFakeTask(double weight) { realFakeWeight = weight; return this; }
        /**
         * Pretrain with DP-SGD ({@link DifferentialPrivacy}); null (default) = off. Goes with the
         * reconstruction objective, one member and no refinement; not with data-parallel training.
         */
        public Builder privacy(DifferentialPrivacy p) { privacy = p; return this; }
        /** The number of clusters; 0 (default) = one per class of the training labels. */
        public Builder clusters(int k) { clusters = k; return this; }
        /** k-means restarts and limits, for the first clustering (default: scikit-learn's). */
        public Builder kmeans(KMeansSettings k) { kmeans = k; return this; }
        /** How the embeddings are first clustered (default k-means). */
        public Builder clusterInit(ClusterInit c) { clusterInit = c; return this; }
        /** The refinement after the first clustering (default DEC). */
        public Builder refine(Refine r) { refine = r; return this; }
        /** Refinement epochs at most (default 50). */
        public Builder refineEpochs(int e) { refineEpochs = e; return this; }
        /** IDEC's γ in reconstruction + γ·KL (default 0.1). */
        public Builder refineWeight(double g) { refineWeight = g; return this; }
        /** Batches between target-distribution updates; 0 = once per epoch (default). */
        public Builder updateInterval(int batches) { updateInterval = batches; return this; }
        /** Stop refining when fewer than this fraction of labels change between target updates (default 1e-3). */
        public Builder refineTolerance(double t) { refineTol = t; return this; }
        /** Adam's learning rate for the refinement (default 1e-3). */
        public Builder refineLearningRate(double lr) { refineLearningRate = lr; return this; }
        /** Initialisation, shuffling, subsamples and k-means (default 0). */
        public Builder seed(long s) { seed = s; return this; }
        /**
         * Train on at most this many sequences, a seeded subsample (every sequence is still embedded
         * and clustered); default: all.
         */
        public Builder maxTrainingRows(int n) { maxTrainingRows = n; return this; }
        /**
         * A sensitivity probe, not a training setting: after the seeded initialisation and before
         * pretraining, move every initial weight of the autoencoder up by this many units in the
         * last place ({@link Math#nextUp(float)}, repeated). Comparing the fit with the unperturbed
         * one shows how much the result depends on rounding alone. Default 0 (off: the network is
         * initialised exactly as without this setting). A pretraining given to start from is used
         * as it is.
         */
        public Builder initialWeightPerturbationUlps(int ulps) { initialWeightPerturbationUlps = ulps; return this; }
        /**
         * Pretrain this many autoencoders (seeds {@code seed·members + r}) and start from their
         * consensus: each network's embedding is clustered, the partitions' consensus is taken
         * ({@link org.rnnclust.cluster.ConsensusClustering}), and the fit continues with the
         * network whose partition agrees most with it, its centroids the consensus clusters' means
         * in that network's embedding. One network's result depends on its initial weights by
         * chance; the consensus keeps what several share. Costs about {@code members} times the
         * pretraining; the model holds one network, as with 1 (the default: no consensus, the
         * seed's own network). Not with checkpoints, nor when the fit starts from a given
         * pretraining (which is then used as it is).
         */
        public Builder members(int r) { members = r; return this; }
        /** Preprocessing for {@code fit(Dataset)} (default: z-normalise each series, refuse NaN, pad). */
        public Builder preprocessing(PreprocessOptions p) { preprocessing = p; return this; }
        /** The device {@code fit(Dataset)} opens: auto (default), cpu, cuda, cuda:N. */
        public Builder device(String name) { device = name; return this; }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SequenceClusterer build() {
            return new SequenceClusterer(this);
        }
    }
}
