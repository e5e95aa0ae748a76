package org.rnnclust.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rnnclust.api.Device;
import org.rnnclust.api.DifferentialPrivacy;
import org.rnnclust.api.FitOptions;
import org.rnnclust.api.PrivacySummary;
import org.rnnclust.api.Refine;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.api.SequenceClusteringModel;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreparedData;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.metrics.ClusteringAccuracy;
import org.rnnclust.metrics.MutualInformation;

/**
 * A loss-threshold membership-inference attack on the recurrent autoencoder (Yeom et al., CSF
 * 2018): train on {@code members} sequences drawn from a dataset, then score the reconstruction
 * loss of every member and of up to {@code others} sequences it never saw; the attack says "member" below a
 * threshold, and its AUC over all thresholds is the chance that a random member has the lower
 * loss of a random pair (0.5: no leakage). Run without privacy and with DP-SGD at each target ε
 * (σ calibrated to spend it over the epochs), same split, same settings, and the initial network
 * as a control ("untrained": what the split alone gives); the utility is the NMI
 * and ACC of the fitted clustering on the non-members, against their labels.
 *
 * <pre>java -cp rnnclust.jar org.rnnclust.eval.MembershipAttack OUT.json DATA[+DATA2] [key=value ...]</pre>
 *
 * DATA is any file {@code train --data} reads (two joined by "+": a UCR set's TRAIN and TEST);
 * keys: labels (an IDX labels file), members (100), others (1000), epochs (200), hidden (64),
 * latent (16), batch (10), lr (3e-3), clip (C, 1), delta (1e-3; below 1/members), epsilons
 * ("untrained/none/8/4/1"),
 * seed (0), normalize (znorm, minmax, none), scale (1: every value is multiplied by it first; MNIST's
 * pixels take 1/255 with normalize=none, since min-max statistics fitted on 100 images leave
 * border columns with no range), bidirectional (true).
 */
