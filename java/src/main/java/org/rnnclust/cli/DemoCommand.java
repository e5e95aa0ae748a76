package org.rnnclust.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.Refinement;
import org.rnnclust.train.RefinementResult;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on embedded data: generated Cylinder-Bell-Funnel series, clustered by k-means on the
 * raw series and by a recurrent autoencoder (train's defaults) + k-means, scored side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate Cylinder-Bell-Funnel series (Saito 1994), cluster them with raw k-means, with",
                "a recurrent autoencoder + k-means and after its DEC/IDEC refinement; print ACC/NMI/ARI side by side."})
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;
    @Mixin ModelMixin model;
    @Mixin RefineMixin refine;

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
    java.nio.file.Path report;

    @Option(names = "--no-train", description = "Only the raw k-means baseline (seconds instead of a minute).")
    boolean noTrain;

    private static java.util.Map<String, Object> scoreFacts(ClusteringScores s, double seconds) {
        java.util.Map<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("acc", s.acc());
        facts.put("nmi", s.nmi());
        facts.put("ari", s.ari());
        facts.put("seconds", seconds);
        return facts;
    }

    private void writeReport(PrintWriter w, org.rnnclust.report.ClusteringReport r) {
        java.nio.file.Path dir = report;
        if (dir == null) {
            try {
                dir = java.nio.file.Files.createTempDirectory("rnnclust-demo-");
            } catch (java.io.IOException e) {
                throw new InputException("cannot create a report folder in the temp directory: " + e.getMessage());
            }
        }
        w.println("report: " + org.rnnclust.report.ReportWriter.write(dir, r));
    }

    @Override
    public Integer call() {
        if (perClass < 2 || length < 8) throw new InputException("--per-class must be >= 2 and --length >= 8");
        PrintWriter w = spec.commandLine().getOut();
        try (Backend backend = device.openForNetworks()) {  // first: a device error must come before any output
            Dataset cbf = Cbf.generate(perClass, length, seed);
            PreparedData data = PreparedData.prepare(cbf, null, PreprocessOptions.defaults());
            PaddedSequences x = data.train();
            w.printf("CBF: %d generated series of length %d, 3 classes (seed %d), z-normalised%n", cbf.size(), length,
                    seed);
            w.flush();
            long start = System.nanoTime();
            KMeansModel raw = new KMeans(KMeansParams.of(3, seed)).fit(backend, x.values(), x.n(), x.rowSize());
            double rawSeconds = (System.nanoTime() - start) / 1e9;
            ClusteringScores rawScores = ClusteringScores.of(cbf.labels(), raw.labels());
            if (noTrain) {
                Table.header(w);
                Table.row(w, "kmeans (raw)", cbf.size(), 3, raw.inertia(), rawScores, rawSeconds);
                writeReport(w, Reports.clustering("raw k-means on generated CBF", scoreFacts(rawScores, rawSeconds),
                        java.util.List.of(), x.values(), x.rowSize(), raw.labels(), cbf, x));
                w.flush();
                return Main.EXIT_OK;
            }
            start = System.nanoTime();
            AutoencoderSpec arch = model.spec(1);
            TrainConfig config = model.config(seed);
            TensorOps ops = backend.tensorOps();
            try (SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, seed)) {
                TrainingResult result = new Trainer(ops, config, new ProgressListener())
                        .train(net, x, null, null, null, null);
                float[] emb = Trainer.embed(ops, net, x, config.batchSize());
                KMeansModel km = new KMeans(KMeansParams.of(3, seed)).fit(backend, emb, x.n(), arch.latent());
                double seconds = (System.nanoTime() - start) / 1e9;
                String method = "rnn-" + arch.cell().name().toLowerCase(java.util.Locale.ROOT);
                RefineParams rp = refine.params(config);
                RefinementResult refined = rp.method() == RefineMethod.NONE ? null
                        : new Refinement(backend, rp, new ProgressListener()).refine(net, x, km.centroids(), 3);
                double refinedSeconds = (System.nanoTime() - start) / 1e9;
                w.printf(java.util.Locale.ROOT, "%s autoencoder: hidden %d, latent %d, %d epochs, final loss %.4f%n",
                        method, arch.hidden(), arch.latent(), result.epochs(), result.finalLoss());
                Table.header(w);
                Table.row(w, "kmeans (raw)", cbf.size(), 3, raw.inertia(), rawScores, rawSeconds);
                ClusteringScores scores = ClusteringScores.of(cbf.labels(), km.labels());
                Table.row(w, method, cbf.size(), 3, km.inertia(), scores, seconds);
                String shown = method;
                int[] shownLabels = km.labels();
                if (refined != null) {
                    shown = method + "-" + rp.method().label();
                    shownLabels = refined.labels();
                    scores = ClusteringScores.of(cbf.labels(), shownLabels);
                    Table.row(w, shown, cbf.size(), 3, Double.NaN, scores, refinedSeconds);
                    // The report shows the final clustering: refined labels on the refined encoder's embeddings.
                    emb = Trainer.embed(ops, net, x, config.batchSize());
                }
                java.util.Map<String, Object> facts = scoreFacts(scores, refined != null ? refinedSeconds : seconds);
                facts.put("epochs", result.epochs());
                facts.put("final_loss", result.finalLoss());
                facts.put("raw k-means NMI", rawScores.nmi());
                writeReport(w, Reports.clustering(shown + " on generated CBF", facts,
                        result.lossHistory(), emb, arch.latent(), shownLabels, cbf, x));
            }
        }
        w.flush();
        return Main.EXIT_OK;
    }
}
