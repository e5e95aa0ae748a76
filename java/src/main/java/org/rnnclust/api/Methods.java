package org.rnnclust.api;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.baseline.Dtw;
import org.rnnclust.baseline.DtwKMeans;
import org.rnnclust.baseline.ForestSpectralEmbedding;
import org.rnnclust.baseline.KShape;
import org.rnnclust.baseline.Pca;
import org.rnnclust.baseline.SeriesClustering;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.TemporalAutoencoder;
import org.rnnclust.nn.TemporalAutoencoderSpec;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;

/**
 * The clustering methods: k-means on the raw series and the classical baselines, and the
 * recurrent autoencoder of a {@link SequenceClusterer}, each "an embedding, then k-means on it"
 * behind one {@link ClusteringMethod} interface, so that they are fitted, assigned and compared
 * alike.
 */
public final class Methods {
    private Methods() {}

    private static final AutoCloseable NOTHING = () -> {};

    /**
     * The number of clusters every method fits on {@code train}: {@code requested}, or with 0 one
     * per class of its labels; at most its number of sequences.
     *
     * @throws InputException when 0 is asked of unlabelled data, or more clusters than sequences
     */
    public static int clustersFor(int requested, Dataset train) {
        int k = requested;
        if (k == 0) {
            if (!train.hasLabels()) {
                throw new InputException(train.name() + ": no labels, so the number of clusters must be given",
                        Setting.CLUSTERS);
            }
            k = train.numClasses();
        }
        if (k > train.size()) {
            throw new InputException(k + " clusters exceed the number of training sequences (" + train.size() + ")",
                    Setting.CLUSTERS);
        }
        return k;
    }

    /** k-means on the flattened (padded) preprocessed series: the baseline every embedding must beat. */
    public static ClusteringMethod rawKMeans(KMeansSettings kmeans) {
        return rawKMeans(kmeans, FitListener.NONE);
    }

    /** The same, telling {@code listener} of each restart (phase {@link FitListener.Phase#KMEANS}). */
    public static ClusteringMethod rawKMeans(KMeansSettings kmeans, FitListener listener) {
        return new ClusteringMethod() {
            @Override public String name() { return "kmeans"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                KMeansModel km;
                listener.phaseStarted(FitListener.Phase.KMEANS, kmeans.params(k, seed).nInit());
                try {
                    km = new KMeans(kmeans.params(k, seed), done -> listener.stepFinished(FitListener.Phase.KMEANS, done))
                            .fit(device.backend(), train.values(), train.n(), train.rowSize());
                } finally {
                    listener.phaseEnded(FitListener.Phase.KMEANS);
                }
                return new FittedClustering(name(), device, PaddedSequences::values, train.rowSize(), km,
                        (long) k * train.rowSize(), km.iterations(), "iterations", List.of(), NOTHING, 0);
            }
        };
    }

    /** PCA of the flattened series (components by {@code pca}), then k-means on the projections. */
    public static ClusteringMethod pcaKMeans(PcaSettings pca, KMeansSettings kmeans) {
        return new ClusteringMethod() {
            @Override public String name() { return "pca-kmeans"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                Pca fitted = Pca.fit(train.values(), train.n(), train.rowSize(), pca.rule(),
                        device.backend().deterministic());
                float[] z = fitted.transform(train.values(), train.n());
                KMeansModel km = new KMeans(kmeans.params(k, seed)).fit(device.backend(), z, train.n(),
                        fitted.components());
                return new FittedClustering(name(), device, x -> fitted.transform(x.values(), x.n()),
                        fitted.components(), km, fitted.parameterCount() + (long) k * fitted.components(),
                        km.iterations(), "iterations", List.of(), NOTHING, 0);
            }
        };
    }

    /**
     * Totally random trees, the spectral embedding of their proximity (shared leaves), then
     * k-means: the random-forest baseline.
     */
    public static ClusteringMethod forest(ForestSettings forest, KMeansSettings kmeans) {
        return new ClusteringMethod() {
            @Override public String name() { return "forest"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                ForestSpectralEmbedding emb = ForestSpectralEmbedding.fit(train.values(), train.n(), train.rowSize(), k,
                        forest.params(), seed, device.backend().deterministic());
                float[] z = emb.embed(train.values(), train.n());
                KMeansModel km = new KMeans(kmeans.params(k, seed)).fit(device.backend(), z, train.n(),
                        emb.dimensions());
                return new FittedClustering(name(), device, x -> emb.embed(x.values(), x.n()), emb.dimensions(), km,
                        emb.parameterCount() + (long) k * emb.dimensions(), km.iterations(), "iterations", List.of(),
                        NOTHING, 0);
            }
        };
    }

