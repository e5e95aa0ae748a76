package org.rnnclust.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.ClusteringMethod;
import org.rnnclust.api.Device;
import org.rnnclust.api.FittedClustering;
import org.rnnclust.api.Pretraining;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.prep.LengthPolicy;
import org.rnnclust.data.prep.MissingValues;
import org.rnnclust.data.prep.Normalization;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.metrics.ClusteringScores;
import org.rnnclust.metrics.PartitionAgreement;

/**
 * The evaluation protocol of the published tables: fit each method on TRAIN without labels, assign
 * TEST, score TEST against its labels (ACC, NMI, ARI); a set without split is fitted and scored on
 * itself. k is the number of classes. Seeds are 0..seeds−1, so the same call gives the same scores.
 *
 * <p>Beside the scores' mean, each method reports their spread over the seeds (sample standard
 * deviation, minimum and maximum), how alike the seeds' partitions of the scored set are (their
 * mean pairwise ARI), and, when asked, the sensitivity probe: every recurrent fit again with each
 * initial weight moved up by one ulp, and how far NMI moves.
 *
 * <p>Preprocessing: series are z-normalised one by one (the UCR convention), images min-max scaled
 * per pixel column with TRAIN's statistics; missing values are interpolated; unequal lengths are
 * padded (with the mask the autoencoder honours).
 */
public final class Evaluation {
    private Evaluation() {}

    /**
     * One seed's outcome. {@code steps}: epochs or k-means iterations; {@code labels}: the cluster
     * of every scored sequence (kept in memory for the agreement between seeds, not written).
     */
    public record Run(long seed, double acc, double nmi, double ari, double fitSeconds, long parameters, int steps,
                      int[] labels) {}

    /**
     * Mean, sample standard deviation (divided by n − 1; 0 for a single value), minimum and maximum
     * over the seeds.
     */
    public record Stat(double mean, double std, double min, double max) {
        static Stat of(List<Run> runs, ToDoubleFunction<Run> f) {
            double mean = runs.stream().mapToDouble(f).average().orElse(Double.NaN);
            double min = runs.stream().mapToDouble(f).min().orElse(Double.NaN);
            double max = runs.stream().mapToDouble(f).max().orElse(Double.NaN);
            if (runs.size() < 2) return new Stat(mean, 0, min, max);
            double ss = runs.stream().mapToDouble(r -> (f.applyAsDouble(r) - mean) * (f.applyAsDouble(r) - mean)).sum();
            return new Stat(mean, Math.sqrt(ss / (runs.size() - 1)), min, max);
        }
    }

    /**
     * What the sensitivity probe found for one method: the absolute change in NMI between each
     * seed's fit and the same fit from initial weights moved up by {@code ulps} ulps, its mean and
     * maximum over the seeds.
     */
    public record Sensitivity(int ulps, double meanAbsNmiChange, double maxAbsNmiChange) {}

