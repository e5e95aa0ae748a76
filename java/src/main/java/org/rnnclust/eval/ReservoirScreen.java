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
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.api.KMeansSettings;
import org.rnnclust.api.Methods;
import org.rnnclust.api.PcaSettings;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.api.ReservoirViews;

/**
 * The screen behind the settings of the reservoir representation (docs/experiments.md): on every
 * dataset of a folder, evaluate's protocol ({@link Evaluation#fitSeeds}: fit TRAIN, score TEST, NMI)
 * for raw k-means and for {@link Methods#reservoir} under each configuration named on the command line, each a change of
 * {@link ReservoirSettings#defaults()}: {@code NAME:key=value,...} with keys units, radius, input,
 * density, bidirectional, components, ridge, steps, pcaMax, pcaVariance, members, and the views of
 * {@link ReservoirViews}: differences (true/false), memberSteps (steps joined by "/", e.g.
 * {@code 32/64/128}; empty: every member at steps), rawWeight. (The screens of
 * docs/experiments.md changed the first settings, {@code units=200,members=1}, one key at a time.)
 *
 * <pre>java -cp rnnclust.jar org.rnnclust.eval.ReservoirScreen DATA_DIR SEEDS OUT.json CONFIG...</pre>
 *
 * Seeds are 0..SEEDS−1 (or one seed S with {@code -Drnnclust.screen.seed=S}). Prints each
 * configuration's mean NMI and its wins over raw k-means.
 */
public final class ReservoirScreen {
    private ReservoirScreen() {}

    static ReservoirSettings parse(String changes) {
        ReservoirSettings s = ReservoirSettings.defaults();
        int units = s.units();
        double radius = s.spectralRadius();
        double input = s.inputScaling();
        double density = s.density();
        boolean bi = s.bidirectional();
        int components = s.components();
        double ridge = s.ridge();
        int steps = s.maxSteps();
        int pcaMax = s.pca().maxComponents();
        double pcaVariance = s.pca().variance();
        int members = s.members();
        boolean differences = s.views().differences();
        List<Integer> memberSteps = s.views().memberSteps();
        double rawWeight = s.views().rawWeight();
        for (String kv : changes.isEmpty() ? new String[0] : changes.split(",")) {
            String[] p = kv.split("=", 2);
            switch (p[0]) {
                case "units" -> units = Integer.parseInt(p[1]);
                case "radius" -> radius = Double.parseDouble(p[1]);
                case "input" -> input = Double.parseDouble(p[1]);
                case "density" -> density = Double.parseDouble(p[1]);
                case "bidirectional" -> bi = Boolean.parseBoolean(p[1]);
                case "components" -> components = Integer.parseInt(p[1]);
                case "ridge" -> ridge = Double.parseDouble(p[1]);
                case "steps" -> steps = Integer.parseInt(p[1]);
                case "pcaMax" -> pcaMax = Integer.parseInt(p[1]);
                case "pcaVariance" -> pcaVariance = Double.parseDouble(p[1]);
                case "members" -> members = Integer.parseInt(p[1]);
                case "differences" -> differences = Boolean.parseBoolean(p[1]);
                case "memberSteps" -> memberSteps = p[1].isEmpty() ? List.of()
                        : Arrays.stream(p[1].split("/")).map(Integer::valueOf).toList();
                case "rawWeight" -> rawWeight = Double.parseDouble(p[1]);
                default -> throw new IllegalArgumentException("unknown key " + p[0]);
            }
        }
        return new ReservoirSettings(units, radius, input, density, bi, components, ridge, steps,
                new PcaSettings(0, pcaVariance, pcaMax), members, new ReservoirViews(differences, memberSteps, rawWeight));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: ReservoirScreen DATA_DIR SEEDS OUT.json NAME:key=value,... ...");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int seeds = Integer.parseInt(args[1]);
        Long onlySeed = Long.getLong("rnnclust.screen.seed");
        long firstSeed = onlySeed != null ? onlySeed : 0;
        int seedCount = onlySeed != null ? 1 : seeds;
        Map<String, ClusteringMethod> methods = new LinkedHashMap<>();
        KMeansSettings kmeans = KMeansSettings.withRestarts(10);
        methods.put("kmeans", Methods.rawKMeans(kmeans));
        for (int i = 3; i < args.length; i++) {
            String[] nc = args[i].split(":", 2);
            methods.put(nc[0], Methods.reservoir(parse(nc.length > 1 ? nc[1] : ""), kmeans));
        }
        Map<String, Map<String, List<Double>>> nmi = new LinkedHashMap<>();
        for (String m : methods.keySet()) nmi.put(m, new LinkedHashMap<>());
        try (Device device = Device.open(DeviceOptions.of("cpu"))) {
            for (DatasetCatalog.Entry entry : DatasetCatalog.find(dir)) {
                Evaluation.Prepared data = Evaluation.prepare(entry);
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", entry.name()));
                for (Map.Entry<String, ClusteringMethod> m : methods.entrySet()) {
                    List<Double> scores = new ArrayList<>();
                    for (Evaluation.Run run : Evaluation.fitSeeds(m.getValue(), device, data.train(), data.test(),
                            data.scored(), data.k(), firstSeed, seedCount).runs()) {
                        scores.add(run.nmi());
                    }
                    nmi.get(m.getKey()).put(entry.name(), scores);
                    line.append(String.format(Locale.ROOT, " %s %.3f", m.getKey(), mean(scores)));
                }
                System.out.println(line);
            }
        }
        Map<String, List<Double>> km = nmi.get("kmeans");
        for (Map.Entry<String, Map<String, List<Double>>> m : nmi.entrySet()) {
            double sum = 0;
            int wins = 0;
            for (Map.Entry<String, List<Double>> d : m.getValue().entrySet()) {
                sum += mean(d.getValue());
                if (mean(d.getValue()) > mean(km.get(d.getKey()))) wins++;
            }
            System.out.printf(Locale.ROOT, "%-16s mean NMI %.4f, beats raw k-means on %d of %d%n", m.getKey(),
                    sum / m.getValue().size(), wins, m.getValue().size());
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(args[2]).toFile(), nmi);
    }

    private static double mean(List<Double> v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.size();
    }
}
