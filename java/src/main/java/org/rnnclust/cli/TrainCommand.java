package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.FitOptions;
import org.rnnclust.api.ModelKeys;
import org.rnnclust.api.FitReport;
import org.rnnclust.api.KSweep;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.PrivacySummary;
import org.rnnclust.api.RefinementSummary;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirClusteringModel;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.api.SequenceClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.InternalScores;
import org.rnnclust.report.ReportWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Fits a recurrent representation of every sequence and clusters it: the reservoir representation
 * (ReservoirClusterer) by default, or a trained autoencoder (SequenceClusterer), from flags.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Cluster sequences by a recurrent representation; save the model.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust train --data CBF_TRAIN.tsv --out run1",
                "  rnnclust train --data series.npy --k 5 --out run1 --report run1/report",
                "  rnnclust train --data x.npy --representation autoencoder --out run2"},
        description = {"Represent every sequence with a recurrent network and cluster the representations: by default "
                + "fixed random reservoirs and the model space of their states (seconds, no training), or with "
                + "--representation autoencoder a trained recurrent autoencoder (with DEC/IDEC refinement).",
                "Writes DIR/model.rnnclust, DIR/assignments.csv, DIR/metrics.json; an autoencoder's checkpoints in "
                + "DIR/checkpoints/.",
                "SIGTERM or SIGINT stops an autoencoder at the next batch with a checkpoint (exit 75); --resume DIR "
                + "continues. A reservoir fit stopped so writes nothing (exit 75): run it again."})
