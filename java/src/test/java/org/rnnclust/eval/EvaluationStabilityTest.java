package org.rnnclust.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnnclust.api.Device;
import org.rnnclust.api.DeviceOptions;
import org.rnnclust.metrics.ClusteringScores;

/**
 * The seed spread, the agreement between seeds and the sensitivity probe of a small evaluation
 * (3 seeds), each against a direct computation from the runs: the statistics from their scores,
 * the agreement from their labels with an ARI of its own (pair counting, not the engine's
 * contingency-table formula), the scores from the labels and the scored set's classes.
 */
class EvaluationStabilityTest {
    static Device cpu;

    @BeforeAll
    static void open() {
        cpu = Device.open(new DeviceOptions("cpu", 2, false, 0, true));
    }

    @AfterAll
    static void close() {
        cpu.close();
    }

    /** Three noisy shapes, TRAIN and TEST of 30 series of 20 steps, as a UCR pair. */
    static Path threeShapes(Path root) throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        Path dir = Files.createDirectories(root.resolve("Shapes3"));
        for (String split : new String[] {"TRAIN", "TEST"}) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                int label = i % 3;
                b.append(label + 1);
                for (int t = 0; t < 20; t++) {
                    double v = switch (label) {
                        case 0 -> Math.sin(t * 0.6);
                        case 1 -> t > 6 && t < 14 ? 1 : -1;
                        default -> t / 10.0 - 1;
                    };
                    b.append('\t').append(String.format(Locale.ROOT, "%.4f", v + 0.8 * r.nextGaussian()));
                }
                b.append('\n');
            }
            Files.writeString(dir.resolve("Shapes3_" + split + ".tsv"), b);
        }
        return root;
    }

    @Test
    void spreadAgreementAndSensitivityMatchADirectComputation(@TempDir Path tmp) throws IOException {
        List<DatasetCatalog.Entry> sets = DatasetCatalog.find(threeShapes(tmp));
        int[] truth = sets.get(0).readTest().labels();
        Evaluation.Result r = Evaluation.run(cpu, sets, List.of("kmeans", "rnn-ae"), 3, EvaluationBudget.quick(), 1,
                line -> {});
        assertEquals(1, r.perturbationUlps());
        Evaluation.DatasetResult d = r.datasets().get(0);
        boolean someDisagreement = false;
        for (Evaluation.MethodResult m : d.methods()) {
            assertEquals(3, m.runs().size());
            for (Evaluation.Run run : m.runs()) {
                assertEquals(truth.length, run.labels().length, "labels of the scored (TEST) set");
                ClusteringScores s = ClusteringScores.of(truth, run.labels());
                assertEquals(s.nmi(), run.nmi(), 0, "the run's scores are those of its labels");
                assertEquals(s.acc(), run.acc(), 0);
                assertEquals(s.ari(), run.ari(), 0);
            }
            checkStat(m.runs(), Evaluation.Run::acc, m.acc());
            checkStat(m.runs(), Evaluation.Run::nmi, m.nmi());
            checkStat(m.runs(), Evaluation.Run::ari, m.ari());

            List<int[]> labels = m.runs().stream().map(Evaluation.Run::labels).toList();
            double agreement = (pairCountingAri(labels.get(0), labels.get(1)) + pairCountingAri(labels.get(0), labels.get(2))
                    + pairCountingAri(labels.get(1), labels.get(2))) / 3;
            assertEquals(agreement, m.agreement().getAsDouble(), 1e-12, m.method() + ": agreement");
            someDisagreement |= agreement < 1 - 1e-9;

            Map<String, Object> json = jsonOf(r, m.method());
            assertEquals(m.nmi().min(), (double) json.get("nmi_min"), 0);
            assertEquals(m.nmi().max(), (double) json.get("nmi_max"), 0);
            assertEquals(m.ari().std(), (double) json.get("ari_std"), 0);
            assertEquals(agreement, (double) json.get("seed_agreement_ari"), 1e-12);
            assertFalse(((List<?>) json.get("runs")).toString().contains("labels"), "labels stay out of the JSON");

            if (m.method().equals("kmeans")) {
                assertTrue(m.perturbedRuns().isEmpty() && m.sensitivity().isEmpty(), "no initial weights to perturb");
                assertNull(json.get("sensitivity"));
            } else {
                assertEquals(3, m.perturbedRuns().size());
                double sum = 0;
                double max = 0;
                for (int i = 0; i < 3; i++) {
                    Evaluation.Run perturbed = m.perturbedRuns().get(i);
                    assertEquals(i, perturbed.seed());
                    assertEquals(ClusteringScores.of(truth, perturbed.labels()).nmi(), perturbed.nmi(), 0);
                    double change = Math.abs(perturbed.nmi() - m.runs().get(i).nmi());
                    sum += change;
                    max = Math.max(max, change);
                }
                Evaluation.Sensitivity s = m.sensitivity().orElseThrow();
                assertEquals(1, s.ulps());
                assertEquals(sum / 3, s.meanAbsNmiChange(), 1e-15);
                assertEquals(max, s.maxAbsNmiChange(), 0);
                assertEquals(sum / 3, (double) ((Map<?, ?>) json.get("sensitivity")).get("nmi_change_mean_abs"), 1e-15);
            }
        }
        assertTrue(someDisagreement, "the seeds' partitions differ somewhere, so the agreement is checked below 1 too");

        String md = EvaluationFiles.markdown(r, Map.of());
        Evaluation.Stat nmi = d.method("rnn-ae").nmi();
        assertTrue(md.contains(String.format(Locale.ROOT, "%.3f ± %.3f [%.3f, %.3f]", nmi.mean(), nmi.std(), nmi.min(),
                nmi.max())), md);
        assertTrue(md.contains("## Agreement between seeds") && md.contains("## Sensitivity"), md);
    }

    @Test
    void withOneSeedTheAgreementIsUndefinedNotOne(@TempDir Path tmp) throws IOException {
        List<DatasetCatalog.Entry> sets = DatasetCatalog.find(threeShapes(tmp));
        Evaluation.Result r = Evaluation.run(cpu, sets, List.of("kmeans"), 1, EvaluationBudget.quick(), line -> {});
        Evaluation.MethodResult m = r.datasets().get(0).method("kmeans");
        assertTrue(m.agreement().isEmpty());
        assertEquals(0, m.nmi().std());
        assertEquals(m.nmi().mean(), m.nmi().min(), 0);
        assertEquals(m.nmi().mean(), m.nmi().max(), 0);
        Map<String, Object> json = jsonOf(r, "kmeans");
        assertTrue(json.containsKey("seed_agreement_ari") && json.get("seed_agreement_ari") == null, json.toString());
        String md = EvaluationFiles.markdown(r, Map.of());
        assertTrue(md.contains("| Shapes3 | – |"), md);
        assertFalse(md.contains("## Sensitivity"), "the probe did not run: no table");
    }

    /** The mean, sample std (n − 1), min and max of the runs' scores, computed here in plain loops. */
    private static void checkStat(List<Evaluation.Run> runs, ToDoubleFunction<Evaluation.Run> score, Evaluation.Stat s) {
        double[] v = runs.stream().mapToDouble(score).toArray();
        double mean = 0;
        for (double x : v) mean += x / v.length;
        double ss = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertEquals(mean, s.mean(), 1e-12);
        assertEquals(Math.sqrt(ss / (v.length - 1)), s.std(), 1e-12);
        assertEquals(min, s.min(), 0);
        assertEquals(max, s.max(), 0);
    }

    /**
     * ARI from the four pair counts, by looking at every pair of items: a = together in both, b =
     * together only in x, c = together only in y, d = apart in both;
     * ARI = 2(ad − bc) / ((a + b)(b + d) + (a + c)(c + d)), 1 when no pair is split differently.
     */
    static double pairCountingAri(int[] x, int[] y) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                boolean inX = x[i] == x[j];
                boolean inY = y[i] == y[j];
                if (inX && inY) a++;
                else if (inX) b++;
                else if (inY) c++;
                else d++;
            }
        }
        if (b == 0 && c == 0) return 1;
        return 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d));
    }

    @Test
    void thePairCountingOracleAgreesWithKnownValues() {
        int[] x = {0, 0, 1, 1};
        assertEquals(1, pairCountingAri(x, new int[] {5, 5, 2, 2}), 0);
        // a=0, b=2, c=2, d=2: 2(0 − 4) / (2·4 + 2·4) = −0.5, scikit-learn's adjusted_rand_score too.
        assertEquals(-0.5, pairCountingAri(x, new int[] {0, 1, 0, 1}), 1e-15);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonOf(Evaluation.Result r, String method) {
        Map<String, Object> root = EvaluationFiles.toMap(r, Map.of());
        Map<String, Object> set = (Map<String, Object>) ((List<?>) root.get("datasets")).get(0);
        return ((List<Map<String, Object>>) set.get("methods")).stream().filter(m -> m.get("method").equals(method))
                .findFirst().orElseThrow();
    }
}
