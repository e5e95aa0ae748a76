package org.rnnclust.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.rnnclust.InputException;
import org.rnnclust.api.OutputFolder;

/**
 * results.md (one table per score, datasets × methods, mean ± std [min, max] over seeds; the seeds'
 * agreement; the sensitivity probe's, when it ran; then fit seconds, parameters and
 * epochs/iterations) and results.json (the same statistics and every run's scores, not its
 * labels). Only the seconds differ between two runs with the same seeds.
 */
public final class EvaluationFiles {
    public static final String MARKDOWN = "results.md";
    public static final String JSON = "results.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads the budget back: the file also holds derived properties (such as a start's "spectral"). */
    private static final ObjectMapper READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The per-method "*_mean" keys that are not the steps' ("epochs_mean", "iterations_mean"). */
    private static final Set<String> SCORE_MEANS = Set.of("acc_mean", "nmi_mean", "ari_mean", "fit_seconds_mean");

    private EvaluationFiles() {}

    /**
     * @param machine    where it ran (CPU, Java, commit, ...), written as given; may be empty
     * @param provenance the command line, settings and inputs behind it, written last as given
     */
    public static void writeJson(Path file, Evaluation.Result r, Map<String, Object> machine,
                                 Map<String, Object> provenance) throws IOException {
        Map<String, Object> root = toMap(r, machine);
        root.put("provenance", provenance);
        OutputFolder.writeJsonFile(file, root);
    }

    /** @param machine where it ran; its "commit", when present, is named beside the mode */
    public static void writeMarkdown(Path file, Evaluation.Result r, Map<String, Object> machine) throws IOException {
        Files.writeString(file, markdown(r, machine), StandardCharsets.UTF_8);
    }

