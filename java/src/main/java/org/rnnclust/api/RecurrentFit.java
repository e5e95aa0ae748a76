package org.rnnclust.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.cluster.ConsensusClustering;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.cluster.SpectralClustering;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.RowSample;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.MemoryPlan;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.CheckpointFile;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.Refinement;
import org.rnnclust.train.RefinementResult;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.TrainingData;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingListener;
import org.rnnclust.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a {@link SequenceClusterer} fit, written once: pretrain the autoencoder (or
 * resume, or start from a given pretraining), embed every training sequence, cluster the
 * embeddings (k-means or spectral), refine (DEC/IDEC) and assign.
 */
final class RecurrentFit {
    private static final Logger LOG = LoggerFactory.getLogger(RecurrentFit.class);

    private final SequenceClusterer settings;
    private final Device device;
    private final FitOptions options;

    RecurrentFit(SequenceClusterer settings, Device device, FitOptions options) {
        this.settings = settings;
        this.device = device;
        this.options = options;
    }

    SequenceClusteringModel run(PreparedData data, boolean ownsDevice) {
        return run(data.train(), settings.clustersFor(data.trainRaw()), data.preprocessor(),
                data.trainRaw().labelNames(), ownsDevice);
    }

    /**
     * @param prep       the preprocessing the model records; null: the sequences are taken as they are
     * @param labelNames the class names of the training labels (empty without labels)
     */
    SequenceClusteringModel run(PaddedSequences train, int k, Preprocessor prep, List<String> labelNames,
                                boolean ownsDevice) {
        long start = System.nanoTime();
        settings.checkFits(train.n(), k);
        Backend backend = device.backend();
        TensorOps ops = backend.tensorOps();
        AutoencoderSpec arch = settings.spec(train.channels());
        int batch = settings.trainConfig().batchSize();
        ObjectNode run = runSettings(train.channels());
        PaddedSequences fitRows = trainingRows(train, settings.maxTrainingRows, settings.seed);
        Preprocessor recorded = prep != null ? prep : identity(train.channels());
        // On the heap: the pretraining's weights, the model before refinement, the refined model.
        int weightCopies = settings.refine == Refine.NONE ? 2 : 3;
        memoryPlan(arch, train, weightCopies).require(ops);
        CheckpointFile checkpoint = checkpoint(run, train, fitRows, recorded);
        try (SequenceAutoencoder net = initialNetwork(ops, arch)) {
            Pretraining pre = options.startingFrom();
            KMeansModel first = null;
            if (pre != null) {
                restore(net, pre);
                // A members fit's pretraining carries the consensus it started from: start there too.
                KMeansModel chosen = pre.start();
                if (chosen != null && chosen.k() == k && chosen.d() == arch.latent()
                        && chosen.labels().length == train.n()) {
                    first = chosen;
                }
            } else if (settings.members > 1) {
                checkpoint.begin();
                Consensus consensus = consensusOfMembers(train, k, batch);
                first = consensus.clustering();
                pre = consensus.pretraining().startingAt(first);
                restore(net, pre);
                run.set("consensus", consensus.describe());
            } else {
                pre = pretrain(net, fitRows, checkpoint);
            }
            double reused = options.startingFrom() != null ? pre.seconds() : 0;
            if (first == null) {
                first = firstClustering(backend, Trainer.embed(ops, net, train, batch), train.n(), arch.latent(), k);
            }
            Assignment initial = new Assignment(first.labels(), first.inertia());
            Map<String, float[]> pretrained = TrainedModel.weightsOf(net);
            if (settings.refine == Refine.NONE) {
                FitReport report = new FitReport(pre, reused, initial, first.iterations(), first.converged(), null,
                        null, initial, (System.nanoTime() - start) / 1e9);
                return new SequenceClusteringModel(new TrainedModel(arch, recorded, first.centroids(), k, pretrained,
                        labelNames, describe(run, pre, null)), device, ownsDevice, batch, report);
            }
            SequenceClusteringModel before = new SequenceClusteringModel(new TrainedModel(arch, recorded,
                    first.centroids(), k, pretrained, labelNames, describeUnrefined(run, pre)), device, false, batch, null);
            FitListener l = options.listener();
            RefinementResult r;
            l.phaseStarted(FitListener.Phase.REFINEMENT, settings.refineParams().epochs());
            try {
                r = new Refinement(backend, settings.refineParams(), listener(FitListener.Phase.REFINEMENT),
                        options.cancelled()).refine(net, fitRows, first.centroids(), k, checkpoint);
            } finally {
                l.phaseEnded(FitListener.Phase.REFINEMENT);
            }
            // Refinement ends by assigning the rows it trained on: when those are all the rows, that is the answer.
            Assignment onTrain = fitRows == train ? new Assignment(r.labels(), r.inertia())
                    : toAssignment(Refinement.assign(backend, net, train, r.centroids(), k, batch));
            FitReport report = new FitReport(pre, reused, initial, first.iterations(), first.converged(), before,
                    new RefinementSummary(r.epochs(), r.steps(), r.labelChange(), r.converged(), r.klHistory(),
                            r.reconstructionHistory(), r.seconds()),
                    onTrain, (System.nanoTime() - start) / 1e9);
            return new SequenceClusteringModel(new TrainedModel(arch, recorded, r.centroids(), k,
                    TrainedModel.weightsOf(net), labelNames, describe(run, pre, r)), device, ownsDevice, batch, report);
        }
    }

