package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;

/** Input dropout of the denoising pretraining: which values it zeroes, and that the clean batch stays. */
class BatchLoaderTest {
    @Test
    void corruptedBatchZeroesAboutPAndKeepsTheRestAndTheCleanInput() {
        int n = 40, t = 50, c = 3;
        float[] values = new float[n * t * c];
        SplittableRandom data = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) values[i] = 1f + (float) data.nextDouble();  // never 0
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, t);
        int[] index = new int[n];
        for (int i = 0; i < n; i++) index[i] = i;
        double p = 0.2;
        try (CpuOps ops = new CpuOps(1); BatchLoader loader = new BatchLoader(ops, new PaddedSequences(n, t, c, values, lengths), n)) {
            loader.load(index, 0, n);
            int size = n * t * c;
            float[] clean = ops.toHost(loader.input());
            float[] noisy = ops.toHost(loader.corrupted(p, new SplittableRandom(7)));
            int zeros = 0;
            for (int i = 0; i < size; i++) {
                if (noisy[i] == 0f) zeros++;
                else assertEquals(clean[i], noisy[i], "kept values are unchanged");
            }
            // 6000 Bernoulli(0.2) draws: mean 1200, sd 31; 5 sd either side.
            assertTrue(Math.abs(zeros - p * size) < 5 * Math.sqrt(size * p * (1 - p)), zeros + " zeros of " + size);
            float[] again = ops.toHost(loader.input());
            assertArrayEquals(clean, again, "the clean batch is untouched");
            for (float v : java.util.Arrays.copyOf(clean, size)) assertTrue(v != 0f);
            // The same draws give the same corruption (a resumed run repeats its batches).
            assertArrayEquals(noisy, ops.toHost(loader.corrupted(p, new SplittableRandom(7))));
        }
    }
}
