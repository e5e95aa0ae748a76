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
 * Times the engine's kernels. For now: one k-means Lloyd iteration (assignment through the
 * backend's GEMM + argmin, then the centroid sums) at given N,D,K.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time one k-means iteration (assign + centroid update) at each --kmeans N,D,K.",
                "Prints median, min and max of --repeat runs after --warmup runs."})
final class BenchCommand implements Callable<Integer> {
    /** The CPU shape set of the foundation issue. */
    static final String[] DEFAULT_CPU_KMEANS = {"100000,64,100", "1000000,32,100", "200000,128,256"};

    @Spec CommandSpec spec;
    @Mixin DeviceMixin device;

    @Option(names = "--kmeans", paramLabel = "N,D,K", split = " ",
            description = "k-means shapes. Default: 100000,64,100 1000000,32,100 200000,128,256.")
    List<String> kmeans;

    @Option(names = "--kmeans-data", paramLabel = "X.npy",
            description = "Points to use instead of generated ones (shape [N,D]); with one --kmeans shape whose "
                    + "N and D match, its first K rows are the centroids.")
    Path kmeansData;

    @Option(names = "--repeat", defaultValue = "7", description = "Timed runs. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--seed", defaultValue = "0", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        if (repeat < 1 || warmup < 0) throw new InputException("--repeat must be >= 1 and --warmup >= 0");
        List<String> shapes = kmeans != null ? kmeans : List.of(DEFAULT_CPU_KMEANS);
        PrintWriter w = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        try (Backend backend = device.open()) {
            w.println("device: " + backend.description());
            w.printf(Locale.ROOT, "%-26s %10s %10s %10s %10s%n", "k-means iteration N,D,K", "median ms", "min ms",
                    "max ms", "GFLOP/s");
            for (String shape : shapes) {
                int[] s = parseShape(shape);
                int n = s[0], d = s[1], k = s[2];
                float[] x = points(n, d);
                float[] centroids = Arrays.copyOf(x, k * d);
                double[] ms = timeIteration(backend, x, n, d, centroids, k);
                double median = median(ms);
                double gflops = 2.0 * n * d * k / (median / 1e3) / 1e9;
                w.printf(Locale.ROOT, "%-26s %10.2f %10.2f %10.2f %10.1f%n", shape, median,
                        Arrays.stream(ms).min().orElseThrow(), Arrays.stream(ms).max().orElseThrow(), gflops);
                w.flush();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("kind", "kmeans_iteration");
                r.put("n", n);
                r.put("d", d);
                r.put("k", k);
                r.put("median_ms", median);
                r.put("runs_ms", ms);
                r.put("gflops", gflops);
                results.add(r);
            }
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("device", backend.description());
                doc.put("cores", Runtime.getRuntime().availableProcessors());
                doc.put("java", System.getProperty("java.version"));
                doc.put("repeat", repeat);
                doc.put("warmup", warmup);
                doc.put("results", results);
                ResultFiles.writeJson(json, doc);
            }
        }
        return Main.EXIT_OK;
    }

    private double[] timeIteration(Backend backend, float[] x, int n, int d, float[] centroids, int k) {
        int[] labels = new int[n];
        float[] dist = new float[n];
        double[] sums = new double[k * d];
        long[] counts = new long[k];
        double[] ms = new double[repeat];
        try (CentroidIndex index = backend.centroidIndex(x, n, d)) {
            for (int r = -warmup; r < repeat; r++) {
                long t0 = System.nanoTime();
                index.assign(centroids, k, labels, dist, sums, counts);
                for (int c = 0; c < k; c++) {
                    if (counts[c] == 0) continue;
                    for (int j = 0; j < d; j++) centroids[c * d + j] = (float) (sums[c * d + j] / counts[c]);
                }
                if (r >= 0) ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
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
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
