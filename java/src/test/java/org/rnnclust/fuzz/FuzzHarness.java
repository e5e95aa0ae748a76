package org.rnnclust.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.rnnclust.InputException;

/**
 * Runs one fuzzed input through a loader and checks the contract every reader promises: the input
 * either loads or fails with a one-line {@link InputException}; nothing else is thrown (no
 * NullPointerException, no OutOfMemoryError, no StackOverflowError), it finishes within a time
 * bound, and it allocates no more than a fixed multiple of the bytes it was given.
 *
 * <p>The allocation bound is what catches a reader that trusts a header: a 100-byte file that
 * declares a billion values must be refused before anything that size is allocated. It is
 * measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} on the thread that
 * runs the loader (total allocation, garbage included, so the factor is generous: text parsing
 * makes many short-lived strings per byte: the long run measured up to 50 bytes per byte).
 *
 * <p>Settings (system properties): {@code rnnclust.fuzz.timeout-s} (default 20, per input; generous
 * because the CI machine may be shared), {@code rnnclust.fuzz.failures} (folder where failing
 * inputs are saved, default target/fuzz-failures), {@code rnnclust.fuzz.stats=true} (print tries,
 * loads and refusals per format after each test class).
 */
public final class FuzzHarness {
    /** Bytes that may be allocated per byte of input (decompressed). */
    public static final long BYTES_PER_INPUT_BYTE = 128;
    /** Fixed allowance: stream buffers, the JSON parser, a small model on the CPU. */
    public static final long FIXED_BYTES = 16L << 20;

    private static final long TIMEOUT_S = Long.getLong("rnnclust.fuzz.timeout-s", 20);
    private static final Path FAILURES = Path.of(System.getProperty("rnnclust.fuzz.failures", "target/fuzz-failures"));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Per format: inputs tried, loaded, refused; the largest allocation seen. */
    private static final Map<String, long[]> STATS = new ConcurrentHashMap<>();
    private static final AtomicLong SAVED = new AtomicLong();
    private static ExecutorService worker = newWorker();

    private FuzzHarness() {}

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code load} on {@code input} (the file's bytes as written, for saving a failure) and
     * checks the contract. {@code basis} is the number of bytes the loader really gets (the
     * decompressed size for gzip).
     */
    public static synchronized void check(String format, byte[] input, String fileName, long basis, Callable<?> load) {
        long[] stats = STATS.computeIfAbsent(format, f -> new long[4]);
        Future<long[]> result = worker.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long loaded;
            try {
                load.call();
                loaded = 1;
            } catch (InputException e) {
                String m = e.getMessage();
                if (m == null || m.isBlank() || m.contains("\n")) {
                    throw new AssertionError("InputException without a one-line message: '" + m + "'", e);
                }
                loaded = 0;
            }
            return new long[] {loaded, THREADS.getCurrentThreadAllocatedBytes() - before};
        });
        long[] outcome;
        try {
            outcome = result.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();  // the stuck thread is a daemon and cannot block the JVM's exit
            throw failure(format, input, fileName, "no result within " + TIMEOUT_S + " s (a hang?)", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw failure(format, input, fileName, "threw " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        long allowed = BYTES_PER_INPUT_BYTE * basis + FIXED_BYTES;
        stats[0]++;
        stats[outcome[0] == 1 ? 1 : 2]++;
        stats[3] = Math.max(stats[3], outcome[1]);
        if (outcome[1] > allowed) {
            throw failure(format, input, fileName, "allocated " + outcome[1] + " bytes for " + basis
                    + " bytes of input (allowed " + allowed + ")", null);
        }
    }

    private static AssertionError failure(String format, byte[] input, String fileName, String what, Throwable cause) {
        String saved = "";
        try {
            Files.createDirectories(FAILURES);
            Path p = FAILURES.resolve(SAVED.incrementAndGet() + "-" + fileName);
            Files.write(p, input);
            saved = " (input saved as " + p + ")";
        } catch (IOException ignored) {
            // the message still says what failed
        }
        AssertionError e = new AssertionError(format + ": " + what + saved);
        if (cause != null) e.initCause(cause);
        return e;
    }

    /**
     * The decompressed size of gzip data as far as it decompresses (corrupt data stops early), or
     * the length itself when {@code bytes} is not gzip.
     */
    public static long contentSize(byte[] bytes) {
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) return bytes.length;
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            for (int got; (got = in.read(buf)) >= 0; ) n += got;
        } catch (IOException | RuntimeException e) {
            // counted up to the damage
        }
        return Math.max(n, bytes.length);
    }

    /** One line per format: tries, loaded, refused, the most any one input allocated. */
    public static void printStats() {
        if (!Boolean.getBoolean("rnnclust.fuzz.stats")) return;
        STATS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> System.out.printf(
                "fuzz %-14s tries %7d  loaded %7d  refused %7d  most allocated by one input %.1f MiB%n",
                e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3] / 1048576.0));
    }
}
