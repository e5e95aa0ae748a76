package org.rnnclust.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.api.Device;
import org.rnnclust.api.FitListener;
import org.rnnclust.api.FitOptions;
import org.rnnclust.api.OutputFolder;
import org.rnnclust.api.SequenceClusterer;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.LloydRun;
import org.rnnclust.backend.Peaks;
import org.rnnclust.backend.RecheckedAssignment;
import org.rnnclust.backend.Timing;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.gen.Cbf;
import org.rnnclust.data.prep.PreprocessOptions;
import org.rnnclust.data.prep.Preprocessor;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;

/**
 * Times the engine's kernels on one device, next to the floor the hardware allows: the device's
 * GEMM rate and memory bandwidth are measured in the same run, and each operation's floor is
 * max(FLOPs / GEMM rate, bytes / bandwidth). Prints a table as it goes and returns every figure.
 */
public final class Benchmarks {
    /** The CPU k-means shapes: the set compared with scikit-learn in bench/RESULTS.md. */
    public static final List<String> DEFAULT_CPU_KMEANS = List.of("100000,64,100", "1000000,32,100", "200000,128,256");
    /** The GPU k-means shapes: the set compared with PyTorch in bench/RESULTS.md. */
    public static final List<String> DEFAULT_GPU_KMEANS = List.of("1000000,64,1024", "4000000,128,256", "10000000,32,100");
    /** The recurrent shapes: those compared with cuDNN (GPU) and PyTorch (CPU) in bench/RESULTS.md. */
    public static final List<String> DEFAULT_RNN = List.of("lstm:256,28,28,128", "lstm:256,28,28,512",
            "lstm:64,256,1,256", "lstm:1024,100,64,512", "lstm:64,140,1,64", "gru:256,28,28,128");

    /** Time a slow shape gets per measurement: fewer runs instead of minutes (see Timing#measureWithin). */
    static final double BUDGET_MS_PER_MEASUREMENT = 15_000;

    /**
     * What to time.
     *
     * @param kmeans     k-means shapes N,D,K (null: the device's default set when nothing else is asked)
     * @param rnn        recurrent shapes CELL:B,T,I,H (null: the default set when nothing else is asked)
     * @param trainEpoch a data file, or "cbf" for 900 generated series, to time whole training epochs
     *                   of {@code model} on (null: "cbf" when nothing else is asked)
     * @param model      the autoencoder whose epochs are timed
     * @param kmeansData points to use instead of Gaussian ones, for one k-means shape (or null)
     * @param json       where to write the machine and every figure (or null)
     */
    public record Plan(List<String> kmeans, List<String> rnn, String trainEpoch, SequenceClusterer model,
                       Path kmeansData, int warmup, int repeat, long seed, Path json) {
        /** Nothing asked: the default sets of every kind. */
        public boolean defaults() {
            return kmeans == null && rnn == null && trainEpoch == null;
        }

        /** Whether the plan runs the recurrent layers (the device then loads their kernels). */
        public boolean runsNetworks() {
            return rnn != null || trainEpoch != null || defaults();
        }

        /** Checks what can be checked before a device opens. */
        public Plan {
            if (repeat < 1) throw new InputException("timed runs must be >= 1, got " + repeat, Setting.BENCH_REPEAT);
            if (warmup < 0) throw new InputException("warm-up runs must be >= 0, got " + warmup, Setting.BENCH_WARMUP);
            if (kmeansData != null && (kmeans == null || kmeans.size() != 1)) {
                throw new InputException("points from a file go with exactly one k-means shape",
                        Setting.BENCH_POINTS, Setting.BENCH_KMEANS_SHAPES);
            }
            if (kmeans != null) kmeans.forEach(KMeansShape::parse);
            if (rnn != null) rnn.forEach(r -> RecurrentBench.Shape.parse(r).memoryPlan(true).requireBuffersFit());
        }
    }

    private final Device device;
    private final Plan plan;
    private final PrintWriter w;
    private final Supplier<Map<String, Object>> provenance;