    /**
     * k-Shape (Paparrizos and Gravano, 2015): k-means under the shape-based distance (normalised
     * cross-correlation over every shift) with centroids by shape extraction
     * ({@link KShape}). New sequences are assigned by the same distance.
     */
    public static ClusteringMethod kShape(KShapeSettings settings) {
        return new ClusteringMethod() {
            @Override public String name() { return "kshape"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                SeriesClustering fit = KShape.fit(train, k, settings.params(), seed, device.backend().deterministic());
                return FittedClustering.ofSeriesCentroids(name(), device, train.rowSize(), asKMeansModel(fit),
                        data -> asAssignment(KShape.assign(fit, data), false));
            }
        };
    }

    /**
     * k-means under dynamic time warping within a Sakoe–Chiba band, with DBA centroids
     * (Petitjean et al., 2011; {@link DtwKMeans}). New sequences are assigned by the same distance.
     */
    public static ClusteringMethod dtwKMeans(DtwKMeansSettings settings) {
        return new ClusteringMethod() {
            @Override public String name() { return "dtw-kmeans"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                SeriesClustering fit = DtwKMeans.fit(train, k, settings.params(), seed);
                int radius = Dtw.radius(settings.window(), train.maxLength());
                return FittedClustering.ofSeriesCentroids(name(), device, train.rowSize(), asKMeansModel(fit),
                        data -> asAssignment(DtwKMeans.assign(fit, data, radius), true));
            }
        };
    }

    /**
     * The reservoir model space of an echo state network ({@link org.rnnclust.nn.ReservoirModelSpace}, Bianchi et
     * al., 2021): a fixed random recurrent network, drawn from the seed, reads each sequence; the
     * linear model of its states is the sequence's coordinates, which are standardised, reduced by
     * PCA and clustered by k-means, all fitted on the training sequences; with several members, the
     * consensus of that many reservoirs ({@link ReservoirSettings#members}). Nothing is trained by
     * gradient descent: a fit costs two passes of each reservoir over the data.
     */
    public static ClusteringMethod reservoir(ReservoirSettings settings, KMeansSettings kmeans) {
        return reservoir(settings, kmeans, 0);
    }

    /**
     * The same, every reservoir weight moved up by {@code perturbationUlps} ulps after it is drawn
     * (the sensitivity probe of evaluate; 0: none).
     */
    public static ClusteringMethod reservoir(ReservoirSettings settings, KMeansSettings kmeans, int perturbationUlps) {
        if (perturbationUlps < 0) throw new IllegalArgumentException("perturbation must be >= 0 ulps");
        ClusteringMethod method = new ClusteringMethod() {
            @Override public String name() { return "rnn"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                ReservoirRepresentation r = ReservoirRepresentation.fit(settings, kmeans, perturbationUlps, device, train,
                        k, seed);
                KMeansModel clustering = r.clustering();
                return new FittedClustering(name(), device, data -> r.clusteringInput(device.backend(), data),
                        r.clusteringDimension(), clustering, r.parameterCount(), clustering.iterations(), "iterations",
                        List.of(), r, 0);
            }
        };
        return settings.resamplesUpFront() ? onResampled(method, settings.maxSteps()) : method;
    }

    private static KMeansModel asKMeansModel(SeriesClustering fit) {
        return new KMeansModel(fit.k(), fit.length() * fit.channels(), fit.centroidsAsFloats(), fit.labels(),
                fit.inertia(), fit.iterations(), fit.converged(), List.of());
    }

    /** The labels, and the sum of the distances ({@code squared}: of their squares) as the inertia. */
    private static Assignment asAssignment(SeriesClustering.Nearest nearest, boolean squared) {
        double inertia = 0;
        for (double d : nearest.distances()) inertia += squared ? d * d : d;
        return new Assignment(nearest.labels(), inertia);
    }

    /**
     * A {@link SequenceClusterer}, configured for each training set by {@code configure} (its
     * epochs may depend on the set's size), fitted with the given seed and k. With a
     * {@code pretrained} map (null: none), a network already pretrained for the seed is reused
     * (its training time counted in the fit's) and a new one is stored: the recurrent methods of
     * one dataset (with and without refinement) then refine the same network, a paired comparison
     * at a third of the cost.
     */
    public static ClusteringMethod recurrent(String name, Function<PaddedSequences, SequenceClusterer> configure,
                                             Map<Long, Pretraining> pretrained) {
        return new ClusteringMethod() {
            @Override public String name() { return name; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                SequenceClusterer clusterer = configure.apply(train).toBuilder().seed(seed).build();
                Pretraining reuse = pretrained == null ? null : pretrained.get(seed);
                FitOptions options = reuse == null ? FitOptions.defaults() : FitOptions.defaults().startingFrom(reuse);
                SequenceClusteringModel model = clusterer.fit(device, train, k, options);
                FitReport report = model.fitReport();
                if (pretrained != null && reuse == null) pretrained.put(seed, report.pretraining());
                RefinementSummary r = report.refinement();
                KMeansModel centroids = new KMeansModel(k, model.latent(), model.centroids(), report.training().labels(),
                        report.training().inertia(), r != null ? r.epochs() : report.initialIterations(),
                        r != null ? r.converged() : report.initialConverged(), List.of());
                return new FittedClustering(name, device, model::embed, model.latent(), centroids,
                        model.parameterCount() + (long) k * model.latent(), report.pretraining().epochs() + (r != null ? r.epochs() : 0), "epochs",
                        report.pretraining().lossHistory(), model, report.reusedSeconds());
            }
        };
    }