    /**
     * One method on one dataset over all seeds; {@code lossHistory} is the first seed's (empty if
     * none); {@code perturbedRuns} the sensitivity probe's fits, seed by seed as {@code runs} (empty
     * when it did not run); {@code agreement} the agreement between the seeds' partitions of the
     * scored set, their mean pairwise ARI (empty with a single seed, where it is undefined), which
     * the constructor without it computes from the runs' labels.
     */
    public record MethodResult(String method, List<Run> runs, String stepUnit, List<Double> lossHistory,
                               List<Run> perturbedRuns, int perturbationUlps, OptionalDouble agreement) {
        public MethodResult {
            runs = List.copyOf(runs);
            perturbedRuns = List.copyOf(perturbedRuns);
            if (!perturbedRuns.isEmpty() && perturbedRuns.size() != runs.size()) {
                throw new IllegalArgumentException(perturbedRuns.size() + " perturbed runs for " + runs.size() + " seeds");
            }
        }

        public MethodResult(String method, List<Run> runs, String stepUnit, List<Double> lossHistory,
                            List<Run> perturbedRuns, int perturbationUlps) {
            this(method, runs, stepUnit, lossHistory, perturbedRuns, perturbationUlps, runs.size() < 2
                    ? OptionalDouble.empty()
                    : OptionalDouble.of(PartitionAgreement.meanPairwiseAri(runs.stream().map(Run::labels).toList())));
        }

        public Stat acc() { return Stat.of(runs, Run::acc); }

        public Stat nmi() { return Stat.of(runs, Run::nmi); }

        public Stat ari() { return Stat.of(runs, Run::ari); }

        public Stat fitSeconds() { return Stat.of(runs, Run::fitSeconds); }

        public Stat steps() { return Stat.of(runs, Run::steps); }

        /** The sensitivity probe's result; empty when it did not run for this method. */
        public Optional<Sensitivity> sensitivity() {
            if (perturbedRuns.isEmpty()) return Optional.empty();
            double sum = 0;
            double max = 0;
            for (int i = 0; i < runs.size(); i++) {
                double change = Math.abs(perturbedRuns.get(i).nmi() - runs.get(i).nmi());
                sum += change;
                max = Math.max(max, change);
            }
            return Optional.of(new Sensitivity(perturbationUlps, sum / runs.size(), max));
        }

        /** The same for every seed (the sizes do not depend on it), but the subsample and splits may. */
        public long parameters() { return runs.get(0).parameters(); }
    }

    /** One dataset: its shape, protocol and every method's result. */
    public record DatasetResult(String name, boolean split, int trainSize, int testSize, int length, int channels,
                                int classes, List<MethodResult> methods) {
        public MethodResult method(String name) {
            return methods.stream().filter(m -> m.method().equals(name)).findFirst().orElse(null);
        }
    }

    /**
     * Everything evaluate measured.
     *
     * @param perturbationUlps the sensitivity probe's perturbation (0: the probe did not run)
     * @param device           the device's description
     * @param deterministic    whether it ran in the deterministic mode (the same bits on any x86-64 machine)
     */
    public record Result(List<String> methods, int seeds, EvaluationBudget budget, List<DatasetResult> datasets,
                         double seconds, int perturbationUlps, String device, boolean deterministic) {
        /** "deterministic" or "default", as the files say it. */
        public String mode() {
            return deterministic ? "deterministic" : "default";
        }
    }

    /**
     * One result from several runs over disjoint datasets, such as the tasks of a job array that
     * each evaluated some of the datasets: their datasets in name order (as one run lists them) and
     * the sum of their seconds. The runs must agree on everything but the datasets: the methods,
     * the seeds, the budget, the mode and the sensitivity probe; otherwise, or when two hold the
     * same dataset, an {@link InputException} names the difference.
     *
     * @param names what to call each part in messages (its folder)
     */
    public static Result combine(List<Result> parts, List<String> names) {
        if (parts.isEmpty()) throw new IllegalArgumentException("nothing to combine");
        Result first = parts.get(0);
        List<DatasetResult> sets = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        double seconds = 0;
        LinkedHashSet<String> devices = new LinkedHashSet<>();
        for (int i = 0; i < parts.size(); i++) {
            Result r = parts.get(i);
            String name = names.get(i);
            requireSame(name, names.get(0), "methods", r.methods(), first.methods());
            requireSame(name, names.get(0), "seeds", r.seeds(), first.seeds());
            requireSame(name, names.get(0), "mode", r.mode(), first.mode());
            requireSame(name, names.get(0), "evaluation budget", r.budget(), first.budget());
            requireSame(name, names.get(0), "sensitivity probe (ulps)", r.perturbationUlps(), first.perturbationUlps());
            for (DatasetResult d : r.datasets()) {
                String before = seen.put(d.name().toLowerCase(Locale.ROOT), name);
                if (before != null) {
                    throw new InputException("dataset " + d.name() + " is in both " + before + " and " + name
                            + ": combine results of disjoint datasets");
                }
                sets.add(d);
            }
            seconds += r.seconds();
            devices.add(r.device());
        }
        sets.sort(Comparator.comparing(d -> d.name().toLowerCase(Locale.ROOT)));
        return new Result(first.methods(), first.seeds(), first.budget(), sets, seconds, first.perturbationUlps(),
                String.join(" + ", devices), first.deterministic());
    }

