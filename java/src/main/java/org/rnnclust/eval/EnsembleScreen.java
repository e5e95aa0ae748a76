package org.rnnclust.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.metrics.MutualInformation;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.metrics.Silhouette;

/**
 * The screen behind the choice of how one fit combines several pretrained networks (see
 * docs/experiments.md): on every dataset of a folder, {@code MEMBERS} networks of evaluate's
 * {@code rnn} method (seeds 0 .. MEMBERS−1; on the CPU, in the deterministic mode with
 * {@code -Drnnclust.screen.deterministic=true}), each clustered by k-means, and
 * for the first 3 and for all members, the scored set's NMI of the member that each label-free
 * rule picks: the partition that agrees most with the others (mean ARI on the training set), the
 * lowest final reconstruction loss, the highest silhouette of the training embedding; and two
 * combinations that need every member at prediction time: the consensus of the members' partitions
 * of the scored set (k-means on their one-hot labels side by side, i.e. on how often two items
 * share a cluster) and k-means on the members' embeddings side by side.
 *
 * <pre>java -cp rnnclust.jar org.rnnclust.eval.EnsembleScreen DATA_DIR MEMBERS OUT.json [DATASET,...]</pre>
 */
public final class EnsembleScreen {
    private static final int SILHOUETTE_SAMPLE = 2000;
    private static final ClusteringMethod KMEANS = Methods.rawKMeans(KMeansSettings.withRestarts(10));

    private EnsembleScreen() {}

