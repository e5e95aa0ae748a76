package org.rnnclust.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.TemporalAutoencoderSettings;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.metrics.MutualInformation;

/**
 * The protocol check of docs/experiments.md's reproduction of Lafabregue et al.'s biLSTM-AE: on
 * each dataset of a folder (or the ones named), {@code rnn-tae} is fitted on TRAIN, and TEST is
 * scored (NMI) two ways: assigned to the centroids of TRAIN's embeddings (evaluate's protocol),
 * and clustered anew by k-means on its own embeddings (their code's: only the network is fitted on
 * TRAIN); raw k-means on TEST's series is scored the second way too. k-means: 20 restarts, as
 * their scikit-learn calls.
 *
 * <pre>java -cp rnnclust.jar org.rnnclust.eval.ClusteringProtocolScreen DATA_DIR SEEDS OUT.json [DATASET...]</pre>
 */
public final class ClusteringProtocolScreen {
    private ClusteringProtocolScreen() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: ClusteringProtocolScreen DATA_DIR SEEDS OUT.json [DATASET...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int seeds = Integer.parseInt(args[1]);
        List<String> only = Arrays.asList(args).subList(3, args.length);
        KMeansSettings kmeans = KMeansSettings.withRestarts(20);
        Map<String, Map<String, double[]>> nmi = new LinkedHashMap<>();
        try (Device device = Device.open(new DeviceOptions("cpu", 1, false, 0, false))) {
            for (DatasetCatalog.Entry entry : DatasetCatalog.find(dir)) {
                if (!only.isEmpty() && !only.contains(entry.name())) continue;
                Evaluation.Prepared data = Evaluation.prepare(entry);
                int[] truth = data.scored().labels();
                double[] inductive = new double[seeds];
                double[] transductive = new double[seeds];
                double[] raw = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    try (FittedClustering fit = Methods.temporalAutoencoder(TemporalAutoencoderSettings.lafabregue(),
                            kmeans, 0).fit(device, data.train(), data.k(), s)) {
                        inductive[s] = MutualInformation.nmi(truth, fit.assign(data.test()).labels());
                        PaddedSequences embedded = asPoints(fit.embed(data.test()), data.test().n(), fit.dimensions());
                        transductive[s] = MutualInformation.nmi(truth, kmeansLabels(kmeans, device, embedded, data.k(), s));
                    }
                    raw[s] = MutualInformation.nmi(truth, kmeansLabels(kmeans, device, data.test(), data.k(), s));
                }
                Map<String, double[]> row = new LinkedHashMap<>();
                row.put("rnn-tae, TEST assigned to TRAIN's centroids", inductive);
                row.put("rnn-tae, k-means on TEST's embeddings", transductive);
                row.put("raw k-means on TEST", raw);
                nmi.put(entry.name(), row);
                System.out.printf(Locale.ROOT, "%-22s assigned %.3f  k-means on TEST %.3f  raw k-means on TEST %.3f%n",
                        entry.name(), mean(inductive), mean(transductive), mean(raw));
            }
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[2]).toFile(), nmi);
    }

    /** Embeddings [n, d] as n one-channel "series" of d steps, for raw k-means to cluster. */
    private static PaddedSequences asPoints(float[] embeddings, int n, int d) {
        int[] lengths = new int[n];
        Arrays.fill(lengths, d);
        return new PaddedSequences(n, d, 1, embeddings, lengths);
    }

    private static int[] kmeansLabels(KMeansSettings kmeans, Device device, PaddedSequences points, int k, long seed) {
        try (FittedClustering fit = Methods.rawKMeans(kmeans).fit(device, points, k, seed)) {
            return fit.trainingLabels();
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }
}
