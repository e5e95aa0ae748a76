package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.ClusterInit;
import org.rnnclust.api.Device;
import org.rnnclust.api.ReservoirSettings;
import org.rnnclust.bench.MachineInfo;
import org.rnnclust.api.OutputClaim;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.eval.DatasetCatalog;
import org.rnnclust.eval.Evaluation;
import org.rnnclust.eval.EvaluationBudget;
import org.rnnclust.eval.EvaluationFiles;
import org.rnnclust.eval.MethodNames;
import org.rnnclust.report.EvaluationReport;
import org.rnnclust.report.ReportWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Every method on every dataset of a folder, several seeds: the comparison table. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Score clustering methods on every dataset of a folder.",
        abbreviateSynopsis = true, sortOptions = false,
        footerHeading = "%nExamples:%n", footer = {
                "  rnnclust evaluate --data-dir UCR --seeds 3 --out eval",
                "  rnnclust evaluate --data-dir UCR --datasets CBF,Trace --quick --out eval-small",
                "  rnnclust evaluate --combine eval-part1 eval-part2 --out eval"},
        description = {"Run clustering methods on every dataset under --data-dir (UCR/UEA TRAIN/TEST pairs, IDX and",
                "CSV digit sets): fit on TRAIN without labels, score TEST. Writes DIR/results.md and DIR/results.json.",
                "--combine joins the output folders of runs over disjoint --datasets (the tasks of a job array)",
                "into one table, the one a single run over all of them writes."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;
    @Mixin ClusterInitMixin clusterInit;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder of datasets (one per subfolder). Required unless --combine.")
    Path dataDir;

    @Option(names = "--combine", arity = "1..*", paramLabel = "DIR",
            description = "Instead of evaluating: combine the output folders (their results.json) of evaluate runs of "
                    + "one command line over disjoint --datasets into one results.md and results.json in --out.")
    List<Path> combine;

    @Option(names = "--methods", paramLabel = "LIST", defaultValue = MethodNames.DEFAULTS,
            description = {"Comma-separated: kmeans, pca-kmeans, forest, kshape, dtw-kmeans, rnn (the reservoir "
                    + "representation, train's default), rnn-ae, rnn-ae-dec, rnn-ae-idec (the LSTM autoencoder, "
                    + "alone and refined; they share one pretrained autoencoder per seed), rnn-ae-bi (bidirectional), "
                    + "rnn-ae-dilated (a 3-layer encoder of dilations 1, 4, 16 on 64 steps, as DTCR's), "
                    + "rnn-ae-realfake (rnn-ae-dilated with DTCR's real-versus-fake task), "
                    + "rnn-ae-contrastive (rnn-ae pretrained on reconstruction + NT-Xent between augmented views), "
                    + "rnn-contrastive (NT-Xent alone), "
                    + "rnn-tae (Lafabregue et al.'s biLSTM-AE: DTC's temporal autoencoder, every step).",
                    "Default: ${DEFAULT-VALUE}."})
    String methods;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Seeds 0..N-1 per method and dataset. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--datasets", paramLabel = "NAMES",
            description = "Comma-separated dataset names (case-insensitive) to run; default: all found.")
    String datasets;

    @Option(names = "--quick", description = "Smoke-test budget: a few epochs, small forests (scores not comparable).")
    boolean quick;

    @Option(names = "--sensitivity",
            description = {"Also fit each recurrent method again for every seed with each initial weight moved up by "
                    + "one ulp, and report how far NMI moves (mean and max |ΔNMI| over seeds). Doubles their cost."})
    boolean sensitivity;

    @Option(names = "--members", paramLabel = "R",
            description = "Reservoirs drawn per rnn fit, and autoencoders pretrained per rnn-ae* fit, the fit being "
                    + "(or starting from) the consensus of their clusterings; about R times the cost. Default: "
                    + ReservoirSettings.DEFAULT_MEMBERS + " reservoirs, 1 autoencoder.")
    Integer members;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write an HTML report with a bar chart of NMI.")
    Path report;

    /** The sensitivity probe's perturbation of every initial weight. */
    static final int SENSITIVITY_ULPS = 1;

    @Override
    public Integer call() throws IOException {
        Outputs.requireWritableFolder(report, "--report");
        try (OutputClaim claim = Outputs.claimFolder(out, "--out")) {
            return evaluate();
        }
    }

    private Integer evaluate() throws IOException {
        if (combine != null) return combine();
        if (dataDir == null) throw new InputException("--data-dir DIR is required (or --combine DIR...)");
        List<String> methodNames = MethodNames.parse(methods);
        if (seeds < 1) throw new InputException("--seeds must be >= 1, got " + seeds);
        if (members != null && members < 1) {
            throw new InputException("--members must be >= 1, got " + members, Setting.MEMBERS);
        }
        List<DatasetCatalog.Entry> found = select(DatasetCatalog.find(dataDir));
        EvaluationBudget budget = (quick ? EvaluationBudget.quick() : EvaluationBudget.defaults())
                .withClusterInit(clusterInit.clusterInit());
        if (members != null) budget = budget.withMembers(members);
        PrintWriter w = spec.commandLine().getOut();
        Evaluation.Result result;
        // The recurrent methods need a backend that runs the networks (auto picks accordingly).
        boolean networks = methodNames.stream().anyMatch(MethodNames::isRecurrent);
        try (Device on = device.open(networks)) {  // first: a device error comes before any output
            w.printf(Locale.ROOT, "%d dataset(s), methods %s, %d seed(s)%s%s%s%s%s%n", found.size(),
                    String.join(",", methodNames), seeds, quick ? ", quick budget" : "",
                    members != null ? ", " + members + " reservoirs or autoencoders per recurrent fit (their consensus)"
                            : "",
                    on.deterministic() ? ", deterministic mode" : "",
                    budget.rnnClusterInit().isSpectral() ? ", recurrent methods start from spectral clustering" : "",
                    sensitivity && networks ? ", sensitivity probe (+1 ulp on the initial weights)" : "");
            w.flush();
            result = Evaluation.run(on, found, methodNames, seeds, budget, sensitivity ? SENSITIVITY_ULPS : 0, line -> {
                w.println(line);
                w.flush();
            });
        }
        List<Path> datasetFiles = new ArrayList<>();
        for (DatasetCatalog.Entry e : found) {
            for (Path f : new Path[] {e.train(), e.trainLabels(), e.test(), e.testLabels()}) {
                if (f != null) datasetFiles.add(f);
            }
        }
        Map<String, Object> provenance = Provenance.of(spec, result.device(), datasetFiles, "--data-dir");
        return write(result, MachineInfo.collect(result.device()), provenance);
    }

    /** --combine: the results.json of each folder, checked to be of one command line, as one result. */
    private Integer combine() throws IOException {
        if (dataDir != null || datasets != null) {
            throw new InputException("--combine joins finished runs; drop " + (dataDir != null ? "--data-dir" : "--datasets"));
        }
        List<Evaluation.Result> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Object> from = new ArrayList<>();
        Map<String, Object> machine = null;
        for (Path dir : combine) {
            Path file = Files.isDirectory(dir) ? dir.resolve(EvaluationFiles.JSON) : dir;
            if (!Files.isRegularFile(file)) throw new InputException(dir + ": no " + EvaluationFiles.JSON + " (--combine)");
            EvaluationFiles.Stored stored = EvaluationFiles.read(file);
            parts.add(stored.result());
            names.add(dir.toString());
            files.add(file);
            if (machine == null) machine = stored.machine();
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("file", file.toString());
            part.put("machine", stored.machine());
            part.put("provenance", stored.provenance());
            from.add(part);
        }
        Evaluation.Result result = Evaluation.combine(parts, names);
        Map<String, Object> provenance = Provenance.of(spec, result.device(), files, "--combine");
        provenance.put("combined_from", from);
        spec.commandLine().getOut().printf(Locale.ROOT, "combined %d run(s): %d dataset(s), methods %s, %d seed(s)%n",
                parts.size(), result.datasets().size(), String.join(",", result.methods()), result.seeds());
        return write(result, machine, provenance);
    }

    private Integer write(Evaluation.Result result, Map<String, Object> machine, Map<String, Object> provenance)
            throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        try (OutputFolder output = OutputFolder.open(out)) {
            EvaluationFiles.writeMarkdown(output.file(EvaluationFiles.MARKDOWN), result, machine);
            EvaluationFiles.writeJson(output.file(EvaluationFiles.JSON), result, machine, provenance);
            output.commit();
        } catch (IOException e) {
            throw new InputException(OutputFolder.describe(out, e));
        }
        w.printf(Locale.ROOT, "%.0f s; wrote %s and %s%n", result.seconds(), out.resolve(EvaluationFiles.MARKDOWN),
                out.resolve(EvaluationFiles.JSON));
        if (report != null) {
            w.println("report: " + ReportWriter.write(report, reportOf(result,
                    Files.readString(out.resolve(EvaluationFiles.MARKDOWN)), provenance)));
        }
        w.flush();
        return Main.EXIT_OK;
    }

    private List<DatasetCatalog.Entry> select(List<DatasetCatalog.Entry> all) {
        if (all.isEmpty()) throw new InputException(dataDir + ": no dataset found (NAME_TRAIN/NAME_TEST .tsv/.ts, IDX, CSV)");
        if (datasets == null) return all;
        List<DatasetCatalog.Entry> chosen = new ArrayList<>();
        for (String part : datasets.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) continue;
            DatasetCatalog.Entry e = all.stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new InputException("--datasets: no dataset '" + name + "' under " + dataDir));
            if (!chosen.contains(e)) chosen.add(e);
        }
        if (chosen.isEmpty()) throw new InputException("--datasets: no dataset named");
        return chosen;
    }

    static EvaluationReport reportOf(Evaluation.Result r, String markdown, Map<String, Object> provenance) {
        List<String> names = new ArrayList<>();
        int sets = r.datasets().size();
        int methods = r.methods().size();
        double[][] nmi = new double[sets][methods];
        double[][] std = new double[sets][methods];
        double[][] min = new double[sets][methods];
        double[][] max = new double[sets][methods];
        double[][] agreement = new double[sets][methods];
        double[][] sensitivity = new double[sets][methods];
        for (int d = 0; d < sets; d++) {
            Evaluation.DatasetResult ds = r.datasets().get(d);
            names.add(ds.name());
            for (int m = 0; m < methods; m++) {
                Evaluation.MethodResult mr = ds.method(r.methods().get(m));
                Evaluation.Stat s = mr.nmi();
                nmi[d][m] = s.mean();
                std[d][m] = s.std();
                min[d][m] = s.min();
                max[d][m] = s.max();
                agreement[d][m] = mr.agreement().orElse(Double.NaN);
                sensitivity[d][m] = mr.sensitivity().map(Evaluation.Sensitivity::meanAbsNmiChange).orElse(Double.NaN);
            }
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("datasets", String.valueOf(names.size()));
        facts.put("methods", String.join(", ", r.methods()));
        facts.put("seeds", String.valueOf(r.seeds()));
        facts.put("seconds", String.format(Locale.ROOT, "%.1f", r.seconds()));
        if (r.perturbationUlps() > 0) facts.put("sensitivity probe", "+" + r.perturbationUlps() + " ulp on every initial weight");
        facts.putAll(Provenance.facts(provenance));
        return new EvaluationReport("rnnclust evaluate", facts, names, r.methods(), nmi, std, min, max, agreement,
                sensitivity, markdown);
    }
}