    private Benchmarks(Device device, Plan plan, PrintWriter w, Supplier<Map<String, Object>> provenance) {
        this.device = device;
        this.plan = plan;
        this.w = w;
        this.provenance = provenance;
    }

    /** Runs {@code plan} on {@code device}, printing a table to {@code w}; returns every figure. */
    public static List<Map<String, Object>> run(Device device, Plan plan, PrintWriter w) {
        return run(device, plan, w, () -> null);
    }

    /**
     * The same; the JSON file also records what {@code provenance} gives once the figures are in
     * (the command line, settings and times of the command that ran it), when it gives a map.
     */
    public static List<Map<String, Object>> run(Device device, Plan plan, PrintWriter w,
                                                Supplier<Map<String, Object>> provenance) {
        return new Benchmarks(device, plan, w, provenance).run();
    }

    private List<Map<String, Object>> run() {
        Backend backend = device.backend();
        List<Map<String, Object>> results = new ArrayList<>();
        boolean gpu = backend.name().startsWith("cuda");
        List<String> shapes = plan.kmeans() != null ? plan.kmeans()
                : plan.defaults() ? (gpu ? DEFAULT_GPU_KMEANS : DEFAULT_CPU_KMEANS) : List.of();
        List<String> recurrent = plan.rnn() != null ? plan.rnn() : plan.defaults() ? DEFAULT_RNN : List.of();
        List<KMeansShape> parsed = shapes.stream().map(KMeansShape::parse).toList();
        w.println("device: " + backend.description());
        Peaks peaks = backend.measurePeaks();
        w.printf(Locale.ROOT, "measured: SGEMM %.1f GFLOP/s, memory %.1f GB/s%n%n", peaks.gemmGflops(),
                peaks.bandwidthGBs());
        w.printf(Locale.ROOT, "%-18s %-16s %10s %9s %9s %9s %9s %7s%n", "operation", "shape", "median ms",
                "min ms", "max ms", "GFLOP/s", "floor ms", "floor/t");
        w.flush();
        for (KMeansShape s : parsed) {
            float[] x = points(s.n(), s.d());
            for (boolean update : new boolean[] {false, true}) {
                KMeansTiming kt = timeKMeans(backend, x, s.n(), s.d(), Arrays.copyOf(x, s.k() * s.d()), s.k(), update);
                Timing t = kt.timing();
                // The GEMM multiplies N×(D+1) by (D+1)×K; the data are read once per pass.
                double flops = 2.0 * s.n() * s.k() * (s.d() + 1);
                double bytes = 4.0 * s.n() * (s.d() + 2);
                double floor = peaks.floorMs(flops, bytes);
                String op = update ? "kmeans_iteration" : "kmeans_assign";
                Map<String, Object> r = report(op, s.n() + "," + s.d() + "," + s.k(), t, flops, floor,
                        "n", s.n(), "d", s.d(), "k", s.k(), "state", kt.state());
                RecheckedAssignment.Rechecks rc = kt.rechecks();
                if (rc != null) {
                    // Tensor cores: the share of points the last timed pass recomputed in FP32.
                    double pairs = (double) rc.pairs() / rc.points();
                    double full = (double) rc.full() / rc.points();
                    r.put("rechecked_pairs", pairs);
                    r.put("rechecked_full", full);
                    w.printf(Locale.ROOT, "%-18s %-16s recomputed in FP32: %.3f%% as pairs, %.3f%% against every "
                            + "centroid%n", "", "", 100 * pairs, 100 * full);
                    w.flush();
                }
                results.add(r);
            }
        }
        for (String r : recurrent) {
            RecurrentBench.Shape s = RecurrentBench.Shape.parse(r);
            for (boolean train : new boolean[] {false, true}) {
                // On a GPU, CUDA events around the step (device time); on the CPU, the wall clock.
                Timing t = RecurrentBench.time(backend.tensorOps(), s, train, plan.warmup(), plan.repeat(),
                        BUDGET_MS_PER_MEASUREMENT, plan.seed(), gpu ? backend::timeMs : null);
                double flops = s.forwardFlops() * (train ? 3 : 1);
                double floor = peaks.floorMs(flops, s.bytes(train));
                String op = s.cell() + (train ? "_train_step" : "_forward");
                String shape = s.batch() + "," + s.steps() + "," + s.input() + "," + s.hidden();
                results.add(report(op, shape, t, flops, floor,
                        "batch", s.batch(), "steps", s.steps(), "input", s.input(), "hidden", s.hidden()));
            }
        }
        if (plan.trainEpoch() != null || plan.defaults()) {
            results.add(timeEpoch(plan.trainEpoch() != null ? plan.trainEpoch() : "cbf"));
        }
        if (plan.json() != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("machine", MachineInfo.collect(backend.description()));
            doc.put("peaks", Map.of("sgemm_gflops", peaks.gemmGflops(), "bandwidth_gbs", peaks.bandwidthGBs()));
            doc.put("warmup", plan.warmup());
            doc.put("repeat", plan.repeat());
            doc.put("results", results);
            Map<String, Object> origin = provenance.get();
            if (origin != null) doc.put("provenance", origin);
            OutputFolder.writeJsonFile(plan.json(), doc);
        }
        return results;
    }

