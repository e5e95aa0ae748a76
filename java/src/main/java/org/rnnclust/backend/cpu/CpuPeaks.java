package org.rnnclust.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.FloatPointer;
import org.rnnclust.backend.Peaks;
import org.rnnclust.backend.Timing;

/** Measures the CPU's SGEMM rate (OpenBLAS, all threads) and memory bandwidth (Java triad, all threads). */
final class CpuPeaks {
    private CpuPeaks() {}

    static Peaks measure(ExecutorService pool, int threads) {
        return new Peaks(gemmGflops(threads), bandwidthGBs(pool, threads));
    }

    static double gemmGflops(int threads) {
        int n = 2048;
        int previous = OpenBlas.threads();
        try (FloatPointer a = new FloatPointer((long) n * n); FloatPointer b = new FloatPointer((long) n * n);
             FloatPointer c = new FloatPointer((long) n * n)) {
            float[] row = new float[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) row[j] = ((i * 31 + j * 17) % 97) / 97f;
                a.position((long) i * n).put(row);
                b.position((long) i * n).put(row);
            }
            a.position(0);
            b.position(0);
            OpenBlas.setThreads(threads);
            Timing t = Timing.measure(1, 3, () -> OpenBlas.sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n));
            return 2.0 * n * n * n / (t.minMs() / 1e3) / 1e9;
        } finally {
            OpenBlas.setThreads(Math.max(1, previous));
        }
    }

    /** a = b + s·c over 3 × 64 MiB, split across the threads; bytes counted: 3 per element × 4. */
    static double bandwidthGBs(ExecutorService pool, int threads) {
        int n = 16 << 20;
        float[] a = new float[n];
        float[] b = new float[n];
        float[] c = new float[n];
        java.util.Arrays.fill(b, 1f);
        java.util.Arrays.fill(c, 2f);
        Timing t = Timing.measure(1, 5, () -> {
            List<Future<?>> parts = new ArrayList<>();
            int chunk = (n + threads - 1) / threads;
            for (int w = 0; w < threads; w++) {
                int from = w * chunk;
                int to = Math.min(n, from + chunk);
                parts.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) a[i] = b[i] + 0.5f * c[i];
                }));
            }
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        });
        return 3.0 * 4 * n / (t.minMs() / 1e3) / 1e9;
    }
}
