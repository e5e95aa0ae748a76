package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.InsufficientMemoryException;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.backend.cpu.NativeCpu;
import org.rnnclust.cluster.KMeans;
import org.rnnclust.cluster.KMeansModel;
import org.rnnclust.cluster.KMeansParams;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;
import org.rnnclust.testing.RandomArrays;
import org.rnnclust.testing.RelativeError;
import org.rnnclust.testing.Tolerances;

/**
 * The sharded index on the CPU backend, G shards against the plain index over all the points (the
 * oracle), in the default mode (OpenBLAS or the native kernels) and in the deterministic mode: the
 * per-point answers bit for bit, the sums within the bound of their change of summation order;
 * whole k-means fits; the threads, the refusals and the failures.
 */
public class ShardedCentroidIndexTest {
    private static final double U_FLOAT = 0x1p-24;
    private static final double U_DOUBLE = 0x1p-53;

    static CpuBackend cpu;
    static CpuBackend deterministic;

    @BeforeAll
    static void open() {
        cpu = new CpuBackend(2);
        deterministic = new CpuBackend(2, true);
    }

    @AfterAll
    static void close() {
        Resources.closeAll(cpu, deterministic);
    }

    private static List<ShardedCentroidIndex.Maker> shardsOn(Backend backend, int g) {
        return Collections.nCopies(g, backend::centroidIndex);
    }

    /** What one assign call answers. */
    public record Answer(int[] labels, float[] dist, double[] sums, long[] counts, double inertia) {
        public static Answer of(CentroidIndex index, float[] c, int k) {
            int n = index.size();
            int d = index.dim();
            int[] labels = new int[n];
            float[] dist = new float[n];
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            double inertia = index.assign(c, k, labels, dist, sums, counts);
            return new Answer(labels, dist, sums, counts, inertia);
        }
    }

    // n, d, k: n not a multiple of 2 or 3 (odd slices), tiles of several rows, and many tiles per shard
    @ParameterizedTest
    @CsvSource({"7,3,2", "1001,17,13", "2049,64,100", "20011,5,3"})
    void shardsAnswerAsOneIndexUpToTheOrderOfSummation(int n, int d, int k) {
        SplittableRandom rng = new SplittableRandom(n * 31L + d);
        float[] x = RandomArrays.uniform(rng, n * d, -3, 5);
        float[] c = RandomArrays.uniform(rng, k * d, -3, 5);
        for (CpuBackend backend : new CpuBackend[] {cpu, deterministic}) {
            Answer plain;
            try (CentroidIndex one = backend.centroidIndex(x, n, d)) {
                plain = Answer.of(one, c, k);
            }
            for (int g : new int[] {2, 3}) {
                String what = "n,d,k,G=" + n + "," + d + "," + k + "," + g
                        + (backend.deterministic() ? " deterministic" : "");
                Answer sharded;
                try (ShardedCentroidIndex index = new ShardedCentroidIndex(x, n, d, shardsOn(backend, g))) {
                    assertEquals(g, index.shards());
                    sharded = Answer.of(index, c, k);
                    // The calls that want no distances, or no sums, give the same labels and inertia.
                    int[] labels = new int[n];
                    assertEquals(sharded.inertia(), index.assign(c, k, labels, null), what);
                    assertArrayEquals(sharded.labels(), labels, what);
                }
                // The native tile kernel (and the deterministic mode's GEMM) compute each point alone;
                // without the library, OpenBLAS's products depend on the rows of the call.
                assertSameAnswers(plain, sharded, x, c, d, backend.deterministic() || NativeCpu.available(), what);
            }
        }
    }