    /** Prints one table row and returns the same figures; {@code sizes} are name, value pairs. */
    private Map<String, Object> report(String op, String shape, Timing t, double flops, double floor, Object... sizes) {
        double gflops = flops / t.medianMs() / 1e6;
        w.printf(Locale.ROOT, "%-18s %-16s %10.2f %9.2f %9.2f %9.1f %9.2f %7.2f%n", op, shape, t.medianMs(), t.minMs(),
                t.maxMs(), gflops, floor, floor / t.medianMs());
        w.flush();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", op);
        for (int i = 0; i + 1 < sizes.length; i += 2) r.put((String) sizes[i], sizes[i + 1]);
        r.put("median_ms", t.medianMs());
        r.put("min_ms", t.minMs());
        r.put("max_ms", t.maxMs());
        r.put("runs_ms", t.runsMs());
        r.put("gflops", gflops);
        r.put("floor_ms", floor);
        r.put("floor_ratio", floor / t.medianMs());
        return r;
    }

    /** Whole pretraining epochs (shuffle, batches, forward, backward, clipping, Adam) of the plan's model. */
    private Map<String, Object> timeEpoch(String data) {
        Dataset raw = data.equalsIgnoreCase("cbf") ? Cbf.generate(300, 128, plan.seed())
                : Readers.read(Path.of(data), ReadOptions.defaults());
        PaddedSequences x = PaddedSequences.of(Preprocessor.fit(PreprocessOptions.defaults(), raw).apply(raw));
        int epochs = plan.warmup() + plan.repeat();
        // Every epoch runs: no plateau stop, no denoising draws.
        SequenceClusterer model = plan.model().toBuilder().epochs(epochs).patience(0).inputDropout(0)
                .seed(plan.seed()).build();
        double[] ms = new double[epochs];
        model.pretrain(device, x, FitOptions.defaults().withListener(new FitListener() {
            @Override
            public void epochFinished(Epoch e) {
                ms[e.epoch() - 1] = e.seconds() * 1e3;
            }
        }));
        Timing t = new Timing(Arrays.copyOfRange(ms, plan.warmup(), epochs));
        String shape = raw.size() + "x" + raw.maxLength() + "x" + raw.channels();
        w.printf(Locale.ROOT, "%-18s %-16s %10.2f %9.2f %9.2f %9s %9s %7s   (%s, H %d, D %d, batch %d: %.0f sequences/s)%n",
                "train_epoch", shape, t.medianMs(), t.minMs(), t.maxMs(), "-", "-", "-", model.cell(), model.hidden(),
                model.latent(), model.batchSize(), raw.size() / (t.medianMs() / 1e3));
        w.flush();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", "train_epoch");
        r.put("data", raw.name());
        r.put("sequences", raw.size());
        r.put("max_length", raw.maxLength());
        r.put("channels", raw.channels());
        r.put("cell", model.cell().label());
        r.put("hidden", model.hidden());
        r.put("latent", model.latent());
        r.put("batch", model.batchSize());
        r.put("median_ms", t.medianMs());
        r.put("min_ms", t.minMs());
        r.put("max_ms", t.maxMs());
        r.put("runs_ms", t.runsMs());
        r.put("sequences_per_second", raw.size() / (t.medianMs() / 1e3));
        return r;
    }

