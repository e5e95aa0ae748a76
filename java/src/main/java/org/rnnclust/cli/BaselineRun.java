package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.eval.ClusteringMethod;
import org.rnnclust.eval.FittedClustering;
import org.rnnclust.io.ResultFiles;
import org.rnnclust.metrics.ClusteringScores;

/**
 * What the baseline commands (pca-kmeans, forest) share with kmeans: read and preprocess, fit on
 * --data, assign --test (or --data), score, and write assignments.csv and metrics.json.
 */
final class BaselineRun {
    private BaselineRun() {}

    static int run(PrintWriter w, DataOptions data, PreprocessMixin prep, DeviceMixin device, KMeansMixin kmeans,
                   Path out, ClusteringMethod method, Map<String, Object> settings) {
        long start = System.nanoTime();
        PreparedData prepared = PreparedData.prepare(data.train(), data.testSet(), prep.options());
        Dataset scoredRaw = prepared.scoredRaw();
        int k = kmeans.k(prepared.trainRaw());
        PaddedSequences train = prepared.train();
        if (k > train.n()) {
            throw new InputException("--k " + k + " exceeds the number of training sequences (" + train.n() + ")");
        }
        KMeansModel.Assignment scored;
        Map<String, Object> metrics = new LinkedHashMap<>();
        try (Backend backend = device.open();
             FittedClustering fit = fitOrExplain(method, backend, train, k, kmeans.seed)) {
            PaddedSequences target = prepared.scored();
            scored = fit.kmeans().predict(backend, fit.embed(backend, target), target.n());
            metrics.put("method", method.name());
            metrics.put("data", scoredRaw.name());
            metrics.put("n", scoredRaw.size());
            metrics.put("k", k);
            metrics.put("dimensions", fit.dimensions());
            metrics.put("inertia", scored.inertia());
            metrics.put("fit_inertia", fit.kmeans().inertia());
            metrics.put("iterations", fit.kmeans().iterations());
            metrics.put("converged", fit.kmeans().converged());
            metrics.put("parameters", fit.parameterCount());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ClusteringScores scores = ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
        metrics.putAll(settings);
        metrics.put("seed", kmeans.seed);
        metrics.put("n_init", kmeans.nInit);
        metrics.put("seconds", seconds);
        ClusteringOutput.write(out, scoredRaw, scored.labels(), metrics, null);
        Table.print(w, method.name(), scoredRaw, k, scored.inertia(), scores, seconds);
        w.println("wrote " + out.resolve(ResultFiles.ASSIGNMENTS) + " and " + out.resolve(ResultFiles.METRICS));
        w.flush();
        return Main.EXIT_OK;
    }

    /** Settings the method rejects (too few rows for the components asked, ...) are bad input. */
    private static FittedClustering fitOrExplain(ClusteringMethod method, Backend backend, PaddedSequences train, int k,
                                                 long seed) {
        try {
            return method.fit(backend, train, k, seed);
        } catch (IllegalArgumentException e) {
            throw new InputException(method.name() + ": " + e.getMessage());
        }
    }
}
