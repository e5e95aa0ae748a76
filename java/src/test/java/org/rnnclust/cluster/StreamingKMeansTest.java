package org.rnnclust.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuBackend;
import org.rnnclust.metrics.RandIndex;
import org.rnnclust.testing.Blobs;

/**
 * Mini-batch k-means read a chunk at a time, against full-batch Lloyd on the same points (itself
 * checked against scikit-learn in {@link KMeansTest}) and the true clusters of separated blobs;
 * and the passes' contracts: step budget, reproducibility, a pass shorter than announced.
 */
class StreamingKMeansTest {
    static CpuBackend backend;

    @BeforeAll
    static void open() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** The n × d points of x in chunks of {@code chunk} rows (the last maybe short), counting passes. */
    static class InChunks implements StreamingKMeans.Points {
        final float[] x;
        final int n;
        final int d;
        final int chunk;
        int passes;

        InChunks(float[] x, int n, int d, int chunk) {
            this.x = x;
            this.n = n;
            this.d = d;
            this.chunk = chunk;
        }

        @Override public int count() { return n; }

        @Override public int dimensions() { return d; }

        @Override
        public void pass(StreamingKMeans.Chunk body) {
            passes++;
            for (int from = 0; from < n; from += chunk) {
                int rows = Math.min(chunk, n - from);
                // A fresh copy each time, as a reader hands over a new chunk: the fit must not keep it.
                body.accept(Arrays.copyOfRange(x, from * d, (from + rows) * d), rows);
            }
        }
    }

    /** The same points, also read anywhere: a file that can seek. */
    static class Seekable extends InChunks {
        Seekable(float[] x, int n, int d, int chunk) {
            super(x, n, d, chunk);
        }

        @Override public boolean randomAccess() { return true; }

        @Override
        public void read(int[] rows, float[] out) {
            for (int i = 0; i < rows.length; i++) {
                if (i > 0 && rows[i] <= rows[i - 1]) throw new AssertionError("rows not ascending");
                System.arraycopy(x, rows[i] * d, out, i * d, d);
            }
        }
    }

    private static int[] labels(StreamingKMeans.Fit fit, float[] x, int n) {
        return fit.assign(backend, x, n).labels();
    }

    @Test
    void findsSeparatedBlobsAndComesCloseToLloyd() {
        int n = 20_000;
        int[] truth = new int[n];
        float[] x = Blobs.labelled(n, 8, 5, 3, truth);
        KMeansParams p = KMeansParams.of(5, 0).withNInit(3);
        double lloyd = new KMeans(p).fit(backend, x, n, 8).inertia();
        for (InChunks points : new InChunks[] {new InChunks(x, n, 8, 3_001), new Seekable(x, n, 8, 3_001)}) {
            String mode = points.randomAccess() ? "seekable" : "in passes";
            StreamingKMeans.Fit fit = new StreamingKMeans(p.withBatchSize(512)).fit(backend, points);
            double streamed = fit.assign(backend, x, n).inertia();
            assertTrue(streamed <= lloyd * 1.01, mode + ": streamed " + streamed + " vs Lloyd " + lloyd);
            assertEquals(1.0, RandIndex.ari(truth, labels(fit, x, n)), 1e-12, mode + ": every blob is one cluster");
            assertEquals(3 * 512, fit.sampleSize(), "scikit-learn's init_size: three batches");
            assertEquals(points.randomAccess() ? 1 : 1 + fit.epochs(), points.passes,
                    mode + ": one pass for the sample, then one per epoch unless read anywhere");
            assertTrue(fit.converged(), mode + ": separated blobs converge before maxIter epochs");
        }
    }