    static Map<String, Object> toMap(Evaluation.Result r, Map<String, Object> machine) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("mode", r.mode());
        root.put("device", r.device());
        root.put("machine", machine);
        root.put("methods", r.methods());
        root.put("seeds", r.seeds());
        root.put("budget", MAPPER.convertValue(r.budget(), Map.class));
        root.put("seconds", r.seconds());
        root.put("sensitivity_ulps", r.perturbationUlps());
        List<Object> sets = new ArrayList<>();
        for (Evaluation.DatasetResult d : r.datasets()) {
            Map<String, Object> ds = new LinkedHashMap<>();
            ds.put("name", d.name());
            ds.put("protocol", d.split() ? "fit TRAIN, score TEST" : "fit and score the same set");
            ds.put("train_size", d.trainSize());
            ds.put("scored_size", d.testSize());
            ds.put("length", d.length());
            ds.put("channels", d.channels());
            ds.put("classes", d.classes());
            List<Object> methods = new ArrayList<>();
            for (Evaluation.MethodResult m : d.methods()) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("method", m.method());
                putStat(mm, "acc", m.acc());
                putStat(mm, "nmi", m.nmi());
                putStat(mm, "ari", m.ari());
                mm.put("seed_agreement_ari", m.agreement().isPresent() ? m.agreement().getAsDouble() : null);
                mm.put("sensitivity", m.sensitivity().map(v -> sensitivityMap(v, m)).orElse(null));
                mm.put("fit_seconds_mean", m.fitSeconds().mean());
                mm.put("parameters", m.parameters());
                mm.put("step_unit", m.stepUnit());
                mm.put(m.stepUnit() + "_mean", m.steps().mean());
                mm.put("runs", m.runs().stream().map(EvaluationFiles::runMap).toList());
                mm.put("loss_history_seed0", m.lossHistory());
                methods.add(mm);
            }
            ds.put("methods", methods);
            sets.add(ds);
        }
        root.put("datasets", sets);
        return root;
    }

    /**
     * A results.json read back: the result (each run's scores and costs; not its labels, which the
     * file does not hold, so the seeds' agreement is the file's), where it ran and its provenance.
     */
    public record Stored(Evaluation.Result result, Map<String, Object> machine, Map<String, Object> provenance) {}

    /**
     * Reads a results.json that {@link #writeJson} wrote.
     *
     * @throws InputException naming the file when it is not one
     */
    @SuppressWarnings("unchecked")
    public static Stored read(Path file) {
        JsonNode root;
        try {
            root = READER.readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read as JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        try {
            List<String> methods = new ArrayList<>();
            required(root, "methods").forEach(m -> methods.add(m.asText()));
            int seeds = required(root, "seeds").asInt();
            EvaluationBudget budget = READER.treeToValue(required(root, "budget"), EvaluationBudget.class);
            List<Evaluation.DatasetResult> sets = new ArrayList<>();
            for (JsonNode d : required(root, "datasets")) {
                List<Evaluation.MethodResult> results = new ArrayList<>();
                for (JsonNode m : required(d, "methods")) results.add(methodResult(m));
                sets.add(new Evaluation.DatasetResult(required(d, "name").asText(),
                        !"fit and score the same set".equals(d.path("protocol").asText()), required(d, "train_size").asInt(),
                        required(d, "scored_size").asInt(), required(d, "length").asInt(), required(d, "channels").asInt(),
                        required(d, "classes").asInt(), results));
            }
            Evaluation.Result result = new Evaluation.Result(methods, seeds, budget, sets, required(root, "seconds").asDouble(),
                    root.path("sensitivity_ulps").asInt(0), required(root, "device").asText(),
                    "deterministic".equals(required(root, "mode").asText()));
            return new Stored(result, READER.convertValue(root.path("machine"), Map.class),
                    READER.convertValue(root.path("provenance"), Map.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new InputException(file + ": not an evaluate results.json: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Evaluation.MethodResult methodResult(JsonNode m) {
        List<Evaluation.Run> runs = new ArrayList<>();
        for (JsonNode r : required(m, "runs")) {
            runs.add(new Evaluation.Run(required(r, "seed").asLong(), number(r, "acc"), number(r, "nmi"), number(r, "ari"),
                    number(r, "fitSeconds"), r.path("parameters").asLong(), r.path("steps").asInt(), null));
        }
        List<Evaluation.Run> perturbed = new ArrayList<>();
        int ulps = 0;
        JsonNode sensitivity = m.path("sensitivity");
        if (sensitivity.isObject()) {
            ulps = sensitivity.path("initial_weight_perturbation_ulps").asInt();
            JsonNode nmis = required(sensitivity, "perturbed_nmi");
            for (int i = 0; i < nmis.size(); i++) {
                perturbed.add(new Evaluation.Run(runs.get(i).seed(), Double.NaN, nmis.get(i).asDouble(), Double.NaN,
                        Double.NaN, 0, 0, null));
            }
        }
        List<Double> losses = new ArrayList<>();
        m.path("loss_history_seed0").forEach(v -> losses.add(v.asDouble()));
        JsonNode agreement = m.path("seed_agreement_ari");
        return new Evaluation.MethodResult(required(m, "method").asText(), runs, stepUnit(m), losses, perturbed, ulps,
                agreement.isNumber() ? OptionalDouble.of(agreement.asDouble()) : OptionalDouble.empty());
    }

    /** "epochs" or "iterations": the file's "step_unit", or the name of its one other "*_mean" key. */
    private static String stepUnit(JsonNode m) {
        if (m.hasNonNull("step_unit")) return m.get("step_unit").asText();
        for (java.util.Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.endsWith("_mean") && !SCORE_MEANS.contains(key)) return key.substring(0, key.length() - "_mean".length());
        }
        throw new IllegalArgumentException("method " + m.path("method").asText() + " names no unit of its steps");
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("no \"" + field + "\"");
        return v;
    }

    /** A score; JSON null (which NaN is written as) reads back as NaN. */
    private static double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }

    private static void putStat(Map<String, Object> into, String score, Evaluation.Stat s) {
        into.put(score + "_mean", s.mean());
        into.put(score + "_std", s.std());
        into.put(score + "_min", s.min());
        into.put(score + "_max", s.max());
    }

    /** A run's scores and costs; its labels stay out, to keep the file small. */
    private static Map<String, Object> runMap(Evaluation.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", run.seed());
        m.put("acc", run.acc());
        m.put("nmi", run.nmi());
        m.put("ari", run.ari());
        m.put("fitSeconds", run.fitSeconds());
        m.put("parameters", run.parameters());
        m.put("steps", run.steps());
        return m;
    }

    private static Map<String, Object> sensitivityMap(Evaluation.Sensitivity v, Evaluation.MethodResult m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("initial_weight_perturbation_ulps", v.ulps());
        s.put("nmi_change_mean_abs", v.meanAbsNmiChange());
        s.put("nmi_change_max_abs", v.maxAbsNmiChange());
        s.put("perturbed_nmi", m.perturbedRuns().stream().map(Evaluation.Run::nmi).toList());
        return s;
    }

    static String markdown(Evaluation.Result r, Map<String, Object> machine) {
        StringBuilder b = new StringBuilder();
        b.append("# rnnclust evaluate\n\n");
        b.append(String.format(Locale.ROOT, "%d dataset(s), methods %s, seeds 0..%d, %.0f s in all.%n%n",
                r.datasets().size(), String.join(", ", r.methods()), r.seeds() - 1, r.seconds()));
        b.append("Mode: ").append(r.mode()).append(r.deterministic()
                ? " (the same bits on any x86-64 machine)" : " (the same bits on this machine only)");
        b.append(". Device: ").append(r.device());
        Object commit = machine.get("commit");
        if (commit != null) b.append(". Commit: ").append(commit);
        b.append(".\n\n");
        b.append("Protocol: fit on TRAIN without labels, assign and score TEST (sets without a split: fit and score "
                + "the same items); k = number of classes; " + (r.seeds() == 1 ? "one seed (no spread)"
                : "mean ± sample std [min, max] over seeds") + ".\n\n");
        scoreTable(b, r, "NMI", Evaluation.MethodResult::nmi);
        scoreTable(b, r, "ACC", Evaluation.MethodResult::acc);
        scoreTable(b, r, "ARI", Evaluation.MethodResult::ari);
        b.append("## Agreement between seeds: mean ARI of every pair of seeds' partitions of the scored set "
                + "(1: all seeds group alike; – with one seed)\n\n");
        optionalTable(b, r, m -> m.agreement().isPresent() ? m.agreement().getAsDouble() : null,
                m -> String.format(Locale.ROOT, "%.3f", m.agreement().getAsDouble()));
        if (r.perturbationUlps() > 0) {
            b.append(String.format(Locale.ROOT, "## Sensitivity: |ΔNMI| when every initial weight moves up %d ulp, "
                    + "mean over seeds (max over seeds); – for methods without initial weights%n%n", r.perturbationUlps()));
            optionalTable(b, r, m -> m.sensitivity().map(Evaluation.Sensitivity::meanAbsNmiChange).orElse(null),
                    m -> m.sensitivity().map(v -> String.format(Locale.ROOT, "%.3f (%.3f)", v.meanAbsNmiChange(),
                            v.maxAbsNmiChange())).orElseThrow());
        }
        b.append("## Cost: fit seconds (mean) / parameters / epochs or k-means iterations (mean)\n\n");
        header(b, r);
        for (Evaluation.DatasetResult d : r.datasets()) {
            b.append("| ").append(d.name());
            for (String name : r.methods()) {
                Evaluation.MethodResult m = d.method(name);
                b.append(String.format(Locale.ROOT, " | %.2f s / %d / %.0f %s", m.fitSeconds().mean(), m.parameters(),
                        m.steps().mean(), m.stepUnit().equals("epochs") ? "ep" : "it"));
            }
            b.append(" |\n");
        }
        b.append('\n');
        return b.toString();
    }

    private static void header(StringBuilder b, Evaluation.Result r) {
        b.append("| dataset");
        for (String m : r.methods()) b.append(" | ").append(m);
        b.append(" |\n|---");
        for (int i = 0; i < r.methods().size(); i++) b.append("|---");
        b.append("|\n");
    }

    private static void scoreTable(StringBuilder b, Evaluation.Result r, String score,
                                   java.util.function.Function<Evaluation.MethodResult, Evaluation.Stat> f) {
        b.append("## ").append(score).append(" (best in bold)\n\n");
        header(b, r);
        double[] sums = new double[r.methods().size()];
        for (Evaluation.DatasetResult d : r.datasets()) {
            double best = d.methods().stream().mapToDouble(m -> round3(f.apply(m).mean())).max().orElse(Double.NaN);
            b.append("| ").append(d.name());
            for (int i = 0; i < r.methods().size(); i++) {
                Evaluation.Stat s = f.apply(d.method(r.methods().get(i)));
                sums[i] += s.mean();
                // One seed has no spread: its std is undefined, not 0.
                String cell = r.seeds() == 1 ? String.format(Locale.ROOT, "%.3f", s.mean())
                        : String.format(Locale.ROOT, "%.3f ± %.3f [%.3f, %.3f]", s.mean(), s.std(), s.min(), s.max());
                b.append(" | ").append(round3(s.mean()) == best ? "**" + cell + "**" : cell);
            }
            b.append(" |\n");
        }
        b.append("| *mean*");
        for (double s : sums) b.append(String.format(Locale.ROOT, " | *%.3f*", s / Math.max(1, r.datasets().size())));
        b.append(" |\n\n");
    }

    /**
     * A table of a value that some cells lack ("–"): {@code value} is null there, {@code cell}
     * formats the others; the last row is the mean over the datasets that have it.
     */
    private static void optionalTable(StringBuilder b, Evaluation.Result r,
                                      java.util.function.Function<Evaluation.MethodResult, Double> value,
                                      java.util.function.Function<Evaluation.MethodResult, String> cell) {
        header(b, r);
        double[] sums = new double[r.methods().size()];
        int[] counts = new int[r.methods().size()];
        for (Evaluation.DatasetResult d : r.datasets()) {
            b.append("| ").append(d.name());
            for (int i = 0; i < r.methods().size(); i++) {
                Evaluation.MethodResult m = d.method(r.methods().get(i));
                Double v = value.apply(m);
                if (v != null) {
                    sums[i] += v;
                    counts[i]++;
                }
                b.append(" | ").append(v == null ? "–" : cell.apply(m));
            }
            b.append(" |\n");
        }
        b.append("| *mean*");
        for (int i = 0; i < sums.length; i++) {
            b.append(counts[i] == 0 ? " | –" : String.format(Locale.ROOT, " | *%.3f*", sums[i] / counts[i]));
        }
        b.append(" |\n\n");
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
