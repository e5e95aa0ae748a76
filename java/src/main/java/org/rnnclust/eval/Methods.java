package org.rnnclust.eval;

import java.util.List;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.baseline.ForestParams;
import org.rnnclust.baseline.ForestSpectralEmbedding;
import org.rnnclust.baseline.Pca;
import org.rnnclust.baseline.PcaComponents;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.Refinement;
import org.rnnclust.train.RefinementResult;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingListener;
import org.rnnclust.train.TrainingResult;

/** The clustering methods the evaluation compares, each an embedding followed by k-means. */
public final class Methods {
    private Methods() {}

    private static final AutoCloseable NOTHING = () -> {};

    private static KMeansModel kmeans(Backend backend, KMeansParams params, float[] x, int n, int d) {
        return new KMeans(params).fit(backend, x, n, d);
    }

    /** k-means on the flattened (padded) preprocessed series. */
    public static ClusteringMethod rawKMeans(int nInit) {
        return new ClusteringMethod() {
            @Override public String name() { return "kmeans"; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                KMeansModel km = kmeans(backend, KMeansParams.of(k, seed).withNInit(nInit), train.values(), train.n(),
                        train.rowSize());
                return new FittedClustering(name(), (b, x) -> x.values(), train.rowSize(), km,
                        (long) k * train.rowSize(), km.iterations(), "iterations", List.of(), NOTHING);
            }
        };
    }

    /** PCA of the flattened series (components by {@code rule}), then k-means on the projections. */
    public static ClusteringMethod pcaKMeans(PcaComponents rule, int nInit) {
        return new ClusteringMethod() {
            @Override public String name() { return "pca-kmeans"; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                Pca pca = Pca.fit(train.values(), train.n(), train.rowSize(), rule);
                float[] z = pca.transform(train.values(), train.n());
                KMeansModel km = kmeans(backend, KMeansParams.of(k, seed).withNInit(nInit), z, train.n(),
                        pca.components());
                return new FittedClustering(name(), (b, x) -> pca.transform(x.values(), x.n()), pca.components(), km,
                        pca.parameterCount() + (long) k * pca.components(), km.iterations(), "iterations", List.of(),
                        NOTHING);
            }
        };
    }

    /** Spectral embedding of a totally-random-trees proximity, then k-means (see ForestSpectralEmbedding). */
    public static ClusteringMethod forest(ForestParams params, int nInit) {
        return new ClusteringMethod() {
            @Override public String name() { return "forest"; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                ForestSpectralEmbedding emb = ForestSpectralEmbedding.fit(train.values(), train.n(), train.rowSize(), k,
                        params, seed);
                float[] z = emb.embed(train.values(), train.n());
                KMeansModel km = kmeans(backend, KMeansParams.of(k, seed).withNInit(nInit), z, train.n(),
                        emb.dimensions());
                return new FittedClustering(name(), (b, x) -> emb.embed(x.values(), x.n()), emb.dimensions(), km,
                        emb.parameterCount() + (long) k * emb.dimensions(), km.iterations(), "iterations", List.of(),
                        NOTHING);
            }
        };
    }

    /**
     * A recurrent sequence autoencoder trained on the training sequences (train's Trainer), then
     * k-means on the embeddings of all of them. {@code spec} is given the channel count of the data;
     * {@code config} the rows and steps of the sequences it trains on (their epochs depend on it);
     * at most {@code maxRows} training sequences, a seeded subsample, are used to train.
     * With a {@code cache} (null: none), a network already pretrained for this seed is reused
     * (its training time counted in the fit's), and a new one is stored.
     */
    public static ClusteringMethod rnn(java.util.function.IntFunction<AutoencoderSpec> spec,
                                       java.util.function.BiFunction<Integer, Integer, TrainConfig> config,
                                       int maxRows, int nInit, SpectralClustering.Params spectral,
                                       TrainingListener listener, Pretrained.Cache cache) {
        return new ClusteringMethod() {
            @Override public String name() { return "rnn"; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                RnnFit f = RnnFit.of(backend, train, k, seed, spec, config, maxRows, nInit, spectral, listener, cache);
                return f.result(name(), f.km, 0);
            }
        };
    }

