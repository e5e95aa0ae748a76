package org.rnnclust.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;

/**
 * Clusters sequences by the reservoir representation (rnnclust's default recurrent method,
 * {@link Methods#reservoir}): fixed random recurrent networks read each sequence, the linear model
 * of their states represents it, and k-means clusters those representations; with several
 * reservoirs, the consensus of their clusterings. Nothing is trained by gradient descent, so a fit
 * takes seconds where an autoencoder takes minutes, and it is the same on every machine.
 *
 * <pre>{@code
 * ReservoirClusterer clusterer = ReservoirClusterer.builder().clusters(3).seed(1).build();
 * try (ReservoirClusteringModel model = clusterer.fit(train)) {
 *     int[] clusters = model.predict(test);
 * }
 * }</pre>
 */
public final class ReservoirClusterer {
    private final ReservoirSettings settings;
    private final KMeansSettings kmeans;
    private final PreprocessOptions preprocessing;
    private final int clusters;
    private final long seed;
    private final String device;

    private ReservoirClusterer(Builder b) {
        if (b.settings == null || b.kmeans == null || b.preprocessing == null || b.device == null) {
            throw new IllegalArgumentException("a setting is null");
        }
        if (b.clusters < 0) throw new IllegalArgumentException("clusters must be >= 0 (0: one per class), got " + b.clusters);
        if (b.settings.views().rawWeight() > 0) {
            throw new IllegalArgumentException("the raw view (rawWeight) is screened by evaluate's method only: model "
                    + "files do not store it");
        }
        settings = b.settings;
        kmeans = b.kmeans;
        preprocessing = b.preprocessing;
        clusters = b.clusters;
        seed = b.seed;
        device = b.device;
    }

    /** The defaults: {@link ReservoirSettings#defaults()}, k-means with 10 restarts, z-normalised series, one cluster per class. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.settings = settings;
        b.kmeans = kmeans;
        b.preprocessing = preprocessing;
        b.clusters = clusters;
        b.seed = seed;
        b.device = device;
        return b;
    }

    public ReservoirSettings settings() { return settings; }
    public KMeansSettings kmeans() { return kmeans; }
    public PreprocessOptions preprocessing() { return preprocessing; }
    public int clusters() { return clusters; }
    public long seed() { return seed; }

    /**
     * Preprocesses {@code train}, fits on the device the settings name (which the model then owns:
     * close the model) and returns the model.
     */
    public ReservoirClusteringModel fit(Dataset train) {
        Device d = Device.open(device);
        try {
            return fit(d, PreparedData.prepare(train, null, preprocessing), FitOptions.defaults(), true);
        } catch (RuntimeException | Error e) {
            d.close();
            throw e;
        }
    }

    /** {@link #fit(Dataset)} on a device the caller opened (and closes). */
    public ReservoirClusteringModel fit(Device on, Dataset train) {
        return fit(on, PreparedData.prepare(train, null, preprocessing), FitOptions.defaults(), false);
    }

    /**
     * Fits on already prepared data (its preprocessing is the model's), checking
     * {@code cancelled} before each reservoir.
     *
     * @throws CancelledException when {@code cancelled} answers true
     */
    public ReservoirClusteringModel fit(Device on, PreparedData data, BooleanSupplier cancelled) {
        return fit(on, data, FitOptions.defaults().withCancellation(cancelled), false);
    }

    /**
     * The same, with the options' cancellation and listener (which hears the reservoirs fitted);
     * checkpoints do not apply (a reservoir fit has no epochs to resume).
     */
    public ReservoirClusteringModel fit(Device on, PreparedData data, FitOptions options) {
        return fit(on, data, options, false);
    }

    /** The number of clusters for {@code train}: the setting, or one per class of its labels. */
    public int clustersFor(Dataset train) {
        return Methods.clustersFor(clusters, train);
    }