    /**
     * A k-means timing; where the iteration kept its labels, sums and means ("device" or "host");
     * and, on tensor cores, how many points the last timed assignment recomputed in FP32 (null
     * otherwise, and for the device state, whose assignments do not count them).
     */
    private record KMeansTiming(Timing timing, String state, RecheckedAssignment.Rechecks rechecks) {}

    /**
     * One assignment pass, or a whole Lloyd iteration (assignment with the fused sums, then the
     * means): on the backend's own Lloyd state where it keeps one (a GPU: labels, sums and means stay
     * on the device, as in PyTorch's iteration), else with the labels and sums brought to the host.
     */
    private KMeansTiming timeKMeans(Backend backend, float[] x, int n, int d, float[] centroids, int k,
                                    boolean update) {
        int[] labels = new int[n];
        float[] dist = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            // backend.timeMs: CUDA events on the GPU, the wall clock on the CPU.
            if (!update) {
                Timing t = Timing.measure(plan.warmup(), plan.repeat(), () -> index.assign(centroids, k, labels, dist),
                        backend::timeMs);
                return new KMeansTiming(t, "host", rechecks(index));
            }
            Optional<LloydRun> resident = index.lloydRun(centroids, k);
            if (resident.isPresent()) {
                try (LloydRun run = resident.get()) {
                    return new KMeansTiming(Timing.measure(plan.warmup(), plan.repeat(), () -> {
                        run.assign();
                        run.relocateEmpty();
                        run.updateCentres();
                    }, backend::timeMs), "device", null);
                }
            }
            Timing t = Timing.measure(plan.warmup(), plan.repeat(), () -> {
                // What a Lloyd iteration asks (KMeans.lloyd): labels, sums and counts, no distances.
                index.assign(centroids, k, labels, null, sums, counts);
                for (int c = 0; c < k; c++) {
                    if (counts[c] == 0) continue;
                    for (int j = 0; j < d; j++) centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
                }
            }, backend::timeMs);
            return new KMeansTiming(t, "host", rechecks(index));
        }
    }

    private static RecheckedAssignment.Rechecks rechecks(CentroidIndex index) {
        return index instanceof RecheckedAssignment ra ? ra.lastRechecks() : null;
    }

    private float[] points(int n, int d) {
        if (plan.kmeansData() != null) {
            PaddedSequences p = PaddedSequences.of(Readers.read(plan.kmeansData(), ReadOptions.defaults()));
            if (p.n() != n || p.rowSize() != d) {
                throw new InputException(plan.kmeansData() + ": shape " + p.n() + "," + p.rowSize()
                        + " does not match the k-means shape " + n + "," + d);
            }
            return p.values();
        }
        SplittableRandom rng = new SplittableRandom(plan.seed());
        float[] x = new float[Math.multiplyExact(n, d)];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    /** A k-means benchmark shape N,D,K. */
    record KMeansShape(int n, int d, int k) {
        static KMeansShape parse(String shape) {
            String[] parts = shape.split(",");
            if (parts.length != 3) throw bad(shape, "expected N,D,K");
            int[] out = new int[3];
            try {
                for (int i = 0; i < 3; i++) out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw bad(shape, "expected three integers N,D,K");
            }
            if (out[0] < 1 || out[1] < 1 || out[2] < 1 || out[2] > out[0]) throw bad(shape, "need N,D,K >= 1 and K <= N");
            if ((long) out[0] * out[1] > Integer.MAX_VALUE - 8) throw bad(shape, "N×D is too large for one array");
            return new KMeansShape(out[0], out[1], out[2]);
        }

        private static InputException bad(String shape, String problem) {
            return new InputException("k-means shape " + shape + ": " + problem, Setting.BENCH_KMEANS_SHAPES);
        }
    }
}
