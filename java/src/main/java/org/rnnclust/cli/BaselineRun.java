package org.rnnclust.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.api.Assignment;
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.ClusteringModel;
import org.rnnclust.api.Device;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.InternalScores;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the commands of the classical methods (kmeans, pca-kmeans, forest, kshape, dtw-kmeans)
 * share: read and preprocess, fit on --data, assign --test (or --data), score, and write
 * assignments.csv and metrics.json.
 */
final class BaselineRun {
    private BaselineRun() {}

    /**
     * @param embedding whether the method embeds the series first (pca-kmeans, forest): its metrics
     *                  then add the embedding's size and parameters, and --data's own clusters are
     *                  assigned again through the embedding; the others report their fit's clusters
     * @param settings  the flags' values that metrics.json records after the scores, in this order
     *                  (the seed among them, where the command puts it)
     */
    static int run(CommandSpec spec, DataOptions data, PreprocessMixin prep, DeviceMixin device,
                   ClusteringMixin clustering, Path out, ClusteringMethod method, boolean embedding,
                   Map<String, Object> settings) {
        try (OutputClaim claim = Outputs.claimFolder(out, "--out")) {
            return fitAndWrite(spec, data, prep, device, clustering, out, method, embedding, settings);
        }
    }

    private static int fitAndWrite(CommandSpec spec, DataOptions data, PreprocessMixin prep, DeviceMixin device,
                                   ClusteringMixin clustering, Path out, ClusteringMethod method, boolean embedding,
                                   Map<String, Object> settings) {
        long start = System.nanoTime();
        PrintWriter w = spec.commandLine().getOut();
        PreparedData prepared = PreparedData.prepare(data.train(), data.testSet(), prep.options());
        Dataset scoredRaw = prepared.scoredRaw();
        int k = clustering.k(prepared.trainRaw());
        Assignment scored;
        Map<String, Object> metrics = new LinkedHashMap<>();
        String deviceUsed;
        double seconds;
        InternalScores internal;
        try (Device on = device.open(); FittedClustering fit = fitOrExplain(method, on, prepared.train(), k, clustering.seed)) {
            deviceUsed = on.description();
            PaddedSequences target = prepared.scored();
            // Scored where the method clustered: its embedding (computed once, for the clusters too),
            // or the (preprocessed, padded) series.
            float[] points;
            if (embedding) {
                ClusteringModel.Embedded both = fit.embedAndAssign(target);
                scored = both.assignment();
                points = both.embeddings();
            } else {
                scored = prepared.test() != null ? fit.assign(target)
                        : new Assignment(fit.trainingLabels(), fit.fitInertia());
                points = target.values();
            }
            metrics.put("method", method.name());
            metrics.put("data", scoredRaw.name());
            metrics.put("n", scoredRaw.size());
            metrics.put("k", k);
            if (embedding) metrics.put("dimensions", fit.dimensions());
            metrics.put("inertia", scored.inertia());
            metrics.put("fit_inertia", fit.fitInertia());
            metrics.put("iterations", fit.iterations());
            metrics.put("converged", fit.converged());
            if (embedding) metrics.put("parameters", fit.parameterCount());
            seconds = (System.nanoTime() - start) / 1e9;
            internal = ClusteringOutput.internal(points, target.n(), embedding ? fit.dimensions() : target.rowSize(),
                    scored.labels(), clustering.seed, metrics);
        }
        ClusteringScores scores = ClusteringOutput.score(scoredRaw, scored.labels(), metrics);
        metrics.putAll(settings);
        metrics.put("seconds", seconds);
        ClusteringOutput.write(out, scoredRaw, scored.labels(), metrics, Provenance.of(spec, deviceUsed), null);
        Table.print(w, method.name(), scoredRaw, k, scored.inertia(), scores, seconds, internal,
                embedding ? "the embeddings" : "the series");
        w.println("wrote " + out.resolve(OutputFolder.ASSIGNMENTS) + " and " + out.resolve(OutputFolder.METRICS));
        w.flush();
        return Main.EXIT_OK;
    }

    /** Settings the method rejects (too few rows for the components asked, ...) are bad input. */
    private static FittedClustering fitOrExplain(ClusteringMethod method, Device device, PaddedSequences train, int k,
                                                 long seed) {
        try {
            return method.fit(device, train, k, seed);
        } catch (IllegalArgumentException e) {
            throw new InputException(method.name() + ": " + e.getMessage());
        }
    }
}
