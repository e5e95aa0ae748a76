package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.Device;
import org.rnnclust.api.FitOptions;
import org.rnnclust.api.FitReport;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.Refine;
import org.rnnclust.api.RefinementSummary;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.api.SequenceClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a recurrent autoencoder, embeds the sequences, clusters the embeddings: SequenceClusterer from flags. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a recurrent sequence autoencoder, embed every sequence, cluster the embeddings.",
                "Writes DIR/model.rnnclust, DIR/assignments.csv, DIR/metrics.json; checkpoints in DIR/checkpoints/.",
                "SIGTERM or SIGINT stops it at the next batch with a checkpoint (exit 75); --resume DIR continues."})
final class TrainCommand implements Callable<Integer> {
    /** The checkpoint file inside DIR/checkpoints. */
    static final String CHECKPOINT = "last.ckpt";

    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ModelMixin model;
    @Mixin ClusteringMixin clustering;
    @Mixin KMeansMixin kmeans;
    @Mixin RefineMixin refine;
    @Mixin ClusterInitMixin clusterInit;

    @Option(names = "--members", paramLabel = "R", defaultValue = "1",
            description = "Pretrain R autoencoders (seeds seed·R … seed·R+R−1) and start from the consensus of their "
                    + "clusterings: steadier across seeds, about R times the pretraining (side by side on the CPU's "
                    + "threads). Default: ${DEFAULT-VALUE}.")
    int members;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required unless --resume).")
    Path out;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write an HTML report (loss, embeddings, cluster means, confusion matrix) into DIR.")
    Path report;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR from its checkpoint: the same data and flags as the "
                    + "first run; --epochs and --refine-epochs may be raised.")
    Path resume;

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

    private Integer train(StopSignals stop, Path dir, long start) {
        PreparedData prepared = PreparedData.prepare(data.train(), data.testSet(), prep.options());
        clustering.k(prepared.trainRaw());  // checks --k before any training
        if (members < 1) throw new InputException("--members must be >= 1, got " + members, Setting.MEMBERS);
        SequenceClusterer clusterer = Flags.build(() -> refine.applyTo(model.applyTo(SequenceClusterer.builder()))
                .clusters(clustering.clusters()).kmeans(kmeans.settings()).clusterInit(clusterInit.clusterInit())
                .seed(clustering.seed).members(members).build());
        clusterer.checkFits(prepared.train().n(), clusterer.clustersFor(prepared.trainRaw()));
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
            try {
                fitted = clusterer.fit(on, prepared, FitOptions.defaults().withListener(new ProgressListener())
                        .withCheckpoint(checkpoint, resume != null).withCancellation(stop::requested));
            } catch (CancelledException e) {
                throw new CancelledException("stopped by " + stop.signal() + ": " + e.getMessage() + "; continue it with"
                        + " --resume " + dir + " and the same flags");
            }
            FitReport fit = fitted.fitReport();
            Dataset scoredRaw = prepared.scoredRaw();
            Assignment scored = prepared.test() == null ? fit.training() : fitted.assign(prepared.test());
            Map<String, Object> metrics = new LinkedHashMap<>();
            if (fit.refinement() != null && scoredRaw.hasLabels()) {
                Assignment before = prepared.test() == null ? fit.initial() : fit.beforeRefinement().assign(prepared.test());
                metrics.put("before_refine", scoresOf(scoredRaw, before.labels()));
            }
            metrics.put("method", fitted.method());
            metrics.put("data", scoredRaw.name());
            metrics.put("n", scoredRaw.size());
            metrics.put("k", fitted.clusters());
            metrics.put("inertia", scored.inertia());
            metrics.put("fit_inertia", fit.initial().inertia());
            ClusteringScores scores = ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
            metrics.put("final_loss", fit.pretraining().finalLoss());
            metrics.put("epochs", fit.pretraining().epochs());
            metrics.put("stopped_early", fit.pretraining().stoppedEarly());
            metrics.put("parameters", fitted.parameterCount());
            metrics.put("loss_history", fit.pretraining().lossHistory());
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
            metrics.put("seed", clustering.seed);
            double seconds = (System.nanoTime() - start) / 1e9;
            metrics.put("seconds", seconds);
            ClusteringOutput.write(dir, scoredRaw, scored.labels(), metrics, fitted);
            PrintWriter w = spec.commandLine().getOut();
            Table.print(w, fitted.method(), scoredRaw, fitted.clusters(), scored.inertia(), scores, seconds);
            w.printf(Locale.ROOT, "trained %d epochs%s, final loss %.5f, %d parameters%n", fit.pretraining().epochs(),
                    fit.pretraining().stoppedEarly() ? " (loss plateau)" : "", fit.pretraining().finalLoss(),
                    fitted.parameterCount());
            if (refined != null) {
                w.printf(Locale.ROOT, "%s refinement: %d epochs, %.2f%% labels changed at the last target update%s%n",
                        clusterer.refine().label(), refined.epochs(), 100 * refined.labelChange(),
                        refined.converged() ? " (below --refine-tol)" : "");
            }
            w.println("wrote " + dir.resolve(SequenceClusteringModel.FILE) + ", " + OutputFolder.ASSIGNMENTS + ", "
                    + OutputFolder.METRICS);
            if (report != null) {
                w.println("report: " + ReportWriter.write(report, Reports.clustering(fitted.method() + " on "
                        + scoredRaw.name(), metrics, fit.pretraining().lossHistory(), fitted.embed(prepared.scored()),
                        fitted.latent(), scored.labels(), scoredRaw, prepared.scored())));
            }
            w.flush();
        }
        return Main.EXIT_OK;
    }

    private static Map<String, Object> scoresOf(Dataset data, int[] clusters) {
        Map<String, Object> m = new LinkedHashMap<>();
        ClusteringOutput.score(data, clusters, m);
        return m;
    }
}