    /** One member network's clustering. */
    record Member(long seed, double nmi, double finalLoss, double silhouette, int[] trainLabels, int[] testLabels,
                  float[] zTrain, float[] zTest, int d) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: EnsembleScreen DATA_DIR MEMBERS OUT.json [DATASET,...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int members = Integer.parseInt(args[1]);
        List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        EvaluationBudget budget = EvaluationBudget.defaults();
        List<Map<String, Object>> sets = new ArrayList<>();
        DeviceOptions cpu = DeviceOptions.of("cpu").withDeterministic(Boolean.getBoolean("rnnclust.screen.deterministic"));
        try (Device device = Device.open(cpu)) {
            for (DatasetCatalog.Entry entry : DatasetCatalog.find(dir)) {
                if (!only.isEmpty() && !only.contains(entry.name())) continue;
                sets.add(screen(device, entry, members, budget));
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[2]).toFile(), sets);
            }
        }
    }

    private static Map<String, Object> screen(Device device, DatasetCatalog.Entry entry, int members,
                                              EvaluationBudget budget) {
        Evaluation.Prepared data = Evaluation.prepare(entry);
        int k = Math.min(data.k(), data.train().n());
        ClusteringMethod rnn = MethodNames.build("rnn-ae", budget);
        List<Member> ms = new ArrayList<>();
        for (long seed = 0; seed < members; seed++) {
            try (FittedClustering fit = rnn.fit(device, data.train(), k, seed)) {
                int[] onTest = fit.assign(data.test()).labels();
                int[] onTrain = fit.trainingLabels();
                float[] z = fit.embed(data.train());
                List<Double> loss = fit.lossHistory();
                ms.add(new Member(seed, MutualInformation.nmi(data.scored().labels(), onTest),
                        loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1),
                        silhouette(z, data.train().n(), fit.dimensions(), onTrain, seed), onTrain, onTest, z,
                        fit.embed(data.test()), fit.dimensions()));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", entry.name());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Member m : ms) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seed", m.seed());
            row.put("nmi", m.nmi());
            row.put("final_loss", m.finalLoss());
            row.put("silhouette", m.silhouette());
            rows.add(row);
        }
        out.put("members", rows);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s members", entry.name()));
        for (Member m : ms) line.append(String.format(Locale.ROOT, " %.3f", m.nmi()));
        for (int size : sizes(members)) {
            List<Member> sub = ms.subList(0, size);
            Map<String, Object> picks = new LinkedHashMap<>();
            picks.put("agreement", sub.get(byAgreement(sub)).nmi());
            picks.put("loss", sub.get(byLoss(sub)).nmi());
            picks.put("silhouette", sub.get(bySilhouette(sub)).nmi());
            picks.put("mean_member", sub.stream().mapToDouble(Member::nmi).average().orElse(Double.NaN));
            picks.put("consensus", MutualInformation.nmi(data.scored().labels(), consensus(device, sub, k)));
            picks.put("concatenated", MutualInformation.nmi(data.scored().labels(),
                    concatenated(device, sub, k, data.train().n(), data.test().n())));
            out.put("picks_of_" + size, picks);
            line.append(String.format(Locale.ROOT,
                    " | of %d: agreement %.3f loss %.3f silhouette %.3f consensus %.3f concatenated %.3f", size,
                    picks.get("agreement"), picks.get("loss"), picks.get("silhouette"), picks.get("consensus"),
                    picks.get("concatenated")));
        }
        System.out.println(line);
        return out;
    }

    private static List<Integer> sizes(int members) {
        return members > 3 ? List.of(3, members) : List.of(members);
    }

    /** The member whose training partition has the highest mean ARI with the others' (the first of equals). */
    static int byAgreement(List<Member> ms) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ms.size(); i++) {
            double sum = 0;
            for (int j = 0; j < ms.size(); j++) {
                if (j != i) sum += RandIndex.ari(ms.get(i).trainLabels(), ms.get(j).trainLabels());
            }
            if (sum > bestScore) {
                bestScore = sum;
                best = i;
            }
        }
        return best;
    }

    static int byLoss(List<Member> ms) {
        int best = 0;
        for (int i = 1; i < ms.size(); i++) if (ms.get(i).finalLoss() < ms.get(best).finalLoss()) best = i;
        return best;
    }

    static int bySilhouette(List<Member> ms) {
        int best = 0;
        for (int i = 1; i < ms.size(); i++) if (ms.get(i).silhouette() > ms.get(best).silhouette()) best = i;
        return best;
    }

    /** k-means (10 restarts) on each item's members' labels, one-hot, side by side. */
    private static int[] consensus(Device device, List<Member> ms, int k) {
        int n = ms.get(0).testLabels().length;
        int d = ms.size() * k;
        float[] x = new float[n * d];
        for (int r = 0; r < ms.size(); r++) {
            int[] labels = ms.get(r).testLabels();
            for (int i = 0; i < n; i++) x[i * d + r * k + labels[i]] = 1f;
        }
        try (FittedClustering fit = KMEANS.fit(device, points(x, n, d), k, 0)) {
            return fit.trainingLabels();
        }
    }

    /** n points of d values as sequences of one step, for the public k-means. */
    private static PaddedSequences points(float[] x, int n, int d) {
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, 1);
        return new PaddedSequences(n, 1, d, x, lengths);
    }

    /** k-means (10 restarts) on the members' training embeddings side by side; the scored set assigned. */
    private static int[] concatenated(Device device, List<Member> ms, int k, int nTrain, int nTest) {
        int d = ms.stream().mapToInt(Member::d).sum();
        float[] train = sideBySide(ms, nTrain, d, true);
        try (FittedClustering fit = KMEANS.fit(device, points(train, nTrain, d), k, 0)) {
            return fit.assign(points(sideBySide(ms, nTest, d, false), nTest, d)).labels();
        }
    }

    private static float[] sideBySide(List<Member> ms, int n, int d, boolean train) {
        float[] x = new float[n * d];
        int at = 0;
        for (Member m : ms) {
            float[] z = train ? m.zTrain() : m.zTest();
            for (int i = 0; i < n; i++) System.arraycopy(z, i * m.d(), x, i * d + at, m.d());
            at += m.d();
        }
        return x;
    }

    private static double silhouette(float[] z, int n, int d, int[] labels, long seed) {
        if (java.util.Arrays.stream(labels).distinct().count() < 2) return -1;
        if (n <= SILHOUETTE_SAMPLE) return Silhouette.score(z, n, d, labels);
        int[] rows = new SplittableRandom(seed).ints(0, n).distinct().limit(SILHOUETTE_SAMPLE).toArray();
        return Silhouette.sampled(z, n, d, labels, rows);
    }
}