    /**
     * A sharded answer against the plain index's. Per point (labels, distances, counts) bit for bit
     * where the backend computes each point alone, else as the GPU parity does (a different label only
     * for a tie in exact distance, distances within FP32). The sums either way within the rounding of
     * float sums over tiles of rows added in double: recursive summation of at most n rows in float
     * errs by at most (n − 1)·u·Σ|x| (Higham, 4.3), whatever the grouping, so both keep to it around
     * the exact sum of their own labels' points, taken here in double.
     */
    public static void assertSameAnswers(Answer plain, Answer sharded, float[] x, float[] c, int d, boolean perPoint,
                                         String what) {
        int n = plain.labels().length;
        int k = plain.counts().length;
        if (perPoint) {
            assertArrayEquals(plain.labels(), sharded.labels(), what + ": labels");
            assertArrayEquals(plain.dist(), sharded.dist(), what + ": distances");
            assertArrayEquals(plain.counts(), sharded.counts(), what + ": counts");
            // The inertia adds the same float distances in double, grouped otherwise: within
            // (n − 1)·u·Σ of the exact sum each, all terms positive.
            assertEquals(plain.inertia(), sharded.inertia(), 2 * n * U_DOUBLE * plain.inertia(), what + ": inertia");
        } else {
            for (int i = 0; i < n; i++) {
                if (plain.labels()[i] == sharded.labels()[i]) continue;
                double a = exactSqDistance(x, i, c, plain.labels()[i], d);
                double b = exactSqDistance(x, i, c, sharded.labels()[i], d);
                assertEquals(a, b, Tolerances.FP32_OP * Math.max(1, a), what + ": point " + i + " changed cluster");
            }
            assertTrue(RelativeError.of(sharded.dist(), plain.dist()) <= Tolerances.FP32_OP, what + ": distances");
            assertEquals(plain.inertia(), sharded.inertia(), Tolerances.FP32_OP * plain.inertia(), what + ": inertia");
        }
        for (Answer answer : new Answer[] {plain, sharded}) {
            double[] exact = new double[k * d];
            double[] magnitude = new double[k * d];
            long[] counts = new long[k];
            for (int i = 0; i < n; i++) {
                int label = answer.labels()[i];
                counts[label]++;
                for (int j = 0; j < d; j++) {
                    exact[label * d + j] += x[i * d + j];
                    magnitude[label * d + j] += Math.abs(x[i * d + j]);
                }
            }
            String which = what + (answer == plain ? ": plain" : ": sharded");
            assertArrayEquals(counts, answer.counts(), which + " counts");
            for (int j = 0; j < k * d; j++) {
                assertEquals(exact[j], answer.sums()[j], n * U_FLOAT * magnitude[j], which + " sum " + j);
            }
        }
    }

    private static double exactSqDistance(float[] x, int i, float[] c, int j, int d) {
        double s = 0;
        for (int t = 0; t < d; t++) {
            double u = (double) x[i * d + t] - c[j * d + t];
            s += u * u;
        }
        return s;
    }

    @Test
    void oneShardGivesThePlainIndexsBits() {
        int n = 3001, d = 9, k = 20;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = RandomArrays.uniform(rng, n * d, -1, 1);
        float[] c = RandomArrays.uniform(rng, k * d, -1, 1);
        try (CentroidIndex one = cpu.centroidIndex(x, n, d);
             ShardedCentroidIndex sharded = new ShardedCentroidIndex(x, n, d, shardsOn(cpu, 1))) {
            Answer a = Answer.of(one, c, k);
            Answer b = Answer.of(sharded, c, k);
            assertArrayEquals(a.labels(), b.labels());
            assertArrayEquals(a.dist(), b.dist());
            assertArrayEquals(a.sums(), b.sums());
            assertArrayEquals(a.counts(), b.counts());
            assertEquals(a.inertia(), b.inertia());
        }
    }