public final class MembershipAttack {
    private MembershipAttack() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: MembershipAttack OUT.json DATA[+DATA2] [key=value ...]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>(Map.of("members", "100", "epochs", "200", "hidden", "64",
                "latent", "16", "batch", "10", "lr", "3e-3", "clip", "1", "delta", "1e-3", "epsilons",
                "untrained/none/8/4/1", "seed", "0"));
        o.put("others", "1000");
        o.put("normalize", "znorm");
        o.put("bidirectional", "true");
        o.put("scale", "1");
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0]) && !kv[0].equals("labels")) {
                throw new IllegalArgumentException("unknown setting " + args[i]);
            }
            o.put(kv[0], kv[1]);
        }
        Dataset all = scaled(read(args[1], o.get("labels")), Float.parseFloat(o.get("scale")));
        int members = Integer.parseInt(o.get("members"));
        long seed = Long.parseLong(o.get("seed"));
        Dataset[] split = split(all, members, Integer.parseInt(o.get("others")), seed);
        PreprocessOptions prep = PreprocessOptions.defaults()
                .withNormalization(Normalization.valueOf(o.get("normalize").toUpperCase(Locale.ROOT)));
        PreparedData data = PreparedData.prepare(split[0], split[1], prep);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Device cpu = Device.open("cpu")) {
            for (String eps : o.get("epsilons").split("/")) {
                SequenceClusterer.Builder b = SequenceClusterer.builder().hidden(Integer.parseInt(o.get("hidden")))
                        .latent(Integer.parseInt(o.get("latent"))).bidirectional(Boolean.parseBoolean(o.get("bidirectional")))
                        .epochs(Integer.parseInt(o.get("epochs"))).batchSize(Integer.parseInt(o.get("batch")))
                        .learningRate(Double.parseDouble(o.get("lr"))).patience(0).refine(Refine.NONE).seed(seed)
                        .preprocessing(prep);
                if (eps.equals("untrained")) {
                    // The control: the initial network (one step at a negligible rate). Its AUC is what
                    // the split alone gives, with a network that learned nothing from the members.
                    b.epochs(1).learningRate(1e-12);
                } else if (!eps.equals("none")) {
                    b.privacy(DifferentialPrivacy.forEpsilon(Double.parseDouble(o.get("clip")), Double.parseDouble(eps),
                            Double.parseDouble(o.get("delta"))));
                }
                long start = System.nanoTime();
                try (SequenceClusteringModel m = b.build().fit(cpu, data, FitOptions.defaults())) {
                    double[] inLoss = losses(m.reconstruct(data.train()), data.train());
                    double[] outLoss = losses(m.reconstruct(data.test()), data.test());
                    int[] predicted = m.assign(data.test()).labels();
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("target_epsilon", eps);
                    PrivacySummary dp = m.fitReport().pretraining().privacy();
                    row.put("epsilon", dp == null ? null : dp.epsilon());
                    row.put("noise_multiplier", dp == null ? null : dp.noiseMultiplier());
                    row.put("auc", auc(inLoss, outLoss));
                    row.put("member_loss", mean(inLoss));
                    row.put("nonmember_loss", mean(outLoss));
                    row.put("nmi", MutualInformation.nmi(split[1].labels(), predicted));
                    row.put("acc", ClusteringAccuracy.acc(split[1].labels(), predicted));
                    row.put("seconds", (System.nanoTime() - start) / 1e9);
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%s eps %-5s -> %s  AUC %.3f  loss in %.4f out %.4f  NMI %.3f ACC %.3f  %.0f s%n",
                            all.name(), eps, dp == null ? "-" : String.format(Locale.ROOT, "%.2f (sigma %.3g)", dp.epsilon(),
                                    dp.noiseMultiplier()), row.get("auc"), row.get("member_loss"), row.get("nonmember_loss"),
                            row.get("nmi"), row.get("acc"), row.get("seconds"));
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", args[1]);
        out.put("sequences", all.size());
        out.put("settings", o);
        out.put("runs", rows);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[0]).toFile(), out);
    }

    static Dataset read(String spec, String labels) {
        ReadOptions options = labels == null ? ReadOptions.defaults() : ReadOptions.defaults().withLabelsFile(Path.of(labels));
        String[] files = spec.split("\\+");
        return files.length == 2 ? Readers.readMerged(Path.of(files[0]), Path.of(files[1]), options)
                : Readers.read(Path.of(files[0]), options);
    }

    static Dataset scaled(Dataset d, float factor) {
        if (factor == 1) return d;
        float[][] series = new float[d.size()][];
        for (int i = 0; i < series.length; i++) {
            series[i] = d.series(i).clone();
            for (int k = 0; k < series[i].length; k++) series[i][k] *= factor;
        }
        return d.withSeries(series);
    }

    /**
     * {@code members} sequences and up to {@code others} of the rest (at least as many as members),
     * drawn by {@code seed} without replacement.
     */
    static Dataset[] split(Dataset all, int members, int others, long seed) {
        if (2 * members > all.size()) {
            throw new IllegalArgumentException(all.size() + " sequences cannot give " + members + " members and as many others");
        }
        int rest = Math.max(members, Math.min(others, all.size() - members));
        int[] order = new int[all.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        SplittableRandom r = new SplittableRandom(seed ^ 0x6D656D62L);
        for (int i = order.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Dataset[] {subset(all, "members", Arrays.copyOfRange(order, 0, members)),
                subset(all, "non-members", Arrays.copyOfRange(order, members, members + rest))};
    }

    private static Dataset subset(Dataset all, String name, int[] rows) {
        float[][] series = new float[rows.length][];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            series[i] = all.series(rows[i]);
            labels[i] = all.labels()[rows[i]];
        }
        return new Dataset(name, series, all.channels(), labels, all.labelNames());
    }

    /** Each sequence's mean squared reconstruction error over its valid steps. */
    static double[] losses(float[] reconstruction, PaddedSequences data) {
        double[] out = new double[data.n()];
        float[] v = data.values();
        for (int i = 0; i < data.n(); i++) {
            int base = i * data.rowSize();
            int values = data.lengths()[i] * data.channels();
            double s = 0;
            for (int k = 0; k < values; k++) {
                double d = reconstruction[base + k] - v[base + k];
                s += d * d;
            }
            out[i] = s / values;
        }
        return out;
    }

    /** P(member loss < non-member loss) + ½·P(equal): the Mann–Whitney statistic over all pairs. */
    static double auc(double[] members, double[] others) {
        double wins = 0;
        for (double a : members) {
            for (double b : others) wins += a < b ? 1 : a == b ? 0.5 : 0;
        }
        return wins / ((double) members.length * others.length);
    }

    private static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(Double.NaN);
    }
}
