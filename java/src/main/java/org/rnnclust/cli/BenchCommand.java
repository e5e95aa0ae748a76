package org.rnnclust.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rnnclust.InputException;
import org.rnnclust.backend.Backend;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.Peaks;
import org.rnnclust.bench.MachineInfo;
import org.rnnclust.bench.RecurrentBench;
import org.rnnclust.bench.Timing;
import org.rnnclust.data.Dataset;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.data.read.ReadOptions;
import org.rnnclust.data.read.Readers;
import org.rnnclust.io.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Times the engine's kernels on one device, next to the floor the hardware allows: the device's
 * GEMM rate and memory bandwidth are measured in the same run, and each operation's floor is
 * max(FLOPs / GEMM rate, bytes / bandwidth).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time k-means iterations and assignment steps (--kmeans N,D,K), recurrent layers'",
                "forward and training step (--rnn CELL:B,T,I,H) and whole training epochs (--train-epoch),",
                "with the device's measured GEMM rate and bandwidth and each operation's floor.",
                "Without any of them: the default k-means and recurrent sets and an epoch on generated CBF.",
                "Prints median, min and max of --repeat runs after --warmup runs; --json writes every figure."})
final class BenchCommand implements Callable<Integer> {
    /** The CPU k-means shapes: the set compared with scikit-learn in bench/RESULTS.md. */
    static final String[] DEFAULT_CPU_KMEANS = {"100000,64,100", "1000000,32,100", "200000,128,256"};
    /** The GPU k-means shapes: the set compared with PyTorch in bench/RESULTS.md. */
    static final String[] DEFAULT_GPU_KMEANS = {"1000000,64,1024", "4000000,128,256", "10000000,32,100"};

    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--kmeans", paramLabel = "N,D,K", arity = "1..*",
            description = "k-means shapes. Default: 100000,64,100 1000000,32,100 200000,128,256.")
    List<String> kmeans;

    @Option(names = "--rnn", paramLabel = "CELL:B,T,I,H", arity = "1..*",
            description = "Recurrent layers to time (forward, and forward + backward = one training step), "
                    + "e.g. lstm:256,28,28,128. Default: none unless --kmeans is also absent, then "
                    + "lstm:256,28,28,128 lstm:256,28,28,512 lstm:64,256,1,256 lstm:1024,100,64,512 "
                    + "lstm:64,140,1,64 gru:256,28,28,128.")
    List<String> rnn;

    /**
     * The recurrent shapes: those compared with cuDNN (GPU) and PyTorch (CPU) in
     * bench/RESULTS.md.
     */
    static final String[] DEFAULT_RNN = {"lstm:256,28,28,128", "lstm:256,28,28,512", "lstm:64,256,1,256",
            "lstm:1024,100,64,512", "lstm:64,140,1,64", "gru:256,28,28,128"};

    /** Time a slow shape gets per measurement: fewer runs instead of minutes (see Timing#measureWithin). */
    static final double BUDGET_MS_PER_MEASUREMENT = 15_000;

    @Option(names = "--train-epoch", paramLabel = "DATA",
            description = "Time whole training epochs of the default autoencoder (train's flags) on DATA: a data "
                    + "file, or 'cbf' for 900 generated CBF series of length 128.")
    String trainEpoch;

    @Mixin ModelMixin model;

    @Option(names = "--kmeans-data", paramLabel = "X.npy",
            description = "Points to use instead of generated Gaussian ones (shape [N,D], one --kmeans shape "
                    + "whose N and D match); the centroids start as its first K rows.")
    Path kmeansData;

    @Option(names = "--repeat", defaultValue = "10", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed runs first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the machine and every figure as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (repeat < 1 || warmup < 0) throw new InputException("--repeat must be >= 1 and --warmup >= 0");
        boolean defaults = kmeans == null && rnn == null && trainEpoch == null;
        if (kmeans != null) kmeans.forEach(BenchCommand::parseShape);  // bad shapes fail before the device opens
        PrintWriter w = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        try (Backend backend = device.open(rnn != null || trainEpoch != null || defaults)) {
            // Default shape sets per device: k-means shapes per device, the same recurrent set on both.
            boolean gpu = backend.name().startsWith("cuda");
            List<String> shapes = kmeans != null ? kmeans
                    : defaults ? List.of(gpu ? DEFAULT_GPU_KMEANS : DEFAULT_CPU_KMEANS) : List.of();
            List<String> recurrent = rnn != null ? rnn : defaults ? List.of(DEFAULT_RNN) : List.of();
            List<int[]> parsed = shapes.stream().map(BenchCommand::parseShape).toList();
            if (kmeansData != null && parsed.size() != 1) {
                throw new InputException("--kmeans-data goes with exactly one --kmeans shape");
            }
            w.println("device: " + backend.description());
            Peaks peaks = backend.measurePeaks();
            w.printf(Locale.ROOT, "measured: SGEMM %.1f GFLOP/s, memory %.1f GB/s%n%n", peaks.gemmGflops(),
                    peaks.bandwidthGBs());
            w.printf(Locale.ROOT, "%-18s %-16s %10s %9s %9s %9s %9s %7s%n", "operation", "shape", "median ms",
                    "min ms", "max ms", "GFLOP/s", "floor ms", "floor/t");
            w.flush();
            for (int[] s : parsed) {
                int n = s[0], d = s[1], k = s[2];
                float[] x = points(n, d);
                for (boolean update : new boolean[] {false, true}) {
                    Timing t = timeKMeans(backend, x, n, d, Arrays.copyOf(x, k * d), k, update);
                    // The GEMM multiplies N×(D+1) by (D+1)×K; the data are read once per pass.
                    double flops = 2.0 * n * k * (d + 1);
                    double bytes = 4.0 * n * (d + 2);
                    double floor = peaks.floorMs(flops, bytes);
                    String op = update ? "kmeans_iteration" : "kmeans_assign";
                    results.add(report(w, op, n + "," + d + "," + k, t, flops, floor,
                            "n", n, "d", d, "k", k));
                }
            }
            for (String r : recurrent) {
                RecurrentBench.Shape s = RecurrentBench.Shape.parse(r);
                for (boolean train : new boolean[] {false, true}) {
                    // On a GPU, CUDA events around the step (device time); on the CPU, the wall clock.
                    Timing t = RecurrentBench.time(backend.tensorOps(), s, train, warmup, repeat,
                            BUDGET_MS_PER_MEASUREMENT, seed, gpu ? backend::timeMs : null);
                    double flops = s.forwardFlops() * (train ? 3 : 1);
                    double floor = peaks.floorMs(flops, s.bytes(train));
                    String op = s.cell() + (train ? "_train_step" : "_forward");
                    String shape = s.batch() + "," + s.steps() + "," + s.input() + "," + s.hidden();
                    results.add(report(w, op, shape, t, flops, floor,
                            "batch", s.batch(), "steps", s.steps(), "input", s.input(), "hidden", s.hidden()));
                }
            }
            if (trainEpoch != null || defaults) results.add(timeEpoch(backend, w, trainEpoch != null ? trainEpoch : "cbf"));
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("machine", MachineInfo.collect(backend.description()));
                doc.put("peaks", Map.of("sgemm_gflops", peaks.gemmGflops(), "bandwidth_gbs", peaks.bandwidthGBs()));
                doc.put("warmup", warmup);
                doc.put("repeat", repeat);
                doc.put("results", results);
                ResultFiles.writeJson(json, doc);
            }
        }
        return Main.EXIT_OK;
    }

    /** Prints one table row and returns the same figures for the JSON; {@code sizes} are name, value pairs. */
    private static Map<String, Object> report(PrintWriter w, String op, String shape, Timing t, double flops,
                                              double floor, Object... sizes) {
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

    /** Whole training epochs (shuffle, batches, forward, backward, clipping, Adam) of train's default model. */
    private Map<String, Object> timeEpoch(Backend backend, PrintWriter w, String data) {
        Dataset raw = data.equalsIgnoreCase("cbf") ? org.rnnclust.data.gen.Cbf.generate(300, 128, seed)
                : Readers.read(Path.of(data), ReadOptions.defaults());
        PaddedSequences x = PaddedSequences.of(org.rnnclust.data.prep.Preprocessor
                .fit(org.rnnclust.data.prep.PreprocessOptions.defaults(), raw).apply(raw));
        var arch = model.spec(raw.channels());
        var ops = backend.tensorOps();
        int epochs = warmup + repeat;
        var config = model.config(seed).withEpochs(epochs);
        double[] ms = new double[epochs];
        try (var net = new org.rnnclust.nn.SequenceAutoencoder(ops, arch, seed)) {
            new org.rnnclust.train.Trainer(ops, new org.rnnclust.train.TrainConfig(epochs, config.batchSize(), config.lr(),
                    config.weightDecay(), config.clipNorm(), 0, config.minDelta(), seed),
                    new org.rnnclust.train.TrainingListener() {
                        @Override
                        public void epochFinished(Epoch e) {
                            ms[e.epoch() - 1] = e.seconds() * 1e3;
                        }
                    }).train(net, x, null, null, null, null);
        }
        Timing t = new Timing(java.util.Arrays.copyOfRange(ms, warmup, epochs));
        String shape = raw.size() + "x" + raw.maxLength() + "x" + raw.channels();
        w.printf(Locale.ROOT, "%-18s %-16s %10.2f %9.2f %9.2f %9s %9s %7s   (%s, H %d, D %d, batch %d: %.0f sequences/s)%n",
                "train_epoch", shape, t.medianMs(), t.minMs(), t.maxMs(), "-", "-", "-", arch.cell(), arch.hidden(),
                arch.latent(), config.batchSize(), raw.size() / (t.medianMs() / 1e3));
        w.flush();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("operation", "train_epoch");
        r.put("data", raw.name());
        r.put("sequences", raw.size());
        r.put("max_length", raw.maxLength());
        r.put("channels", raw.channels());
        r.put("cell", arch.cell().name().toLowerCase(Locale.ROOT));
        r.put("hidden", arch.hidden());
        r.put("latent", arch.latent());
        r.put("batch", config.batchSize());
        r.put("median_ms", t.medianMs());
        r.put("min_ms", t.minMs());
        r.put("max_ms", t.maxMs());
        r.put("runs_ms", t.runsMs());
        r.put("sequences_per_second", raw.size() / (t.medianMs() / 1e3));
        return r;
    }

    /** One assignment pass, or a whole Lloyd iteration (assignment with the fused sums, then the means). */
    private Timing timeKMeans(Backend backend, float[] x, int n, int d, float[] centroids, int k, boolean update) {
        int[] labels = new int[n];
        float[] dist = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            // backend.timeMs: CUDA events on the GPU, the wall clock on the CPU.
            if (!update) {
                return Timing.measure(warmup, repeat, () -> index.assign(centroids, k, labels, dist), backend::timeMs);
            }
            return Timing.measure(warmup, repeat, () -> {
                // What a Lloyd iteration asks (KMeans.lloyd): labels, sums and counts, no distances.
                index.assign(centroids, k, labels, null, sums, counts);
                for (int c = 0; c < k; c++) {
                    if (counts[c] == 0) continue;
                    for (int j = 0; j < d; j++) centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
                }
            }, backend::timeMs);
        }
    }

    private float[] points(int n, int d) {
        if (kmeansData != null) {
            Dataset data = Readers.read(kmeansData, ReadOptions.defaults());
            PaddedSequences p = PaddedSequences.of(data);
            if (p.n() != n || p.rowSize() != d) {
                throw new InputException(kmeansData + ": shape " + p.n() + "," + p.rowSize()
                        + " does not match --kmeans " + n + "," + d);
            }
            return p.values();
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[Math.multiplyExact(n, d)];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        return x;
    }

    static int[] parseShape(String shape) {
        String[] parts = shape.split(",");
        if (parts.length != 3) throw new InputException("--kmeans " + shape + ": expected N,D,K");
        int[] out = new int[3];
        try {
            for (int i = 0; i < 3; i++) out[i] = Integer.parseInt(parts[i].trim());
        } catch (NumberFormatException e) {
            throw new InputException("--kmeans " + shape + ": expected three integers N,D,K");
        }
        if (out[0] < 1 || out[1] < 1 || out[2] < 1 || out[2] > out[0]) {
            throw new InputException("--kmeans " + shape + ": need N,D,K >= 1 and K <= N");
        }
        if ((long) out[0] * out[1] > Integer.MAX_VALUE - 8) {
            throw new InputException("--kmeans " + shape + ": N×D is too large for one array");
        }
        return out;
    }
}
