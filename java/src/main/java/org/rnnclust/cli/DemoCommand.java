package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.Device;
import org.rnnclust.api.FitOptions;
import org.rnnclust.api.FitReport;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.ReservoirClusterer;
import org.rnnclust.api.ReservoirClusteringModel;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.api.SequenceClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.report.ClusteringReport;
import org.rnnclust.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on embedded data: generated Cylinder-Bell-Funnel series, clustered by k-means on the
 * raw series, by the reservoir representation (train's default) and by a recurrent autoencoder
 * (train --representation autoencoder's defaults) + k-means and refinement, scored side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Cluster generated CBF series with every method, side by side.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust demo",
                "  rnnclust demo --seed 2 --refine idec --report demo-report",
                "  rnnclust demo --no-train"},
        description = {"Generate Cylinder-Bell-Funnel series (Saito 1994), cluster them with raw k-means, with the",
                "reservoir representation (train's default), with a recurrent autoencoder + k-means and after its",
                "DEC/IDEC refinement; print ACC/NMI/ARI side by side."})
final class DemoCommand implements Callable<Integer> {
    private static final int CLASSES = 3;

    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;
    @Mixin ModelMixin model;
    @Mixin RefineMixin refine;
    @Mixin ProgressMixin progress;

    @Option(names = "--per-class", paramLabel = "N", defaultValue = "300",
            description = "Series per class. Default: ${DEFAULT-VALUE}.")
    int perClass;

    @Option(names = "--length", paramLabel = "T", defaultValue = "128",
            description = "Series length. Default: ${DEFAULT-VALUE}.")
    int length;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Where to write the HTML report. Default: a new rnnclust-demo-* folder in the temp directory.")
    Path report;

    @Option(names = "--no-train", description = "Only the raw k-means baseline (seconds instead of a minute).")
    boolean noTrain;

    @Override
    public Integer call() {
        if (perClass < 2 || length < 8) throw new InputException("--per-class must be >= 2 and --length >= 8");
        SequenceClusterer clusterer = Flags.build(() -> refine.applyTo(model.applyTo(SequenceClusterer.builder()))
                .clusters(CLASSES).seed(seed).build());
        PrintWriter w = spec.commandLine().getOut();
        try (OutputClaim claim = Outputs.claimFolder(report, "--report");
             Device on = device.openForNetworks()) {  // first: a device error must come before any output
            Dataset cbf = Cbf.generate(perClass, length, seed);
            PreparedData data = PreparedData.prepare(cbf, null, PreprocessOptions.defaults());
            PaddedSequences x = data.train();
            w.printf("CBF: %d generated series of length %d, 3 classes (seed %d), z-normalised%n", cbf.size(), length,
                    seed);
            w.flush();
            long start = System.nanoTime();
            FittedClustering raw = Methods.rawKMeans(KMeansSettings.defaults()).fit(on, x, CLASSES, seed);
            double rawSeconds = (System.nanoTime() - start) / 1e9;
            ClusteringScores rawScores = ClusteringScores.of(cbf.labels(), raw.trainingLabels());
            if (noTrain) {
                Table.header(w);
                Table.row(w, "kmeans (raw)", cbf.size(), CLASSES, raw.fitInertia(), rawScores, rawSeconds);
                writeReport(w, Reports.clustering("raw k-means on generated CBF", scoreFacts(rawScores, rawSeconds),
                        List.of(), x.values(), x.rowSize(), raw.trainingLabels(), cbf, x));
                w.flush();
                return Main.EXIT_OK;
            }
            start = System.nanoTime();
            Assignment reservoir;
            double reservoirSeconds;
            SequenceClusteringModel fitted;
            try (Progress shown = progress.open(spec, clusterer.refine().label())) {
                try (ReservoirClusteringModel r = ReservoirClusterer.builder().clusters(CLASSES).seed(seed).build()
                        .fit(on, data, FitOptions.defaults().withListener(shown))) {
                    reservoir = r.training();
                }
                reservoirSeconds = (System.nanoTime() - start) / 1e9;
                start = System.nanoTime();
                fitted = clusterer.fit(on, data, FitOptions.defaults().withListener(shown));
            }
            FitReport fit = fitted.fitReport();
            double pretrainSeconds = fit.seconds() - (fit.refinement() != null ? fit.refinement().seconds() : 0);
            double seconds = (System.nanoTime() - start) / 1e9;
            String method = "rnn-" + clusterer.cell().label();
            w.printf(Locale.ROOT, "%s autoencoder: hidden %d, latent %d, %d epochs, final loss %.4f%n",
                    method, clusterer.hidden(), clusterer.latent(), fit.pretraining().epochs(),
                    fit.pretraining().finalLoss());
            Table.header(w);
            Table.row(w, "kmeans (raw)", cbf.size(), CLASSES, raw.fitInertia(), rawScores, rawSeconds);
            Table.row(w, "rnn-esn", cbf.size(), CLASSES, reservoir.inertia(),
                    ClusteringScores.of(cbf.labels(), reservoir.labels()), reservoirSeconds);
            ClusteringScores scores = ClusteringScores.of(cbf.labels(), fit.initial().labels());
            Table.row(w, method, cbf.size(), CLASSES, fit.initial().inertia(), scores, pretrainSeconds);
            if (fit.refinement() != null) {
                scores = ClusteringScores.of(cbf.labels(), fit.training().labels());
                Table.row(w, fitted.method(), cbf.size(), CLASSES, Double.NaN, scores, seconds);
            }
            w.println("rows:");
            w.println("  kmeans (raw)  k-means of the series themselves");
            w.println("  rnn-esn       the reservoir representation: train's default");
            w.printf("  %-13s k-means of a recurrent autoencoder's embeddings: train --representation autoencoder%n",
                    method);
            if (fit.refinement() != null) {
                w.printf("  %-13s the same after %s refinement of encoder and clusters (--refine none skips it)%n",
                        fitted.method(), clusterer.refine().label().toUpperCase(Locale.ROOT));
                String moved = RefinementNote.of(clusterer.refine().label(), fit.refinement(), fit.initial().labels(),
                        fit.training().labels());
                if (moved != null) w.println(moved);
            }
            // The report shows the final clustering: the final labels on the final encoder's embeddings.
            Map<String, Object> facts = scoreFacts(scores, seconds);
            facts.put("epochs", fit.pretraining().epochs());
            facts.put("final_loss", fit.pretraining().finalLoss());
            facts.put("raw k-means NMI", rawScores.nmi());
            if (fit.refinement() != null) facts.put("refine_kl_history", fit.refinement().klHistory());
            facts.put("provenance", Provenance.of(spec, on.description()));
            writeReport(w, Reports.clustering(fitted.method() + " on generated CBF", facts,
                    fit.pretraining().lossHistory(), fitted.embed(x), fitted.latent(), fit.training().labels(), cbf, x,
                    fitted.reconstruct(x)));
        }
        w.flush();
        return Main.EXIT_OK;
    }

    private static Map<String, Object> scoreFacts(ClusteringScores s, double seconds) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("acc", s.acc());
        facts.put("nmi", s.nmi());
        facts.put("ari", s.ari());
        facts.put("seconds", seconds);
        return facts;
    }

    private void writeReport(PrintWriter w, ClusteringReport r) {
        Path dir = report;
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("rnnclust-demo-");
            } catch (IOException e) {
                throw new InputException("cannot create a report folder in the temp directory: " + e.getMessage());
            }
        }
        w.println("report: " + ReportWriter.write(dir, r));
    }
}