    /**
     * The sums and the inertia are what one plain index per slice answers, added in shard order, to
     * the bit, also when shard 0 finishes last.
     */
    @Test
    void sumsAreTheSlicesSumsAddedInShardOrder() {
        int n = 3001, d = 6, k = 9;
        SplittableRandom rng = new SplittableRandom(12);
        float[] x = RandomArrays.uniform(rng, n * d, -1, 3);
        float[] c = RandomArrays.uniform(rng, k * d, -1, 3);
        int g = 3;
        double[] want = new double[k * d];
        long[] wantCounts = new long[k];
        double wantInertia = 0;
        for (int s = 0; s < g; s++) {
            int from = ShardedCentroidIndex.shardStart(s, g, n), to = ShardedCentroidIndex.shardStart(s + 1, g, n);
            try (CentroidIndex slice = cpu.centroidIndex(java.util.Arrays.copyOfRange(x, from * d, to * d), to - from, d)) {
                Answer part = Answer.of(slice, c, k);
                for (int j = 0; j < k * d; j++) want[j] = s == 0 ? part.sums()[j] : want[j] + part.sums()[j];
                for (int j = 0; j < k; j++) wantCounts[j] += part.counts()[j];
                wantInertia = s == 0 ? part.inertia() : wantInertia + part.inertia();
            }
        }
        ShardedCentroidIndex.Maker slow = (p, rows, dim) -> new Probe(p, rows, dim) {
            @Override
            public double assign(float[] cs, int kk, int[] nearest, float[] dist, double[] sums, long[] counts) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.assign(cs, kk, nearest, dist, sums, counts);
            }
        };
        ShardedCentroidIndex.Maker fast = cpu::centroidIndex;
        try (ShardedCentroidIndex index = new ShardedCentroidIndex(x, n, d, List.of(slow, fast, fast))) {
            for (int round = 0; round < 3; round++) {
                Answer got = Answer.of(index, c, k);
                assertArrayEquals(want, got.sums(), "round " + round);
                assertArrayEquals(wantCounts, got.counts());
                assertEquals(wantInertia, got.inertia(), "round " + round);
            }
        }
    }

    /**
     * Shard order, not the order in which the shards finish, nor any other: with 1 from shard 0 and
     * 2⁻⁵³ from shards 1 and 2, (1 + 2⁻⁵³) + 2⁻⁵³ rounds to 1 (each sum a tie, to even), while any
     * order that adds the two small ones first gives 1 + 2⁻⁵². Shard 0 is made to finish last.
     */
    @Test
    void shardsAreAddedInShardOrderWhateverOrderTheyFinishIn() {
        int n = 6, d = 2, k = 2;
        double tiny = 0x1p-53;
        List<ShardedCentroidIndex.Maker> makers = List.of(
                (p, rows, dim) -> new Constant(rows, dim, 1.0, 200),
                (p, rows, dim) -> new Constant(rows, dim, tiny, 0),
                (p, rows, dim) -> new Constant(rows, dim, tiny, 0));
        try (ShardedCentroidIndex index = new ShardedCentroidIndex(new float[n * d], n, d, makers)) {
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            for (int round = 0; round < 3; round++) {
                assertEquals(1.0, index.assign(new float[k * d], k, new int[n], null, sums, counts), "round " + round);
                for (double v : sums) assertEquals(1.0, v, 0.0, "round " + round);
                assertArrayEquals(new long[] {6, 0}, counts);
            }
        }
    }

    /** An index that puts every point in cluster 0 and answers {@code value} for the inertia and every sum. */
    private static final class Constant implements CentroidIndex {
        final int n;
        final int d;
        final double value;
        final long delayMillis;

        Constant(int n, int d, double value, long delayMillis) {
            this.n = n;
            this.d = d;
            this.value = value;
            this.delayMillis = delayMillis;
        }

        @Override public int size() { return n; }

        @Override public int dim() { return d; }

        @Override
        public double assign(float[] c, int k, int[] nearest, float[] dist, double[] sums, long[] counts) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            java.util.Arrays.fill(nearest, 0, n, 0);
            if (sums != null) {
                java.util.Arrays.fill(sums, 0, k * d, value);
                java.util.Arrays.fill(counts, 0, k, 0L);
                counts[0] = n;
            }
            return value;
        }

        @Override public void sqDistances(float[] c, int m, float[] out) { throw new UnsupportedOperationException(); }

        @Override public void load(float[] x) { throw new UnsupportedOperationException(); }

        @Override public void point(int i, float[] out) { throw new UnsupportedOperationException(); }

        @Override public void close() {}
    }

    @Test
    void sqDistancesPointsAndLoadAreThePlainIndexs() {
        int n = 1237, d = 11, m = 7;
        SplittableRandom rng = new SplittableRandom(8);
        float[] a = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] b = RandomArrays.uniform(rng, n * d, -2, 2);
        float[] c = RandomArrays.uniform(rng, m * d, -2, 2);
        for (CpuBackend backend : new CpuBackend[] {cpu, deterministic}) {
            for (int g : new int[] {2, 3}) {
                String what = "G=" + g + (backend.deterministic() ? " deterministic" : "");
                try (CentroidIndex oneA = backend.centroidIndex(a, n, d);
                     CentroidIndex oneB = backend.centroidIndex(b, n, d);
                     ShardedCentroidIndex sharded = new ShardedCentroidIndex(a, n, d, shardsOn(backend, g));
                     ShardedCentroidIndex freshB = new ShardedCentroidIndex(b, n, d, shardsOn(backend, g))) {
                    boolean exact = backend.deterministic();
                    assertSameDistancesAndPoints(oneA, sharded, c, m, exact, what + " before load");
                    sharded.load(b);
                    assertSameDistancesAndPoints(oneB, sharded, c, m, exact, what + " after load");
                    Answer plain = Answer.of(oneB, c, m);
                    Answer loaded = Answer.of(sharded, c, m);
                    assertSameAnswers(plain, loaded, b, c, d, exact || NativeCpu.available(), what);
                    // A reloaded index is a fresh one over the new points, to the bit (same G).
                    Answer fresh = Answer.of(freshB, c, m);
                    assertArrayEquals(fresh.sums(), loaded.sums(), what);
                    assertEquals(fresh.inertia(), loaded.inertia(), what);
                    // And back: the kept slice copies are refilled, not left with b's rows.
                    sharded.load(a);
                    assertSameDistancesAndPoints(oneA, sharded, c, m, exact, what + " after the second load");
                }
            }
        }
    }

    /**
     * sqDistances bit for bit where the products are the fixed-order GEMM's (the deterministic mode),
     * else within FP32: OpenBLAS may round a product otherwise when called on fewer rows. Points
     * are copies, so bit for bit.
     */
    private static void assertSameDistancesAndPoints(CentroidIndex plain, CentroidIndex sharded, float[] c, int m,
                                                     boolean exact, String what) {
        int n = plain.size();
        int d = plain.dim();
        float[] want = new float[n * m];
        float[] got = new float[n * m];
        plain.sqDistances(c, m, want);
        sharded.sqDistances(c, m, got);
        if (exact) assertArrayEquals(want, got, what + ": sqDistances");
        else assertTrue(RelativeError.of(got, want) <= Tolerances.FP32_OP, what + ": sqDistances");
        float[] p = new float[d];
        float[] q = new float[d];
        for (int i = 0; i < n; i++) {
            plain.point(i, p);
            sharded.point(i, q);
            assertArrayEquals(p, q, what + ": point " + i);
        }
    }

    /**
     * Lloyd (and mini-batch, which reloads its index) with shards: the labels of the plain fit. In the
     * deterministic mode every distance is the plain index's, so the seeds are too and the labels are
     * equal as arrays; in the default mode the k-means++ distances go through OpenBLAS, whose rounding
     * may depend on the rows of a call, so the partition is compared (ARI 1).
     */
    @Test
    void kMeansFitsGiveThePlainLabels() {
        float[][] data = {Blobs.gaussian(3001, 8, 6, 1), Blobs.inBox(2503, 5, 9, 2), Blobs.gaussian(997, 33, 4, 3)};
        int[][] shapes = {{3001, 8, 6}, {2503, 5, 9}, {997, 33, 4}};
        for (CpuBackend plainBackend : new CpuBackend[] {cpu, deterministic}) {
            boolean exact = plainBackend.deterministic();
            for (int g : new int[] {2, 3}) {
                List<Backend> devices = new ArrayList<>();
                for (int s = 0; s < g; s++) devices.add(new CpuBackend(1, exact));
                try (ShardedBackend sharded = new ShardedBackend(devices)) {
                    assertEquals(String.join(",", Collections.nCopies(g, "cpu")), sharded.name());
                    assertEquals(exact, sharded.deterministic());
                    for (int t = 0; t < data.length; t++) {
                        int n = shapes[t][0], d = shapes[t][1], k = shapes[t][2];
                        String what = "G=" + g + ", n,d,k=" + n + "," + d + "," + k + (exact ? " deterministic" : "");
                        fitBoth(plainBackend, sharded, data[t], n, d, k, exact, what);
                    }
                }
            }
        }
    }

    private static void fitBoth(Backend plainBackend, Backend sharded, float[] x, int n, int d, int k, boolean exact,
                                String what) {
        KMeans lloyd = new KMeans(KMeansParams.of(k, 7).withNInit(2));
        KMeansModel want = lloyd.fit(plainBackend, x, n, d);
        KMeansModel got = lloyd.fit(sharded, x, n, d);
        assertSamePartition(want.labels(), got.labels(), exact, what);
        if (exact) assertEquals(want.iterations(), got.iterations(), what);
        // The centres are means of sums that differ by rounding, so they may differ in their last
        // bits; the float distances ‖x‖² + ‖c‖² − 2x·c pass that on, amplified by the cancellation.
        assertEquals(want.inertia(), got.inertia(), Tolerances.FP32_OP * want.inertia(), what);
        if (exact) assertTrue(RelativeError.of(got.centroids(), want.centroids()) <= Tolerances.FP32_OP, what);
        KMeans mini = new KMeans(KMeansParams.of(k, 7).withNInit(1).withBatchSize(256));
        assertSamePartition(mini.fit(plainBackend, x, n, d).labels(), mini.fit(sharded, x, n, d).labels(), exact,
                what + ", mini-batch");
    }

    private static void assertSamePartition(int[] want, int[] got, boolean exact, String what) {
        if (exact) assertArrayEquals(want, got, what);
        else assertEquals(1.0, RandIndex.ari(want, got), what);
    }

    @Test
    void fewerPointsThanShardsIsRefusedAndTheBackendShardsLess() {
        float[] x = {1, 2, 3, 4};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardedCentroidIndex(x, 2, 2, shardsOn(cpu, 3)).close());
        assertEquals("2 points cannot be split into 3 shards: each shard needs at least one point", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardedCentroidIndex(x, 2, 2, List.of()).close());
        // The backend makes do with one shard per point: one sequence to assign still has an index.
        try (ShardedBackend three = new ShardedBackend(List.of(new CpuBackend(1), new CpuBackend(1), new CpuBackend(1)));
             CentroidIndex index = three.centroidIndex(x, 2, 2)) {
            assertEquals(2, ((ShardedCentroidIndex) index).shards());
            int[] labels = new int[2];
            index.assign(new float[] {1, 2, 3, 4}, 2, labels, null);
            assertArrayEquals(new int[] {0, 1}, labels);
        }
    }

    @Test
    void slicesAreContiguousAndDifferByOneRowAtMost() {
        for (int n = 1; n <= 40; n++) {
            for (int g = 1; g <= n; g++) {
                assertEquals(0, ShardedCentroidIndex.shardStart(0, g, n));
                assertEquals(n, ShardedCentroidIndex.shardStart(g, g, n));
                for (int s = 0; s < g; s++) {
                    int rows = ShardedCentroidIndex.shardStart(s + 1, g, n) - ShardedCentroidIndex.shardStart(s, g, n);
                    assertTrue(rows == n / g || rows == (n + g - 1) / g, "n=" + n + ", G=" + g + ": " + rows + " rows");
                }
            }
        }
    }

    /** A CPU index that notes the threads it is called on and fails where told. */
    private static class Probe implements CentroidIndex {
        final CentroidIndex inner;
        final Set<Thread> threads = Collections.synchronizedSet(new HashSet<>());
        RuntimeException failAssign;
        RuntimeException failClose;
        volatile boolean closed;

        Probe(float[] x, int n, int d) {
            threads.add(Thread.currentThread());
            inner = cpu.centroidIndex(x, n, d);
        }

        @Override public int size() { return inner.size(); }

        @Override public int dim() { return inner.dim(); }

        @Override
        public double assign(float[] c, int k, int[] nearest, float[] dist, double[] sums, long[] counts) {
            threads.add(Thread.currentThread());
            if (failAssign != null) throw failAssign;
            return inner.assign(c, k, nearest, dist, sums, counts);
        }

        @Override
        public void sqDistances(float[] c, int m, float[] out) {
            threads.add(Thread.currentThread());
            inner.sqDistances(c, m, out);
        }

        @Override
        public void load(float[] x) {
            threads.add(Thread.currentThread());
            inner.load(x);
        }

        @Override
        public void point(int i, float[] out) {
            inner.point(i, out);
        }

        @Override
        public void close() {
            threads.add(Thread.currentThread());
            closed = true;
            inner.close();
            if (failClose != null) throw failClose;
        }
    }

    @Test
    void eachShardIsCalledOnItsOwnThreadOnly() {
        int n = 100, d = 3, k = 4;
        float[] x = RandomArrays.uniform(new SplittableRandom(1), n * d, -1, 1);
        float[] c = RandomArrays.uniform(new SplittableRandom(2), k * d, -1, 1);
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        ShardedCentroidIndex.Maker maker = (p, rows, dim) -> {
            Probe probe = new Probe(p, rows, dim);
            probes.add(probe);
            return probe;
        };
        try (ShardedCentroidIndex index = new ShardedCentroidIndex(x, n, d, List.of(maker, maker, maker))) {
            for (int i = 0; i < 3; i++) {
                index.assign(c, k, new int[n], new float[n], new double[k * d], new long[k]);
                index.sqDistances(c, k, new float[n * k]);
                index.load(x);
            }
        }
        Set<Thread> seen = new HashSet<>();
        for (Probe p : probes) {
            assertTrue(p.closed);
            assertEquals(1, p.threads.size(), "one thread for all of a shard's calls: " + p.threads);
            Thread t = p.threads.iterator().next();
            assertNotEquals(Thread.currentThread(), t);
            assertTrue(seen.add(t), "two shards on one thread");
        }
        assertEquals(3, seen.size());
    }

    @Test
    void aShardThatFailsToOpenClosesTheOthersAndItsErrorIsThrown() {
        int n = 90, d = 2;
        float[] x = RandomArrays.uniform(new SplittableRandom(3), n * d, -1, 1);
        List<Probe> made = Collections.synchronizedList(new ArrayList<>());
        InsufficientMemoryException oom = new InsufficientMemoryException("shard 2 needs more memory");
        ShardedCentroidIndex.Maker good = (p, rows, dim) -> {
            Probe probe = new Probe(p, rows, dim);
            made.add(probe);
            return probe;
        };
        ShardedCentroidIndex.Maker bad = (p, rows, dim) -> {
            throw oom;
        };
        InsufficientMemoryException thrown = assertThrows(InsufficientMemoryException.class,
                () -> new ShardedCentroidIndex(x, n, d, List.of(good, good, bad, good)).close());
        assertSame(oom, thrown);
        assertEquals(2, made.size(), "the shard after the failed one is not made");
        for (Probe p : made) assertTrue(p.closed, "a shard made before the failure was left open");
    }

    @Test
    void aFailingCallIsRethrownAndCloseClosesEveryShardEvenWhenOneFails() {
        int n = 90, d = 2, k = 3;
        float[] x = RandomArrays.uniform(new SplittableRandom(4), n * d, -1, 1);
        float[] c = RandomArrays.uniform(new SplittableRandom(5), k * d, -1, 1);
        List<Probe> probes = Collections.synchronizedList(new ArrayList<>());
        ShardedCentroidIndex.Maker maker = (p, rows, dim) -> {
            Probe probe = new Probe(p, rows, dim);
            probes.add(probe);
            return probe;
        };
        ShardedCentroidIndex index = new ShardedCentroidIndex(x, n, d, List.of(maker, maker, maker));
        IllegalStateException second = new IllegalStateException("shard 1 lost its device");
        IllegalStateException third = new IllegalStateException("shard 2 lost its device too");
        probes.get(1).failAssign = second;
        probes.get(2).failAssign = third;
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> index.assign(c, k, new int[n], null, new double[k * d], new long[k]));
        assertSame(second, thrown, "the first failing shard's own exception");
        assertEquals(List.of(third), List.of(thrown.getSuppressed()));
        probes.get(1).failAssign = null;
        probes.get(2).failAssign = null;
        int[] labels = new int[n];
        index.assign(c, k, labels, null);  // still usable
        IllegalStateException closing = new IllegalStateException("shard 0 failed to free");
        probes.get(0).failClose = closing;
        assertSame(closing, assertThrows(IllegalStateException.class, index::close));
        for (Probe p : probes) assertTrue(p.closed, "a shard was left open");
        index.close();  // a second close does nothing
        assertThrows(IllegalStateException.class, () -> index.assign(c, k, labels, null));
    }
}