final class TrainCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    /** The checkpoint file inside DIR/checkpoints. */
    static final String CHECKPOINT = "last.ckpt";
    /** A sweep over k (--k A..B): every k's scores, and its chart. */
    static final String SWEEP_JSON = "k_sweep.json";
    static final String SWEEP_PNG = "k_sweep.png";

    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;
    // --help lists the options in this order: the reservoir's flags, then the autoencoder's.
    @Mixin ReservoirMixin reservoir;
    @Mixin ModelMixin model;
    @Mixin RefineMixin refine;
    @Mixin PrivacyMixin privacy;
    @Mixin ClusterInitMixin clusterInit;
    @Mixin ProgressMixin progress;

    @Option(names = "--representation", paramLabel = "KIND", defaultValue = "reservoir",
            description = {"reservoir (the default: the --reservoir-* flags) or autoencoder (the flags from --cell to "
                    + "--spectral-max-rows above, and --resume)."})
    String representation;

    @Option(names = "--members", paramLabel = "R",
            description = "Reservoirs drawn, or autoencoders pretrained (seeds seed·R … seed·R+R−1), the clusters "
                    + "being (or starting from) the consensus of their clusterings: steadier across seeds, about R "
                    + "times the cost. Default: " + ReservoirSettings.DEFAULT_MEMBERS + " reservoirs, 1 autoencoder.")
    Integer members;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required unless --resume).")
    Path out;

    /** The sweep over k of this run, when --k is a range. */
    private KSweep sweep;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write an HTML report (loss, embeddings, cluster means, confusion matrix) into DIR.")
    Path report;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "0",
            description = "Train on a uniform sample of N sequences of --data, drawn with --seed (0: all of them). "
                    + "An .npy or a text file (UCR, .ts, CSV, ARFF) is streamed, so it may be larger than the heap; "
                    + "IDX data are read whole.")
    int sample;

    @Option(names = "--resume", paramLabel = "DIR|auto",
            description = "Continue the interrupted run in DIR from its checkpoint: the same data and flags as the "
                    + "first run; --epochs and --refine-epochs may be raised. auto (with --out): continue when --out "
                    + "holds a checkpoint, start afresh when it holds none, so that one job script serves the first "
                    + "run and every requeue; a checkpoint of another run is refused, not overwritten.")
    String resumeFlag;

    /** The folder to resume, or null for a fresh run; set by {@link #resolveResume}. */
    private Path resume;

    @Option(names = "--sign-key", paramLabel = "PRIVATE.pem",
            description = "Sign the model file and the checkpoints with this Ed25519 private key (keygen makes one); "
                    + "cluster, embed, export and --resume check them with --verify-key.")
    Path signKey;

    @Mixin VerifyKeyMixin verify;

    /** --sign-key and --verify-key, read before anything is trained. */
    private ModelKeys keys = ModelKeys.NONE;

    @Override
    public Integer call() {
        // From the start, so that a signal while the data are read stops the run at its first batch.
        try (StopSignals stop = StopSignals.install()) {
            return claimAndTrain(stop);
        }
    }

    /** Checks the output paths and holds the output folder for the whole run (checkpoints included). */
    private Integer claimAndTrain(StopSignals stop) {
        long start = System.nanoTime();
        keys = ModelKeys.of(signKey, verify.verifyKey);
        resolveResume();
        Path dir = resume != null ? resume : out;
        if (dir == null) throw new InputException("--out DIR is required (or --resume DIR)");
        if (resume != null && out != null && !resume.equals(out)) {
            throw new InputException("--resume " + resume + " writes into that folder; drop --out " + out);
        }
        Outputs.requireWritableFolder(report, "--report");
        try (OutputClaim claim = Outputs.claimFolder(dir, resume != null ? "--resume" : "--out")) {
            return train(stop, dir, start);
        }
    }

    /**
     * {@code --resume DIR} resumes DIR; {@code --resume auto} resumes {@code --out} when it holds an
     * autoencoder's checkpoint and otherwise runs afresh (a reservoir fit keeps none: it always does).
     */
    private void resolveResume() {
        if (resumeFlag == null) return;
        if (!isResumeAuto()) {
            resume = Path.of(resumeFlag);
            return;
        }
        if (out == null) throw new InputException("--resume auto needs --out DIR, the folder it resumes when it holds a checkpoint");
        boolean checkpointed = Files.isRegularFile(out.resolve("checkpoints").resolve(CHECKPOINT));
        resume = checkpointed ? out : null;
        LOG.info(checkpointed ? "--resume auto: continuing the run checkpointed in " + out
                : "--resume auto: no checkpoint in " + out + ", starting afresh");
    }

    private boolean isResumeAuto() {
        return resumeFlag != null && resumeFlag.strip().equalsIgnoreCase("auto");
    }

    private Integer train(StopSignals stop, Path dir, long start) {
        boolean autoencoder = switch (representation.strip().toLowerCase(Locale.ROOT)) {
            case "reservoir" -> false;
            case "autoencoder" -> true;
            default -> throw new InputException("--representation must be reservoir or autoencoder, got '"
                    + representation + "'");
        };
        refuseFlagsOfTheOtherRepresentation(autoencoder);
        if (members != null && members < 1) throw new InputException("--members must be >= 1, got " + members, Setting.MEMBERS);
        PreparedData prepared = PreparedData.prepare(data.train(sample, clustering.seed), data.testSet(), prep.options());
        // Checks --k before any training.
        int[] ks = clustering.isRange() ? clustering.range(prepared.train().n()) : null;
        if (ks == null) clustering.k(prepared.trainRaw());
        if (ks != null && resume != null && isResumeAuto()) {
            LOG.info("--resume auto: a sweep over k starts from the beginning");
            resume = null;
        }
        if (ks != null && resume != null) {
            throw new InputException("--resume with a range of k: a sweep starts from the beginning; run it again "
                    + "without --resume");
        }
        return autoencoder ? trainAutoencoder(stop, dir, start, prepared, ks)
                : trainReservoir(stop, dir, start, prepared, ks);
    }

    /** An autoencoder flag with the reservoir, or a reservoir flag with the autoencoder, is a mistake: one line naming it. */
    private void refuseFlagsOfTheOtherRepresentation(boolean autoencoder) {
        List<String> reservoirOnly = spec.mixins().get("reservoir").options().stream().map(OptionSpec::longestName).toList();
        // --resume auto serves job scripts whatever the representation; a folder to resume is the autoencoder's.
        List<String> autoencoderOnly = new ArrayList<>(resume != null ? List.of("--resume") : List.of());
        for (String mixin : List.of("model", "refine", "clusterInit", "privacy")) {
            spec.mixins().get(mixin).options().forEach(o -> autoencoderOnly.add(o.longestName()));
        }
        for (OptionSpec given : spec.commandLine().getParseResult().matchedOptions()) {
            String name = given.longestName();
            if (autoencoder && reservoirOnly.contains(name)) {
                throw new InputException(name + " applies to the reservoir representation, not to --representation autoencoder");
            }
            // --refine none asks for what the reservoir does anyway (it has nothing to refine): accepted.
            boolean noRefinement = name.equals("--refine") && "none".equalsIgnoreCase(String.valueOf((Object) given.getValue()).strip());
            if (!autoencoder && autoencoderOnly.contains(name) && !noRefinement) {
                throw new InputException(name + " applies to --representation autoencoder (the default representation is "
                        + "the reservoir)");
            }
        }
    }

    /** @param ks the range of k to sweep, or null for --k's one number */
    private Integer trainReservoir(StopSignals stop, Path dir, long start, PreparedData prepared, int[] ks) {
        ReservoirClusterer clusterer = ReservoirClusterer.builder()
                .settings(reservoir.settings(members != null ? members : ReservoirSettings.DEFAULT_MEMBERS))
                .kmeans(kmeans.settings()).clusters(ks == null ? clustering.clusters() : 0).seed(clustering.seed).build();
        try (Device on = device.openForNetworks()) {
            ReservoirClusteringModel fitted;
            try (Progress shown = progress.open(spec, "refine")) {
                FitOptions options = FitOptions.defaults().withListener(shown).withCancellation(stop::requested);
                if (ks == null) {
                    fitted = clusterer.fit(on, prepared, options);
                } else {
                    ReservoirClusterer.Swept swept = clusterer.sweep(on, prepared, ks, options);
                    fitted = swept.model();
                    sweep = swept.sweep();
                }
            } catch (CancelledException e) {
                throw new CancelledException("stopped by " + stop.signal() + " " + e.getMessage() + "; nothing written: "
                        + "run the same command again (a reservoir fit keeps no checkpoint; it takes seconds)");
            }
            Dataset scoredRaw = prepared.scoredRaw();
            ClusteringModel.Embedded assigned = scored(fitted, prepared, fitted.training(), fitted.trainingEmbeddings());
            Assignment scored = assigned.assignment();
            Map<String, Object> metrics = new LinkedHashMap<>();
            ClusteringScores scores = putScores(metrics, fitted, scoredRaw, scored, fitted.training().inertia());
            ReservoirSettings s = fitted.settings();
            metrics.put("representation", "reservoir");
            metrics.put("reservoirs", s.members());
            metrics.put("units", s.units());
            metrics.put("embedding_size", fitted.latent());
            metrics.put("parameters", fitted.parameterCount());
            float[] embedded = writeAndPrintScores(dir, start, metrics, fitted, prepared, scored, scores, on,
                    assigned.embeddings());
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "%d reservoir%s of %d units%s, embedding size %d, %d parameters%n", s.members(),
                    s.members() > 1 ? "s (the consensus of their clusterings)" : "", s.units(),
                    s.bidirectional() ? " per direction" : "", fitted.latent(), fitted.parameterCount());
            printWrittenAndReport(w, dir, metrics, List.of(), fitted, prepared, scored, embedded);
        }
        return Main.EXIT_OK;
    }

    /** @param ks the range of k to sweep, or null for --k's one number */
    private Integer trainAutoencoder(StopSignals stop, Path dir, long start, PreparedData prepared, int[] ks) {
        SequenceClusterer clusterer = Flags.build(() -> privacy.applyTo(refine.applyTo(model.applyTo(SequenceClusterer.builder())))
                .clusters(ks == null ? clustering.clusters() : ks[0]).kmeans(kmeans.settings())
                .clusterInit(clusterInit.clusterInit()).seed(clustering.seed).members(members != null ? members : 1)
                .build());
        if (ks == null) clusterer.checkFits(prepared.train().n(), clusterer.clustersFor(prepared.trainRaw()));
        for (int k : ks == null ? new int[0] : ks) clusterer.checkFits(prepared.train().n(), k);
        Path checkpoints = dir.resolve("checkpoints");
        Path checkpoint = checkpoints.resolve(CHECKPOINT);
        if (resume != null && !Files.isRegularFile(checkpoint)) {
            throw new InputException(checkpoint + ": no checkpoint to resume from");
        }
        try (Device on = device.openForNetworks()) {
            // After the device opened: a device that cannot be used leaves no output folder behind.
            try {
                Files.createDirectories(checkpoints);
            } catch (IOException e) {
                throw new InputException(OutputFolder.describe(checkpoints, e));
            }
            SequenceClusteringModel fitted;
            try (Progress shown = progress.open(spec, clusterer.refine().label())) {
                FitOptions options = FitOptions.defaults().withListener(shown)
                        .withCheckpoint(checkpoint, resume != null).withCancellation(stop::requested).withKeys(keys);
                if (ks == null) {
                    fitted = clusterer.fit(on, prepared, options);
                } else {
                    SequenceClusterer.Swept swept = clusterer.sweep(on, prepared, ks, options);
                    fitted = swept.model();
                    sweep = swept.sweep();
                }
            } catch (CancelledException e) {
                throw new CancelledException("stopped by " + stop.signal() + ": " + e.getMessage() + (ks == null
                        ? (isResumeAuto() ? "; run the same command again to continue it"
                                : "; continue it with --resume " + dir + " and the same flags")
                        : "; a sweep over k cannot be resumed: run the same command again"));
            }
            FitReport fit = fitted.fitReport();
            Dataset scoredRaw = prepared.scoredRaw();
            ClusteringModel.Embedded assigned = scored(fitted, prepared, fit.training(), null);
            Assignment scored = assigned.assignment();
            Map<String, Object> metrics = new LinkedHashMap<>();
            if (fit.refinement() != null && scoredRaw.hasLabels()) {
                Assignment before = prepared.test() == null ? fit.initial() : fit.beforeRefinement().assign(prepared.test());
                metrics.put("before_refine", scoresOf(scoredRaw, before.labels()));
            }
            ClusteringScores scores = putScores(metrics, fitted, scoredRaw, scored, fit.initial().inertia());
            metrics.put("final_loss", fit.pretraining().finalLoss());
            metrics.put("epochs", fit.pretraining().epochs());
            metrics.put("stopped_early", fit.pretraining().stoppedEarly());
            metrics.put("parameters", fitted.parameterCount());
            metrics.put("loss_history", fit.pretraining().lossHistory());
            PrivacySummary dp = fit.pretraining().privacy();
            if (dp != null) metrics.put("privacy", privacyMetrics(dp));
            metrics.put("cluster_init", clusterer.clusterInit().label());
            metrics.put("refine", clusterer.refine().label());
            RefinementSummary refined = fit.refinement();
            if (refined != null) {
                metrics.put("refine_epochs", refined.epochs());
                metrics.put("refine_steps", refined.steps());
                metrics.put("refine_label_change", refined.labelChange());
                metrics.put("refine_converged", refined.converged());
                metrics.put("refine_kl_history", refined.klHistory());
                if (!refined.reconstructionHistory().isEmpty()) {
                    metrics.put("refine_reconstruction_history", refined.reconstructionHistory());
                }
                metrics.put("refine_seconds", refined.seconds());
            }
            float[] embedded = writeAndPrintScores(dir, start, metrics, fitted, prepared, scored, scores, on,
                    assigned.embeddings());
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "trained %d epochs%s, final loss %.5f, %d parameters%n", fit.pretraining().epochs(),
                    fit.pretraining().stoppedEarly() ? " (loss plateau)" : "", fit.pretraining().finalLoss(),
                    fitted.parameterCount());
            if (dp != null) {
                w.printf(Locale.ROOT, "differential privacy: epsilon %.3f at delta %.3g after %d noisy steps (noise "
                        + "multiplier %.4g, clipping norm %.4g, sampling rate %.4g)%s; the guarantee covers the "
                        + "network's weights, not the centroids or the scores%n", dp.epsilon(), dp.delta(), dp.steps(),
                        dp.noiseMultiplier(), dp.maxGradNorm(), dp.samplingRate(),
                        dp.budgetSpent() ? ", stopped at the target epsilon" : "");
            }
            if (refined != null) {
                w.printf(Locale.ROOT, "%s refinement: %d epochs, %.2f%% labels changed at the last target update%s%n",
                        clusterer.refine().label(), refined.epochs(), 100 * refined.labelChange(),
                        refined.converged() ? " (below --refine-tol)" : "");
                String moved = RefinementNote.of(clusterer.refine().label(), refined, fit.initial().labels(),
                        fit.training().labels());
                if (moved != null) w.println(moved);
            }
            printWrittenAndReport(w, dir, metrics, fit.pretraining().lossHistory(), fitted, prepared, scored, embedded);
        }
        return Main.EXIT_OK;
    }

    /** metrics.json's "privacy": what DP-SGD spent, epsilon after every epoch. */
    private static Map<String, Object> privacyMetrics(PrivacySummary dp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", "DP-SGD, Poisson sampling, per-sequence clipping, Gaussian noise");
        m.put("accountant", "RDP of the sampled Gaussian mechanism");
        m.put("epsilon", dp.epsilon());
        m.put("delta", dp.delta());
        m.put("order", dp.order());
        m.put("noise_multiplier", dp.noiseMultiplier());
        m.put("max_grad_norm", dp.maxGradNorm());
        m.put("sampling_rate", dp.samplingRate());
        m.put("steps", dp.steps());
        m.put("budget_spent", dp.budgetSpent());
        m.put("epsilon_history", dp.epsilonHistory());
        m.put("covers", "the autoencoder's weights; not the centroids, fitted preprocessing statistics, losses or scores");
        return m;
    }

    /**
     * The scored sequences' clusters and, where known without a second pass, their embeddings: the
     * fit's own for the training sequences ({@code trainingEmbeddings}, null where the fit keeps
     * none), or the test set's, embedded and assigned in one pass.
     */
    private static ClusteringModel.Embedded scored(ClusteringModel fitted, PreparedData prepared, Assignment training,
                                                   float[] trainingEmbeddings) {
        if (prepared.test() == null) return new ClusteringModel.Embedded(trainingEmbeddings, training);
        return fitted.embedAndAssign(prepared.test());
    }

    /** The metrics every representation writes first: what was clustered, and the scores when there are labels. */
    private static ClusteringScores putScores(Map<String, Object> metrics, ClusteringModel fitted, Dataset scoredRaw,
                                              Assignment scored, double fitInertia) {
        metrics.put("method", fitted.method());
        metrics.put("data", scoredRaw.name());
        metrics.put("n", scoredRaw.size());
        metrics.put("k", fitted.clusters());
        metrics.put("inertia", scored.inertia());
        metrics.put("fit_inertia", fitInertia);
        return ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
    }

    /**
     * Adds the seed, the seconds (the fit and the assignment) and the label-free scores on the
     * embeddings ({@code knownEmbeddings} where {@link #scored} has them, else computed), writes the output
     * set and prints the score table; returns the embeddings of the scored sequences.
     */
    private float[] writeAndPrintScores(Path dir, long start, Map<String, Object> metrics, ClusteringModel fitted,
                                        PreparedData prepared, Assignment scored, ClusteringScores scores, Device on,
                                        float[] knownEmbeddings) {
        metrics.put("seed", clustering.seed);
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.put("seconds", seconds);
        float[] embedded = knownEmbeddings != null ? knownEmbeddings : fitted.embed(prepared.scored());
        InternalScores internal = ClusteringOutput.internal(embedded, prepared.scored().n(), fitted.latent(),
                scored.labels(), clustering.seed, metrics);
        Dataset scoredRaw = prepared.scoredRaw();
        Map<String, Object> provenance = Provenance.of(spec, on.description());
        if (sweep != null) {
            metrics.put("k_sweep", Map.of("rule", KSweep.RULE, "chosen", sweep.chosen(), "file", SWEEP_JSON));
        }
        ClusteringOutput.write(dir, scoredRaw, scored.labels(), metrics, provenance, fitted, keys, output -> {
            if (sweep == null) return;
            output.writeJson(SWEEP_JSON, SweepOutput.json(sweep, prepared.trainRaw(), provenance));
            output.writeBytes(SWEEP_PNG, SweepOutput.chart(sweep));
        });
        PrintWriter w = spec.commandLine().getOut();
        if (sweep != null) SweepOutput.print(w, sweep, prepared.trainRaw());
        Table.print(w, fitted.method(), scoredRaw, fitted.clusters(), scored.inertia(), scores, seconds, internal,
                "the embeddings");
        return embedded;
    }

    /** The closing lines: the files written, and the report when --report asks for one. */
    private void printWrittenAndReport(PrintWriter w, Path dir, Map<String, Object> metrics, List<Double> loss,
                                       ClusteringModel fitted, PreparedData prepared, Assignment scored,
                                       float[] embedded) {
        w.println("wrote " + dir.resolve(ClusteringModel.FILE) + ", " + OutputFolder.ASSIGNMENTS + ", "
                + OutputFolder.METRICS + (sweep != null ? ", " + SWEEP_JSON + ", " + SWEEP_PNG : ""));
        if (report != null) {
            Dataset scoredRaw = prepared.scoredRaw();
            w.println("report: " + ReportWriter.write(report, Reports.clustering(fitted.method() + " on "
                    + scoredRaw.name(), metrics, loss, embedded, fitted.latent(), scored.labels(),
                    scoredRaw, prepared.scored(), fitted instanceof SequenceClusteringModel autoencoder
                            ? autoencoder.reconstruct(prepared.scored()) : null)));
        }
        w.flush();
    }

    private static Map<String, Object> scoresOf(Dataset data, int[] clusters) {
        Map<String, Object> m = new LinkedHashMap<>();
        ClusteringOutput.score(data, clusters, m);
        return m;
    }
}
