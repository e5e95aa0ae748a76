package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.io.ResultFiles;
import org.rnnclust.metrics.ClusteringScores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** k-means on the preprocessed raw series: the baseline every learned embedding must beat. */
@Command(name = "kmeans", mixinStandardHelpOptions = true,
        description = {"k-means on the raw (preprocessed) series: the classical baseline.",
                "Writes DIR/assignments.csv and DIR/metrics.json and prints a short table."})
final class KMeansCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin PreprocessMixin prep;
    @Mixin DeviceMixin device;
    @Mixin KMeansMixin kmeans;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    java.nio.file.Path out;

    @Override
    public Integer call() throws IOException {
        long start = System.nanoTime();
        PreparedData prepared = PreparedData.prepare(data.train(), data.testSet(), prep.options());
        Dataset scoredRaw = prepared.scoredRaw();
        int k = kmeans.k(prepared.trainRaw());
        PaddedSequences train = prepared.train();
        if (k > train.n()) {
            throw new InputException("--k " + k + " exceeds the number of training sequences (" + train.n() + ")");
        }
        KMeansModel model;
        KMeansModel.Assignment scored;
        try (Backend backend = device.open()) {
            model = new KMeans(kmeans.params(k)).fit(backend, train.values(), train.n(), train.rowSize());
            scored = prepared.test() == null
                    ? new KMeansModel.Assignment(model.labels(), null, model.inertia())
                    : model.predict(backend, prepared.test().values(), prepared.test().n());
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("method", "kmeans");
        metrics.put("data", scoredRaw.name());
        metrics.put("n", scoredRaw.size());
        metrics.put("k", k);
        metrics.put("inertia", scored.inertia());
        metrics.put("fit_inertia", model.inertia());
        metrics.put("iterations", model.iterations());
        metrics.put("converged", model.converged());
        ClusteringScores scores = ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
        metrics.put("seed", kmeans.seed);
        metrics.put("n_init", kmeans.nInit);
        metrics.put("seconds", seconds);

        ClusteringOutput.write(out, scoredRaw, scored.labels(), metrics, null);

        PrintWriter w = spec.commandLine().getOut();
        Table.print(w, "kmeans", scoredRaw, k, scored.inertia(), scores, seconds);
        w.println("wrote " + out.resolve(ResultFiles.ASSIGNMENTS) + " and " + out.resolve(ResultFiles.METRICS));
        w.flush();
        return Main.EXIT_OK;
    }
}
