package org.rnnclust.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.io.AtomicOutput;
import org.rnnclust.io.ModelFile;
import org.rnnclust.io.ResultFiles;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.nn.AutoencoderSpec;
import org.rnnclust.report.ReportWriter;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.train.Checkpoint;
import org.rnnclust.train.RefineMethod;
import org.rnnclust.train.RefineParams;
import org.rnnclust.train.Refinement;
import org.rnnclust.train.RefinementResult;
import org.rnnclust.train.TrainConfig;
import org.rnnclust.train.TrainedModel;
import org.rnnclust.train.Trainer;
import org.rnnclust.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a recurrent autoencoder, embeds the sequences, clusters the embeddings with k-means. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a recurrent sequence autoencoder, embed every sequence, cluster the embeddings.",
                "Writes DIR/model.rnnclust, DIR/assignments.csv, DIR/metrics.json; checkpoints in DIR/checkpoints/."})
final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin ModelMixin model;
    @Mixin KMeansMixin kmeans;
    @Mixin RefineMixin refine;
    @Mixin ClusterInitMixin clusterInit;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (required unless --resume).")
    Path out;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write an HTML report (loss, embeddings, cluster means, confusion matrix) into DIR.")
    Path report;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the interrupted run in DIR from its last checkpoint (same flags as the first run).")
    Path resume;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        Path dir = resume != null ? resume : out;
        if (dir == null) throw new InputException("--out DIR is required (or --resume DIR)");
        if (resume != null && out != null && !resume.equals(out)) {
            throw new InputException("--resume " + resume + " writes into that folder; drop --out " + out);
        }
        PreparedData prepared = PreparedData.prepare(data.train(), data.testSet(), prep.options());
        Dataset trainRaw = prepared.trainRaw();
        int k = kmeans.k(trainRaw);
        if (k > trainRaw.size()) {
            throw new InputException("--k " + k + " exceeds the number of training sequences (" + trainRaw.size() + ")");
        }
        AutoencoderSpec arch = model.spec(trainRaw.channels());
        TrainConfig config = model.config(kmeans.seed);
        RefineParams refineParams = refine.params(config);
        clusterInit.spectral();  // checks the flags before training
        ObjectNode run = ModelMixin.describe(arch, config, JSON.createObjectNode());
        Path checkpoints = dir.resolve("checkpoints");
        Path checkpoint = checkpoints.resolve(Checkpoint.FILE);
        ModelFile.Loaded resumed = null;
        if (resume != null) {
            if (!Files.isRegularFile(checkpoint)) throw new InputException(checkpoint + ": no checkpoint to resume from");
            resumed = Checkpoint.read(checkpoint);
            requireSameRun(checkpoint, Checkpoint.run(resumed), run);
        }
        try (Backend backend = device.openForNetworks()) {
            // After the device opened: a device that cannot be used leaves no output folder behind.
            try {
                Files.createDirectories(checkpoints);
            } catch (IOException e) {
                throw new InputException(AtomicOutput.describe(checkpoints, e));
            }
            var ops = backend.tensorOps();
            try (SequenceAutoencoder net = new SequenceAutoencoder(ops, arch, config.seed())) {
                TrainingResult result = new Trainer(ops, config, new ProgressListener())
                        .train(net, prepared.train(), checkpoint, checkpoint, resumed, run);
                float[] trainEmb = Trainer.embed(ops, net, prepared.train(), config.batchSize());
                KMeansModel km = clusterInit.fit(backend, trainEmb, trainRaw.size(), arch.latent(), kmeans.params(k));
                Dataset scoredRaw = prepared.scoredRaw();
                float[] scoredEmb = prepared.test() == null ? trainEmb
                        : Trainer.embed(ops, net, prepared.test(), config.batchSize());
                KMeansModel.Assignment scored = prepared.test() == null
                        ? new KMeansModel.Assignment(km.labels(), null, km.inertia())
                        : km.predict(backend, scoredEmb, prepared.test().n());
                Map<String, Object> metrics = new LinkedHashMap<>();
                RefinementResult refined = null;
                float[] centroids = km.centroids();
                if (refineParams.method() != RefineMethod.NONE) {
                    if (scoredRaw.hasLabels()) {
                        metrics.put("before_refine", scoresOf(scoredRaw, scored.labels()));
                    }
                    refined = new Refinement(backend, refineParams, new ProgressListener())
                            .refine(net, prepared.train(), km.centroids(), k);
                    centroids = refined.centroids();
                    scored = Refinement.assign(backend, net, prepared.scored(), centroids, k, config.batchSize());
                    // Refinement moved the encoder: the report shows the refined embeddings.
                    if (report != null) scoredEmb = Trainer.embed(ops, net, prepared.scored(), config.batchSize());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                ObjectNode training = run.deepCopy();
                training.put("epochs_completed", result.epochs());
                training.put("final_loss", result.finalLoss());
                clusterInit.describe(training.putObject("cluster_init"));
                ObjectNode refineNode = RefineMixin.describe(refineParams, training.putObject("refine"));
                if (refined != null) {
                    refineNode.put("epochs_completed", refined.epochs());
                    refineNode.put("label_change", refined.labelChange());
                    refineNode.put("converged", refined.converged());
                }
                TrainedModel saved = new TrainedModel(arch, prepared.preprocessor(), centroids, k,
                        TrainedModel.weightsOf(net), trainRaw.labelNames(), training);
                String method = "rnn-" + arch.cell().name().toLowerCase(java.util.Locale.ROOT)
                        + (refined != null ? "-" + refineParams.method().label() : "");
                metrics.put("method", method);
                metrics.put("data", scoredRaw.name());
                metrics.put("n", scoredRaw.size());
                metrics.put("k", k);
                metrics.put("inertia", scored.inertia());
                metrics.put("fit_inertia", km.inertia());
                ClusteringScores scores = ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
                metrics.put("final_loss", result.finalLoss());
                metrics.put("epochs", result.epochs());
                metrics.put("stopped_early", result.stoppedEarly());
                metrics.put("parameters", net.parameterCount());
                metrics.put("loss_history", result.lossHistory());
                metrics.put("cluster_init", clusterInit.method);
                metrics.put("refine", refineParams.method().label());
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
                metrics.put("seed", kmeans.seed);
                metrics.put("seconds", seconds);
                ClusteringOutput.write(dir, scoredRaw, scored.labels(), metrics,
                        output -> saved.save(output.file(TrainedModel.FILE), net));
                PrintWriter w = spec.commandLine().getOut();
                Table.print(w, method, scoredRaw, k, scored.inertia(), scores, seconds);
                w.printf(java.util.Locale.ROOT, "trained %d epochs%s, final loss %.5f, %d parameters%n", result.epochs(),
                        result.stoppedEarly() ? " (loss plateau)" : "", result.finalLoss(), net.parameterCount());
                if (refined != null) {
                    w.printf(java.util.Locale.ROOT, "%s refinement: %d epochs, %.2f%% labels changed at the last target"
                                    + " update%s%n", refineParams.method().label(), refined.epochs(),
                            100 * refined.labelChange(), refined.converged() ? " (below --refine-tol)" : "");
                }
                w.println("wrote " + dir.resolve(TrainedModel.FILE) + ", " + ResultFiles.ASSIGNMENTS + ", "
                        + ResultFiles.METRICS);
                if (report != null) {
                    w.println("report: " + ReportWriter.write(report, Reports.clustering((String) metrics.get("method")
                            + " on " + scoredRaw.name(), metrics, result.lossHistory(), scoredEmb, arch.latent(),
                            scored.labels(), scoredRaw, prepared.scored())));
                }
                w.flush();
            }
        }
        return Main.EXIT_OK;
    }

    private static Map<String, Object> scoresOf(Dataset data, int[] clusters) {
        Map<String, Object> m = new LinkedHashMap<>();
        ClusteringOutput.score(data, clusters, m);
        return m;
    }

    /** A resumed run must use the settings of the run it continues, or it would not end with the same model. */
    static void requireSameRun(Path checkpoint, ObjectNode saved, ObjectNode now) {
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            // Compared as text: Jackson reads a long 7 back as an int node, which equals() tells apart.
            if (!saved.has(key) || !now.get(key).asText().equals(saved.get(key).asText())) {
                throw new InputException(checkpoint + ": made with " + key + " = " + saved.get(key) + ", this run has "
                        + now.get(key) + "; resume with the flags of the first run");
            }
        }
    }
}