    private static void requireSame(String part, String firstPart, String what, Object value, Object expected) {
        if (!value.equals(expected)) {
            throw new InputException(part + " was evaluated with other " + what + " than " + firstPart + " (" + value
                    + " against " + expected + "): only results of one evaluate command line combine");
        }
    }

    /** Runs every method with every seed on every dataset; {@code progress} hears one line per dataset × method. */
    public static Result run(Device device, List<DatasetCatalog.Entry> datasets, List<String> methods, int seeds,
                             EvaluationBudget budget, Consumer<String> progress) {
        return run(device, datasets, methods, seeds, budget, 0, progress);
    }

    /**
     * The same, and with {@code perturbationUlps > 0} the sensitivity probe: each recurrent method
     * fitted again for every seed with each initial weight moved up by that many ulps
     * ({@link org.rnnclust.api.SequenceClusterer.Builder#initialWeightPerturbationUlps}). The
     * probe's fits share their pretrainings as the unperturbed ones do, and change none of the
     * unperturbed scores.
     */
    public static Result run(Device device, List<DatasetCatalog.Entry> datasets, List<String> methods, int seeds,
                             EvaluationBudget budget, int perturbationUlps, Consumer<String> progress) {
        if (seeds < 1) throw new InputException("the number of seeds must be >= 1, got " + seeds, Setting.SEEDS);
        if (perturbationUlps < 0) throw new IllegalArgumentException("perturbation must be >= 0 ulps");
        long start = System.nanoTime();
        List<DatasetResult> out = new ArrayList<>();
        for (DatasetCatalog.Entry entry : datasets) {
            out.add(evaluate(device, entry, methods, seeds, budget, perturbationUlps, progress));
        }
        return new Result(List.copyOf(methods), seeds, budget, out, (System.nanoTime() - start) / 1e9,
                perturbationUlps, device.description(), device.deterministic());
    }

    /**
     * A dataset as evaluate fits and scores it: TRAIN and TEST normalised with TRAIN's statistics
     * (z-normalised series, min-max scaled images) and padded to one length; {@code test} is
     * {@code train} for a set without a split. k is the number of classes.
     */
    public record Prepared(Dataset trainRaw, Dataset scored, PaddedSequences train, PaddedSequences test, int k,
                           int steps, boolean split) {}

    /** Reads and prepares one dataset of the catalog; refuses one without labels. */
    public static Prepared prepare(DatasetCatalog.Entry entry) {
        Dataset trainRaw = entry.readTrain();
        Dataset testRaw = entry.readTest();
        if (!trainRaw.hasLabels() || (testRaw != null && !testRaw.hasLabels())) {
            throw new InputException(entry.name() + ": no labels, so it cannot be scored");
        }
        Normalization norm = entry.kind() == DatasetCatalog.Kind.SERIES ? Normalization.ZNORM : Normalization.MINMAX;
        PreprocessOptions options = new PreprocessOptions(norm, 0, MissingValues.INTERPOLATE, LengthPolicy.PAD, 0);
        Preprocessor prep = Preprocessor.fit(options, trainRaw);
        Dataset trainP = prep.apply(trainRaw);
        Dataset testP = testRaw == null ? null : prep.apply(testRaw);
        int steps = Math.max(trainP.maxLength(), testP == null ? 0 : testP.maxLength());
        PaddedSequences train = PaddedSequences.of(trainP, steps);
        PaddedSequences test = testP == null ? train : PaddedSequences.of(testP, steps);
        return new Prepared(trainRaw, testRaw == null ? trainRaw : testRaw, train, test, trainRaw.numClasses(), steps,
                testRaw != null);
    }