    /**
     * Lafabregue et al.'s biLSTM-AE + k-means: DTC's temporal autoencoder
     * ({@link TemporalAutoencoder}: convolution, max pooling, two bidirectional LSTM layers whose
     * every pooled step is kept in the embedding) pretrained on the training series' reconstruction
     * as {@code settings} say, then k-means on the embeddings. The network reads every step, so the
     * embedding has (steps / 10) × 100 numbers; shorter series are read zero-padded to the longest
     * (their padding counts as data, as raw k-means counts it). Every initial weight is moved up by
     * {@code perturbationUlps} ulps (the sensitivity probe of evaluate; 0: none).
     */
    public static ClusteringMethod temporalAutoencoder(TemporalAutoencoderSettings settings, KMeansSettings kmeans,
                                                       int perturbationUlps) {
        if (perturbationUlps < 0) throw new IllegalArgumentException("perturbation must be >= 0 ulps");
        return new ClusteringMethod() {
            @Override public String name() { return "rnn-tae"; }

            @Override
            public FittedClustering fit(Device device, PaddedSequences sequences, int k, long seed) {
                TensorOps ops = device.backend().tensorOps();
                int steps = sequences.maxLength();
                PaddedSequences train = zeroPaddedTo(sequences, steps);
                TemporalAutoencoder net = new TemporalAutoencoder(ops,
                        TemporalAutoencoderSpec.dtc(train.channels(), steps), seed, settings.weightInit());
                try {
                    if (perturbationUlps > 0) for (Parameter p : net.parameters()) p.moveUpByUlps(perturbationUlps);
                    TrainConfig config = new TrainConfig(settings.epochs(train.n()), settings.batchSize(),
                            settings.learningRate(), 0, 0, 0, TrainConfig.DEFAULT_MIN_DELTA, seed);
                    TrainingResult pretraining = new Trainer(ops, config, null).train(net, train);
                    int d = net.embeddingSize();
                    float[] embeddings = Trainer.embed(ops, net, train, settings.batchSize());
                    KMeansModel km = new KMeans(kmeans.params(k, seed)).fit(device.backend(), embeddings, train.n(), d);
                    return new FittedClustering(name(), device,
                            data -> Trainer.embed(ops, net, zeroPaddedTo(data, steps), settings.batchSize()),
                            d, km, net.parameterCount() + (long) k * d, pretraining.epochs(), "epochs",
                            pretraining.lossHistory(), net, 0);
                } catch (RuntimeException | Error e) {
                    net.close();
                    throw e;
                }
            }
        };
    }

    /**
     * {@code data} as series of exactly {@code steps} steps, their padding read as zeros (as raw
     * k-means reads it): the temporal autoencoder's embedding has one part per pooled step.
     *
     * @throws InputException when a series is longer than the fitted length
     */
    private static PaddedSequences zeroPaddedTo(PaddedSequences data, int steps) {
        if (data.maxLength() > steps) {
            throw new InputException("rnn-tae was fitted on series of " + steps + " steps; these have up to "
                    + data.maxLength());
        }
        int[] lengths = new int[data.n()];
        Arrays.fill(lengths, steps);
        if (data.maxLength() == steps) return new PaddedSequences(data.n(), steps, data.channels(), data.values(), lengths);
        int c = data.channels();
        float[] values = new float[Math.multiplyExact(Math.multiplyExact(data.n(), steps), c)];
        for (int i = 0; i < data.n(); i++) {
            System.arraycopy(data.values(), i * data.maxLength() * c, values, i * steps * c, data.maxLength() * c);
        }
        return new PaddedSequences(data.n(), steps, c, values, lengths);
    }

    /**
     * {@code method} on the sequences resampled to at most {@code maxSteps} steps
     * ({@link PaddedSequences#resampledTo}): the set it fits on and every set it then embeds, so
     * that training and test data go through the same resampling.
     */
    public static ClusteringMethod onResampled(ClusteringMethod method, int maxSteps) {
        return new ClusteringMethod() {
            @Override public String name() { return method.name(); }

            @Override
            public FittedClustering fit(Device device, PaddedSequences train, int k, long seed) {
                return method.fit(device, train.resampledTo(maxSteps), k, seed)
                        .viewedThrough(data -> data.resampledTo(maxSteps));
            }
        };
    }
}
