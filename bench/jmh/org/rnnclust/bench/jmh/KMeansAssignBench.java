package org.rnnclust.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.cpu.CpuBackend;

/** The k-means hot path on the CPU: distances (SGEMM) + row argmin, and the same with the fused centroid sums. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KMeansAssignBench {
    @Param({"100000,64,100"})
    public String shape;

    private CpuBackend backend;
    private CentroidIndex index;
    private float[] centroids;
    private int k;
    private int[] labels;
    private float[] dist;
    private double[] sums;
    private long[] counts;

    @Setup
    public void setUp() {
        String[] p = shape.split(",");
        int n = Integer.parseInt(p[0]);
        int d = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        SplittableRandom rng = new SplittableRandom(0);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) rng.nextGaussian();
        centroids = java.util.Arrays.copyOf(x, k * d);
        backend = new CpuBackend();
        index = backend.centroidIndex(x, n, d);
        labels = new int[n];
        dist = new float[n];
        sums = new double[k * d];
        counts = new long[k];
    }

    @TearDown
    public void tearDown() {
        index.close();
        backend.close();
    }

    @Benchmark
    public double assign() {
        return index.assign(centroids, k, labels, dist);
    }

    @Benchmark
    public double assignWithSums() {
        return index.assign(centroids, k, labels, dist, sums, counts);
    }
}
