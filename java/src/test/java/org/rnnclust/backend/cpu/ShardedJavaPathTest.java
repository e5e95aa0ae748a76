package org.rnnclust.backend.cpu;

import java.util.Collections;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.backend.CentroidIndex;
import org.rnnclust.backend.ShardedCentroidIndex;
import org.rnnclust.backend.ShardedCentroidIndexTest;
import org.rnnclust.backend.ShardedCentroidIndexTest.Answer;
import org.rnnclust.testing.RandomArrays;

/**
 * Shards of the CPU index's Java path (OpenBLAS per tile, the path without the native library)
 * against one such index: OpenBLAS may round a product otherwise on fewer rows, so the answers are
 * compared as parity (ties by exact distance, FP32), the sums within their rounding bound
 * ({@link ShardedCentroidIndexTest#assertSameAnswers}). The default tests run the native path where
 * the library is built, so this one keeps the other covered.
 */
class ShardedJavaPathTest {
    static ExecutorService pool;

    @BeforeAll
    static void open() {
        OpenBlas.load();
        OpenBlas.setThreads(1);
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
    }

    @ParameterizedTest
    @CsvSource({"1001,17,13", "2049,64,100", "20011,5,3"})
    void shardsMatchOneIndexWithinFp32(int n, int d, int k) {
        SplittableRandom rng = new SplittableRandom(n * 31L + d);
        float[] x = RandomArrays.uniform(rng, n * d, -3, 5);
        float[] c = RandomArrays.uniform(rng, k * d, -3, 5);
        ShardedCentroidIndex.Maker javaPath = (p, rows, dim) -> new CpuCentroidIndex(p, rows, dim, pool, 2, false,
                Sgemm.of(false));
        Answer plain;
        try (CentroidIndex one = javaPath.make(x, n, d)) {
            plain = Answer.of(one, c, k);
        }
        for (int g : new int[] {2, 3}) {
            try (ShardedCentroidIndex sharded = new ShardedCentroidIndex(x, n, d, Collections.nCopies(g, javaPath))) {
                ShardedCentroidIndexTest.assertSameAnswers(plain, Answer.of(sharded, c, k), x, c, d, false,
                        "Java path, n,d,k,G=" + n + "," + d + "," + k + "," + g);
            }
        }
    }
}