    static DatasetResult evaluate(Device device, DatasetCatalog.Entry entry, List<String> methods, int seeds,
                                  EvaluationBudget budget, int perturbationUlps, Consumer<String> progress) {
        Prepared data = prepare(entry);
        Dataset trainRaw = data.trainRaw();
        PaddedSequences train = data.train();
        PaddedSequences test = data.test();
        Dataset scored = data.scored();
        int steps = data.steps();
        int k = data.k();
        List<MethodResult> results = new ArrayList<>();
        // rnn-ae, rnn-ae-dec and rnn-ae-idec of one seed start from the same pretrained autoencoder, trained once;
        // the probe's perturbed fits share theirs alike.
        Map<Long, Pretraining> pretrained = new HashMap<>();
        Map<Long, Pretraining> perturbedPretrained = new HashMap<>();
        for (String name : methods) {
            Seeds fitted = fitSeeds(MethodNames.build(name, budget, pretrained), device, train, test, scored, k, 0, seeds);
            boolean probe = perturbationUlps > 0 && MethodNames.isRecurrent(name);
            List<Run> perturbed = !probe ? List.of() : fitSeeds(MethodNames.build(name, budget, perturbedPretrained,
                    perturbationUlps), device, train, test, scored, k, 0, seeds).runs();
            MethodResult r = new MethodResult(name, fitted.runs(), fitted.stepUnit(), fitted.lossHistory(), perturbed,
                    probe ? perturbationUlps : 0);
            results.add(r);
            String agreement = r.agreement().isPresent()
                    ? String.format(Locale.ROOT, "  agreement %.3f", r.agreement().getAsDouble()) : "";
            String sensitivity = r.sensitivity().map(v -> String.format(Locale.ROOT, "  |ΔNMI| %.3f (max %.3f) at +%d ulp",
                    v.meanAbsNmiChange(), v.maxAbsNmiChange(), v.ulps())).orElse("");
            progress.accept(String.format(Locale.ROOT, "%-22s %-10s ACC %.3f  NMI %.3f ± %.3f  ARI %.3f  fit %.2f s%s%s",
                    entry.name(), name, r.acc().mean(), r.nmi().mean(), r.nmi().std(), r.ari().mean(),
                    r.fitSeconds().mean(), agreement, sensitivity));
        }
        return new DatasetResult(entry.name(), data.split(), trainRaw.size(), scored.size(), steps,
                trainRaw.channels(), k, results);
    }

    /** One method's fits, one per seed, each scored on {@code scored}; the unit and loss history of the first seed's. */
    record Seeds(List<Run> runs, String stepUnit, List<Double> lossHistory) {}

    /**
     * The protocol of every score: {@code method} fitted on {@code train} with seeds firstSeed ..
     * firstSeed + seeds − 1 (k at most the number of training sequences), {@code test} assigned, and
     * scored against {@code scored}'s labels.
     */
    static Seeds fitSeeds(ClusteringMethod method, Device device, PaddedSequences train, PaddedSequences test,
                          Dataset scored, int k, long firstSeed, int seeds) {
        List<Run> runs = new ArrayList<>();
        List<Double> loss = List.of();
        String unit = "iterations";
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
            long t0 = System.nanoTime();
            try (FittedClustering fit = method.fit(device, train, Math.min(k, train.n()), seed)) {
                double fitSeconds = (System.nanoTime() - t0) / 1e9 + fit.reusedSeconds();
                int[] clusters = fit.assign(test).labels();
                ClusteringScores s = ClusteringScores.of(scored.labels(), clusters);
                runs.add(new Run(seed, s.acc(), s.nmi(), s.ari(), fitSeconds, fit.parameterCount(), fit.steps(),
                        clusters));
                if (seed == firstSeed) loss = fit.lossHistory();
                unit = fit.stepUnit();
            }
        }
        return new Seeds(runs, unit, loss);
    }
}