    /**
     * {@code rnn}, then DEC or IDEC refinement of the encoder and the centroids on the rows the
     * network trained on (Refinement); new sequences go to the nearest refined centroid of their
     * refined embedding, which is the Student-t soft assignment's argmax.
     *
     * @param refineEpochs the refinement's epoch limit for a training set of (rows, steps)
     */
    public static ClusteringMethod rnnRefined(RefineMethod method, java.util.function.IntFunction<AutoencoderSpec> spec,
                                              java.util.function.BiFunction<Integer, Integer, TrainConfig> config,
                                              java.util.function.BiFunction<Integer, Integer, Integer> refineEpochs,
                                              int maxRows, int nInit, SpectralClustering.Params spectral,
                                              TrainingListener listener, Pretrained.Cache cache) {
        String name = "rnn-" + method.label();
        return new ClusteringMethod() {
            @Override public String name() { return name; }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                RnnFit f = RnnFit.of(backend, train, k, seed, spec, config, maxRows, nInit, spectral, listener, cache);
                try {
                    int batch = f.config.batchSize();
                    RefineParams p = RefineParams.defaults(method, batch, seed)
                            .withEpochs(refineEpochs.apply(f.fitRows.n(), f.fitRows.maxLength()));
                    RefinementResult r = new Refinement(backend, p, listener).refine(f.net, f.fitRows, f.km.centroids(), k);
                    KMeansModel.Assignment onTrain = Refinement.assign(backend, f.net, train, r.centroids(), k, batch);
                    KMeansModel refined = new KMeansModel(k, f.km.d(), r.centroids(), onTrain.labels(),
                            onTrain.inertia(), r.epochs(), r.converged(), List.of());
                    return f.result(name, refined, r.epochs());
                } catch (RuntimeException e) {
                    f.net.close();
                    throw e;
                }
            }
        };
    }

    /**
     * {@code m} on the sequences resampled to at most {@code maxSteps} steps
     * ({@link PaddedSequences#resampledTo}): the set it fits on and every set it then embeds, so
     * that TRAIN and TEST go through the same resampling.
     */
    public static ClusteringMethod onResampled(ClusteringMethod m, int maxSteps) {
        return new ClusteringMethod() {
            @Override public String name() { return m.name(); }

            @Override
            public FittedClustering fit(Backend backend, PaddedSequences train, int k, long seed) {
                FittedClustering f = m.fit(backend, train.resampledTo(maxSteps), k, seed);
                return new FittedClustering(f.method(), (b, data) -> f.embed(b, data.resampledTo(maxSteps)),
                        f.dimensions(), f.kmeans(), f.parameterCount(), f.steps(), f.stepUnit(), f.lossHistory(),
                        f.closer(), f.reusedSeconds());
            }
        };
    }

    /**
     * What the recurrent methods share: the network pretrained on {@code fitRows} (a seeded
     * subsample of the training rows) with {@code config}, its pretraining as cached, and k-means
     * (or, with {@code spectral}, spectral clustering) of the embeddings of every training row.
     */
    private record RnnFit(TensorOps ops, SequenceAutoencoder net, PaddedSequences fitRows, TrainConfig config, Pretrained pre,
                          double reusedSeconds, KMeansModel km) {

        static RnnFit of(Backend backend, PaddedSequences train, int k, long seed,
                         java.util.function.IntFunction<AutoencoderSpec> spec,
                         java.util.function.BiFunction<Integer, Integer, TrainConfig> config,
                         int maxRows, int nInit, SpectralClustering.Params spectral, TrainingListener listener,
                         Pretrained.Cache cache) {
            TensorOps ops = backend.tensorOps();
            AutoencoderSpec arch = spec.apply(train.channels());
            PaddedSequences fitRows = Subsample.rows(train, maxRows, seed);
            TrainConfig seeded = config.apply(fitRows.n(), fitRows.maxLength()).withSeed(seed);
            SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, seed);
            try {
                Pretrained pre = cache == null ? null : cache.get(seed);
                double reused = 0;
                if (pre != null) {
                    pre.restoreInto(net);
                    reused = pre.seconds();
                } else {
                    long t0 = System.nanoTime();
                    TrainingResult result = new Trainer(ops, seeded, listener).train(net, fitRows, null, null, null, null);
                    pre = Pretrained.of(net, result.epochs(), result.lossHistory(), (System.nanoTime() - t0) / 1e9);
                    if (cache != null) cache.put(seed, pre);
                }
                float[] z = Trainer.embed(ops, net, train, seeded.batchSize());
                KMeansParams params = KMeansParams.of(k, seed).withNInit(nInit);
                KMeansModel km = spectral == null ? kmeans(backend, params, z, train.n(), arch.latent())
                        : SpectralClustering.centroidModel(backend, z, train.n(), arch.latent(), spectral, params);
                return new RnnFit(ops, net, fitRows, seeded, pre, reused, km);
            } catch (RuntimeException e) {
                net.close();
                throw e;
            }
        }

        /** The fitted method: sequences embedded by the network, clustered by {@code model}. */
        FittedClustering result(String method, KMeansModel model, int extraEpochs) {
            int latent = net.spec().latent();
            FittedClustering.Embedder embedder = (b, x) -> Trainer.embed(ops, net, x, config.batchSize());
            return new FittedClustering(method, embedder, latent, model, net.parameterCount() + (long) model.k() * latent,
                    pre.epochs() + extraEpochs, "epochs", pre.lossHistory(), net, reusedSeconds);
        }
    }
}