    /**
     * A file sorted by cluster: read in passes, its batches hold one cluster at a time; read
     * anywhere, each batch comes from all of it and the centres land as near Lloyd's as in memory.
     */
    @Test
    void aSortedFileThatCanSeekComesCloseToLloyd() {
        int n = 12_000;
        int k = 6;
        float[] mixed = Blobs.inBox(n, 4, k, 11);
        KMeansModel lloyd = new KMeans(KMeansParams.of(k, 0).withNInit(3)).fit(backend, mixed, n, 4);
        int[] byCluster = lloyd.labels();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(byCluster[a], byCluster[b]));
        float[] sorted = new float[n * 4];
        for (int i = 0; i < n; i++) System.arraycopy(mixed, order[i] * 4, sorted, i * 4, 4);
        KMeansParams p = KMeansParams.of(k, 0).withNInit(3).withBatchSize(256);
        double inMemory = new KMeans(p).fit(backend, sorted, n, 4).inertia();
        StreamingKMeans.Fit fit = new StreamingKMeans(p).fit(backend, new Seekable(sorted, n, 4, 1_000));
        double streamed = fit.assign(backend, sorted, n).inertia();
        assertTrue(streamed <= lloyd.inertia() * 1.02, "streamed " + streamed + " vs Lloyd " + lloyd.inertia());
        assertTrue(streamed <= inMemory * 1.02, "streamed " + streamed + " vs in-memory mini-batch " + inMemory);
    }

    @Test
    void shuffledEpochsReadEveryPointOncePerEpoch() {
        float[] x = Blobs.inBox(1_000, 3, 4, 2);
        int[] reads = new int[1_000];
        Seekable counting = new Seekable(x, 1_000, 3, 100) {
            @Override
            public void read(int[] rows, float[] out) {
                for (int r : rows) reads[r]++;
                super.read(rows, out);
            }
        };
        // tol 0: the whole budget, 2 epochs of 1000 / 250 = 4 batches.
        StreamingKMeans.Fit fit = new StreamingKMeans(KMeansParams.of(4, 3).withBatchSize(250).withMaxIter(2)
                .withTol(0)).fit(backend, counting);
        assertEquals(8, fit.steps());
        assertEquals(2, fit.epochs());
        for (int r = 0; r < 1_000; r++) assertEquals(2, reads[r], "point " + r);
    }

    @Test
    void maxIterBoundsTheStepsAndBatchesRunAcrossPasses() {
        // Read in passes (not seekable).
        float[] x = Blobs.inBox(1_000, 3, 4, 2);
        // tol 0 never converges: one epoch's budget of ceil(1000 / 300) = 4 steps takes 1200 points,
        // so the fourth batch runs on into a second pass.
        KMeansParams p = KMeansParams.of(4, 1).withBatchSize(300).withMaxIter(1).withTol(0);
        InChunks points = new InChunks(x, 1_000, 3, 128);
        StreamingKMeans.Fit fit = new StreamingKMeans(p).fit(backend, points);
        assertEquals(4, fit.steps());
        assertEquals(2, fit.epochs());
        assertFalse(fit.converged());
        assertEquals(4, fit.history().size());
    }

    @Test
    void theSameSeedGivesTheSameCentres() {
        float[] x = Blobs.gaussian(5_000, 6, 7, 4);
        KMeansParams p = KMeansParams.of(7, 42).withNInit(2).withBatchSize(200);
        float[] a = new StreamingKMeans(p).fit(backend, new InChunks(x, 5_000, 6, 777)).centroids();
        float[] b = new StreamingKMeans(p).fit(backend, new InChunks(x, 5_000, 6, 777)).centroids();
        assertArrayEquals(a, b);
    }

    @Test
    void refusesAPassShorterThanAnnouncedAndAZeroBatch() {
        float[] x = Blobs.inBox(100, 2, 2, 1);
        StreamingKMeans.Points liar = new InChunks(x, 100, 2, 10) {
            @Override public int count() { return 200; }
        };
        KMeansParams p = KMeansParams.of(2, 0).withBatchSize(50);
        assertThrows(IllegalStateException.class, () -> new StreamingKMeans(p).fit(backend, liar));
        assertThrows(IllegalArgumentException.class, () -> new StreamingKMeans(KMeansParams.of(2, 0)));
        assertThrows(IllegalArgumentException.class,
                () -> new StreamingKMeans(KMeansParams.of(3, 0).withBatchSize(5)).fit(backend, new InChunks(x, 2, 2, 1)));
    }
}