    /**
     * The chosen member of a fit with several: its pretraining, and the consensus clusters as
     * centroids in its embedding.
     */
    private record Consensus(Pretraining pretraining, KMeansModel clustering, long[] seeds, int chosen,
                             double[] ariWithConsensus) {
        ObjectNode describe() {
            ObjectNode o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            o.put("chosen_member_seed", seeds[chosen]);
            com.fasterxml.jackson.databind.node.ArrayNode members = o.putArray("members");
            for (int r = 0; r < seeds.length; r++) {
                members.addObject().put("seed", seeds[r]).put("ari_with_consensus", ariWithConsensus[r]);
            }
            return o;
        }
    }

    /**
     * Pretrains each member (its own seed: initial weights, rows, order), clusters its embedding of
     * {@code train} as a single fit would, takes the partitions' consensus, and keeps the member
     * closest to it.
     *
     * <p>Members are independent, so on a device that runs several fits side by side
     * ({@link Backend#concurrentFits}) they train on that many threads: worker w takes members w,
     * w + W, ...; worker 0 is the calling thread, whose members alone report to the listener (its
     * contract: calls on the fitting thread). Each member computes exactly what it would alone, so
     * the result does not depend on the number of workers. With a checkpoint, member m keeps its
     * pretraining in a checkpoint file of its own ({@link #memberCheckpoint}); a resume continues
     * every member from its file, or starts it where it has none.
     */
    private Consensus consensusOfMembers(PaddedSequences train, int k, int batch) {
        Backend backend = device.backend();
        TensorOps ops = backend.tensorOps();
        AutoencoderSpec arch = settings.spec(train.channels());
        int r = settings.members;
        long[] seeds = new long[r];
        Pretraining[] pretrainings = new Pretraining[r];
        float[][] embeddings = new float[r][];
        int[][] partitions = new int[r][];
        int workers = Math.max(1, Math.min(r, backend.concurrentFits()));
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stop = () -> failed.get() || options.cancelled().getAsBoolean();
        IntConsumer worker = w -> {
            for (int m = w; m < r; m += workers) {
                seeds[m] = settings.memberSeed(m);
                SequenceClusterer member = settings.toBuilder().seed(seeds[m]).members(1).build();
                FitOptions memberOptions = new FitOptions(w == 0 ? options.listener() : FitListener.NONE, stop,
                        null, false, null, options.keys());
                if (options.checkpoint() != null) {
                    Path file = memberCheckpoint(options.checkpoint(), m);
                    memberOptions = memberOptions.withCheckpoint(file,
                            options.resume() && Files.isRegularFile(file));
                }
                RecurrentFit fit = new RecurrentFit(member, device, memberOptions);
                Pretraining pre = fit.pretrainOnly(train);
                try (SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, seeds[m])) {
                    restore(net, pre);
                    embeddings[m] = Trainer.embed(ops, net, train, batch);
                }
                pretrainings[m] = pre;
                partitions[m] = fit.firstClustering(backend, embeddings[m], train.n(), arch.latent(), k).labels();
            }
        };
        runWorkers(workers, worker, failed);
        List<int[]> all = Arrays.asList(partitions);
        int[] consensus = ConsensusClustering.of(backend, all, k, settings.kmeans.params(k, settings.seed));
        int chosen = ConsensusClustering.closest(all, consensus);
        double[] ari = new double[r];
        for (int m = 0; m < r; m++) ari[m] = org.rnnclust.metrics.RandIndex.ari(consensus, partitions[m]);
        LOG.info(String.format(java.util.Locale.ROOT, "consensus of %d members: member seed %d is closest (ARI %.3f)",
                r, seeds[chosen], ari[chosen]));
        KMeansModel clustering = ConsensusClustering.centroidModel(backend, embeddings[chosen], train.n(),
                arch.latent(), consensus, k);
        return new Consensus(pretrainings[chosen], clustering, seeds, chosen, ari);
    }

    /**
     * Runs {@code worker.accept(w)} for w = 0 … workers − 1: 0 on this thread, the others on
     * threads of their own, and returns when all have ended. The first failure sets
     * {@code failed} (which the workers' cancellation polls, so that the others stop at their next
     * batch) and is rethrown once all have ended; the cancellations it caused are not.
     */
    private static void runWorkers(int workers, IntConsumer worker,
                                   AtomicBoolean failed) {
        AtomicReference<Throwable> first = new AtomicReference<>();
        IntConsumer guarded = w -> {
            try {
                worker.accept(w);
            } catch (RuntimeException | Error e) {
                if (first.compareAndSet(null, e)) failed.set(true);
            }
        };
        ExecutorService pool = workers > 1
                ? Executors.newFixedThreadPool(workers - 1, t -> {
                    Thread thread = new Thread(t, "rnnclust-member");
                    thread.setDaemon(true);
                    return thread;
                }) : null;
        try {
            List<Future<?>> others = new java.util.ArrayList<>();
            for (int w = 1; w < workers; w++) {
                int id = w;
                others.add(pool.submit(() -> guarded.accept(id)));
            }
            guarded.accept(0);
            for (Future<?> f : others) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    first.compareAndSet(null, e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first.compareAndSet(null, new CancelledException("interrupted while the members trained"));
                    failed.set(true);
                }
            }
        } finally {
            if (pool != null) pool.shutdown();
        }
        Throwable t = first.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        if (t != null) throw new IllegalStateException(t);
    }

    /**
     * The checkpoint of member {@code m} of a fit whose checkpoint is {@code main}: beside it,
     * {@code last.ckpt} → {@code last.member-0.ckpt}. The same format; its run is the member's.
     */
    static Path memberCheckpoint(Path main, int m) {
        String name = main.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String member = dot > 0 ? name.substring(0, dot) + ".member-" + m + name.substring(dot)
                : name + ".member-" + m;
        return main.resolveSibling(member);
    }

    /**
     * The settings a checkpoint and the model file record: the clusterer's, and
     * {@code "deterministic": true} on a device in the deterministic mode, whose bits differ from
     * the default mode's, so that a resume cannot mix the two (absent otherwise, so that a
     * default-mode file is what it always was).
     */
    private ObjectNode runSettings(int channels) {
        ObjectNode run = settings.pretrainingSettings(channels);
        if (device.deterministic()) run.put("deterministic", true);
        return run;
    }

    /** Pretrains a new network on (a subsample of) {@code train} and returns its weights and history. */
    Pretraining pretrainOnly(PaddedSequences train) {
        TensorOps ops = device.backend().tensorOps();
        AutoencoderSpec arch = settings.spec(train.channels());
        memoryPlan(arch, train, 1).require(ops);
        PaddedSequences rows = trainingRows(train, settings.maxTrainingRows, settings.seed);
        CheckpointFile checkpoint = checkpoint(runSettings(train.channels()), train, rows,
                identity(train.channels()));
        try (SequenceAutoencoder net = initialNetwork(ops, arch)) {
            return pretrain(net, rows, checkpoint);
        }
    }

    /**
     * The network before training: drawn from the seed, then every weight moved up by the
     * settings' perturbation (none by default).
     */
    SequenceAutoencoder initialNetwork(TensorOps ops, AutoencoderSpec arch) {
        SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, settings.seed);
        try {
            for (Parameter p : net.parameters()) p.moveUpByUlps(settings.initialWeightPerturbationUlps);
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /**
     * What pretraining on {@code train} and embedding it need: batches of the batch size (or all
     * sequences, when fewer) of its longest sequence.
     */
    private MemoryPlan memoryPlan(AutoencoderSpec arch, PaddedSequences train, int weightCopies) {
        int batch = Math.min(settings.trainConfig().batchSize(), train.n());
        boolean contrastive = settings.objective != Objective.RECONSTRUCTION;
        boolean realFake = settings.realFakeWeight > 0;
        int inputCopies = contrastive ? 3 : settings.inputDropout > 0 || realFake ? 2 : 1;
        return MemoryPlan.training(arch, batch, train.maxLength(), train.n(), inputCopies, contrastive || realFake,
                realFake, weightCopies);
    }

    /**
     * The options' checkpoint: none, a new one, or the one to resume, which must hold a run of
     * {@code run}'s settings on the same data ({@code train}, of which the network trains on
     * {@code rows}, made by {@code prep}).
     */
    private CheckpointFile checkpoint(ObjectNode run, PaddedSequences train, PaddedSequences rows, Preprocessor prep) {
        if (options.checkpoint() == null) return CheckpointFile.none();
        TrainingData data = TrainingData.of(train, rows.n(), prep);
        CheckpointFile c = options.resume()
                ? CheckpointFile.resume(options.checkpoint(), run, data, options.keys().verifier())
                : CheckpointFile.start(options.checkpoint(), run, data);
        return c.signedBy(options.keys().signer());
    }

    private Pretraining pretrain(SequenceAutoencoder net, PaddedSequences rows, CheckpointFile checkpoint) {
        FitListener l = options.listener();
        TrainingResult r;
        l.phaseStarted(FitListener.Phase.PRETRAINING, settings.trainConfig().epochs());
        try {
            r = new Trainer(device.backend().tensorOps(), settings.trainConfig(),
                    listener(FitListener.Phase.PRETRAINING), options.cancelled()).train(net, rows, checkpoint);
        } finally {
            l.phaseEnded(FitListener.Phase.PRETRAINING);
        }
        return new Pretraining(net.parameters().stream().map(Parameter::get).toList(), r.epochs(), r.lossHistory(),
                r.stoppedEarly(), r.seconds(), null, PrivacySummary.of(r.privacy()));
    }

    private static Assignment toAssignment(KMeansModel.Assignment a) {
        return new Assignment(a.labels(), a.inertia());
    }

    /** k-means, or spectral clustering whose cluster means become the centroids. */
    private KMeansModel firstClustering(Backend backend, float[] z, int n, int d, int k) {
        KMeansParams kmeans = settings.kmeans.params(k, settings.seed);
        SpectralClustering.Params spectral = settings.clusterInit.params();
        FitListener l = options.listener();
        if (spectral == null) {
            l.phaseStarted(FitListener.Phase.KMEANS, kmeans.nInit());
            try {
                return new KMeans(kmeans, done -> l.stepFinished(FitListener.Phase.KMEANS, done)).fit(backend, z, n, d);
            } finally {
                l.phaseEnded(FitListener.Phase.KMEANS);
            }
        }
        long start = System.nanoTime();
        KMeansModel model;
        l.phaseStarted(FitListener.Phase.SPECTRAL, 1);
        try {
            model = SpectralClustering.centroidModel(backend, z, n, d, spectral, kmeans);
            l.stepFinished(FitListener.Phase.SPECTRAL, 1);
        } catch (IllegalArgumentException e) {  // more clusters than rows, or the like
            throw new InputException("spectral clustering of the embeddings: " + e.getMessage());
        } finally {
            l.phaseEnded(FitListener.Phase.SPECTRAL);
        }
        LOG.info(String.format(java.util.Locale.ROOT, "spectral clustering of %d embeddings: %.1f s", n,
                (System.nanoTime() - start) / 1e9));
        return model;
    }

    /** What the model file records of the training: the settings, the pretraining, the first clustering and the refinement. */
    private ObjectNode describe(ObjectNode run, Pretraining pre, RefinementResult refined) {
        ObjectNode training = run.deepCopy();
        training.put("epochs_completed", pre.epochs());
        training.put("final_loss", pre.finalLoss());
        PrivacySummary dp = pre.privacy();
        if (dp != null) {
            training.putObject("privacy_spent").put("epsilon", dp.epsilon()).put("delta", dp.delta())
                    .put("noise_multiplier", dp.noiseMultiplier()).put("sampling_rate", dp.samplingRate())
                    .put("steps", dp.steps()).put("accountant", "rdp");
        }
        settings.describeClusterInit(training.putObject("cluster_init"));
        ObjectNode refine = settings.refineParams().describe(training.putObject("refine"));
        if (refined != null) {
            refine.put("epochs_completed", refined.epochs());
            refine.put("label_change", refined.labelChange());
            refine.put("converged", refined.converged());
        }
        return training;
    }

    /** The same for the model before refinement. */
    private ObjectNode describeUnrefined(ObjectNode run, Pretraining pre) {
        ObjectNode training = describe(run, pre, null);
        ((ObjectNode) training.get("refine")).put("method", RefineMethod.NONE.label());
        return training;
    }

    private TrainingListener listener(FitListener.Phase phase) {
        FitListener l = options.listener();
        return new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int batches) {
                l.epochStarted(phase, epoch, batches);
            }

            @Override
            public void batchFinished(int epoch, int batch, double loss) {
                l.batchFinished(phase, epoch, batch, loss);
            }

            @Override
            public void epochFinished(Epoch e) {
                l.epochFinished(new FitListener.Epoch(phase, e.epoch(), e.epochs(), e.loss(), e.gradNorm(), e.seconds(),
                        e.improved(), e.labelChange(), e.epsilon()));
            }
        };
    }

    /**
     * The rows the network trains on: all of them, or {@code max} chosen by {@code seed} in their
     * order (every row is still embedded and clustered).
     */
    static PaddedSequences trainingRows(PaddedSequences data, int max, long seed) {
        if (data.n() <= max) return data;
        int[] idx = RowSample.sorted(data.n(), max, new SplittableRandom(seed ^ 0x5DEECE66DL));
        float[] values = RowSample.gather(data.values(), data.rowSize(), idx);
        int[] lengths = new int[max];
        for (int i = 0; i < max; i++) lengths[i] = data.lengths()[idx[i]];
        return new PaddedSequences(max, data.maxLength(), data.channels(), values, lengths);
    }

    private static void restore(SequenceAutoencoder net, Pretraining pre) {
        List<Parameter> params = net.parameters();
        if (params.size() != pre.weights().size()) {
            throw new IllegalArgumentException("the pretraining is of another architecture");
        }
        for (int i = 0; i < params.size(); i++) params.get(i).set(pre.weights().get(i));
    }

    /** No preprocessing: what a model fitted on prepared sequences records. */
    private static Preprocessor identity(int channels) {
        double[] ones = new double[channels];
        Arrays.fill(ones, 1.0);
        return Preprocessor.of(new PreprocessOptions(Normalization.NONE, 0, MissingValues.REFUSE, LengthPolicy.PAD, 0),
                new double[channels], ones, 0);
    }
}