    private ReservoirClusteringModel fit(Device on, PreparedData data, FitOptions options, boolean ownsDevice) {
        int k = clustersFor(data.trainRaw());
        PaddedSequences train = checkedTrainingRows(data);
        if (k > train.n()) throw new InputException(k + " clusters for " + train.n() + " training sequences", Setting.CLUSTERS);
        try (ReservoirRepresentation r = ReservoirRepresentation.fit(settings, kmeans, 0, on, read(train), k, seed,
                options.cancelled(), options.listener())) {
            return model(on, data, r, ownsDevice);
        }
    }

    /** A model fitted for the k {@link #sweep} chose, and the sweep. */
    public record Swept(ReservoirClusteringModel model, KSweep sweep) {}

    /**
     * Fits for every k of {@code ks} on one draw of the reservoirs (their model spaces are fitted
     * once; each k clusters them) and keeps the k with {@link KSweep#RULE}, scored on the training
     * embeddings; the clusters setting is ignored. The model equals {@link #fit} with that k. Labels
     * are not looked at.
     *
     * @param ks cluster counts, each between 2 and the training sequences − 1 ({@link KSweep#range})
     */
    public Swept sweep(Device on, PreparedData data, int[] ks, FitOptions options) {
        PaddedSequences train = checkedTrainingRows(data);
        KSweep.requireScorable(ks, train.n());
        ReservoirRepresentation.Swept swept = ReservoirRepresentation.sweep(settings, kmeans, on, read(train), ks, seed,
                options.cancelled(), options.listener());
        try (ReservoirRepresentation r = swept.representation()) {
            return new Swept(model(on, data, r, false), swept.sweep());
        }
    }

    private static PaddedSequences checkedTrainingRows(PreparedData data) {
        PaddedSequences train = data.train();
        if (train.n() < 2) {
            throw new InputException(data.trainRaw().name() + ": the reservoir representation needs at least 2 training "
                    + "sequences, got " + train.n());
        }
        return train;
    }

    /** The sequences the members receive: resampled to the settings' steps where they share one resolution. */
    private PaddedSequences read(PaddedSequences train) {
        return settings.resamplesUpFront() ? train.resampledTo(settings.maxSteps()) : train;
    }

    /** The model of the fitted representation {@code r} (which keeps its reservoirs: close r). */
    private ReservoirClusteringModel model(Device on, PreparedData data, ReservoirRepresentation r, boolean ownsDevice) {
        PaddedSequences train = data.train();
        List<ReservoirMember.State> states = new ArrayList<>();
        for (ReservoirMember m : r.members()) states.add(m.state());
        float[] consensus = r.members().size() > 1 ? r.clustering().centroids().clone() : null;
        Assignment training = new Assignment(r.clustering().labels().clone(), r.clustering().inertia());
        return new ReservoirClusteringModel(settings, train.channels(), r.clusters(), train.maxLength(),
                data.preprocessor(), data.trainRaw().labelNames(), states, consensus, seed, on.deterministic(), on,
                ownsDevice, training, r.trainingEmbeddings());
    }

    public static final class Builder {
        private ReservoirSettings settings = ReservoirSettings.defaults();
        private KMeansSettings kmeans = KMeansSettings.defaults();
        private PreprocessOptions preprocessing = PreprocessOptions.defaults();
        private int clusters;
        private long seed;
        private String device = "auto";

        private Builder() {}

        public Builder settings(ReservoirSettings s) { settings = s; return this; }

        public Builder kmeans(KMeansSettings k) { kmeans = k; return this; }

        public Builder preprocessing(PreprocessOptions p) { preprocessing = p; return this; }

        /** Clusters to find; 0 (the default): one per class of the training labels. */
        public Builder clusters(int k) { clusters = k; return this; }

        /** The reservoirs and k-means restarts are drawn from it. */
        public Builder seed(long s) { seed = s; return this; }

        /** "cpu", "cuda", "cuda:N" or "auto" (the default), for {@link ReservoirClusterer#fit(Dataset)}. */
        public Builder device(String d) { device = d; return this; }

        public ReservoirClusterer build() {
            return new ReservoirClusterer(this);
        }
    }
}
