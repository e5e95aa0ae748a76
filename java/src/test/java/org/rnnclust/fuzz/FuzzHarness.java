package org.rnnclust.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.rnnclust.InputException;

/**
 * A small mutation fuzzer for plain JUnit 5 tests. A property ({@link #forAll}) draws inputs from
 * seeded {@link SplittableRandom}s, one generator per input, runs each through a loader and checks
 * the contract every reader promises: the input either loads or fails with a one-line
 * {@link InputException}; nothing else is thrown (no NullPointerException, no OutOfMemoryError, no
 * StackOverflowError), it finishes within a time bound, and loading allocates no more than a fixed
 * multiple of the bytes it was given (what is then done with a loaded model is bounded in time
 * only, see {@link Input}).
 *
 * <p>The allocation bound is what catches a reader that trusts a header: a 100-byte file that
 * declares a billion values must be refused before anything that size is allocated. It is
 * measured with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} on the thread that
 * runs the loader (total allocation, garbage included, so the factor is generous: text parsing
 * makes many short-lived strings per byte).
 *
 * <p>A compressed bomb ({@link Input#bomb}, {@link Bombs}) has a bound of its own, since its
 * decompressed size is the point: it must be refused after reading a small part of the file (the
 * bytes the loading thread reads through the kernel, {@link ThreadIo}) and allocating no more than
 * the reader's limits allow.
 *
 * <p>Each input's seed is derived from the property's name and the input's number, so a run is
 * the same every time and a failure names the one seed that replays it. Mutation fuzzing needs
 * nothing more than these seeded draws, so no property-testing library is used.
 *
 * <p>Settings (system properties, passed through by {@code mvn -D...}):
 * <ul>
 *   <li>{@code rnnclust.fuzz.tries} inputs per property (default 100: the default suite stays fast;
 *       the long run uses 10000);</li>
 *   <li>{@code rnnclust.fuzz.seed} run only the input with this seed (decimal or 0x hex), as printed
 *       by a failure;</li>
 *   <li>{@code rnnclust.fuzz.stats=true} print one line per property: tries, loaded, refused,
 *       failures, the largest allocation, wall time;</li>
 *   <li>{@code rnnclust.fuzz.timeout-s} time bound per input (default 20; generous because the
 *       machine may be shared);</li>
 *   <li>{@code rnnclust.fuzz.failures} folder where failing inputs are saved (default
 *       target/fuzz-failures).</li>
 * </ul>
 */
public final class FuzzHarness {
    /** Bytes that may be allocated per byte of input (decompressed). */
    public static final long BYTES_PER_INPUT_BYTE = 128;
    /** Fixed allowance: stream buffers, the JSON parser, a small model on the CPU. */
    public static final long FIXED_BYTES = 16L << 20;
    /** A property keeps going after a failure (to count them) but not past this many. */
    private static final int MAX_FAILURES = 10;

    private static final long TIMEOUT_S = Long.getLong("rnnclust.fuzz.timeout-s", 20);
    private static final Path FAILURES = Path.of(System.getProperty("rnnclust.fuzz.failures", "target/fuzz-failures"));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final AtomicLong SAVED = new AtomicLong();
    private static ExecutorService worker = newWorker();

    private FuzzHarness() {}

    /**
     * One fuzzed input, ready to check.
     *
     * @param description what was drawn (the valid file and the mutations), for the failure message
     * @param bytes       the damaged file's bytes as written, saved when the input fails
     * @param fileName    the name to save them under
     * @param basis       the bytes the loader really gets (decompressed size for gzip; both files
     *                    when there is a labels file): the allocation bound is a multiple of it
     * @param load        loads the input: its allocation must stay within the bound
     * @param use           then uses what {@code load} returned (a model embeds data): checked for
     *                      exceptions and time, but its allocation follows the work the loaded
     *                      content legitimately asks for (a model may resample to 4,096 steps), not
     *                      the file's size, so it is reported, not bounded
     * @param allowedAllocation the most {@code load} may allocate
     * @param allowedRead the most bytes {@code load} may read from files (what the thread reads
     *                    through the kernel), or -1 for no bound
     */
    public record Input(String description, byte[] bytes, String fileName, long basis, Callable<?> load, Use use,
                        long allowedAllocation, long allowedRead) {
        /** An input whose allocation is bounded by a multiple of {@code basis}. */
        public Input(String description, byte[] bytes, String fileName, long basis, Callable<?> load, Use use) {
            this(description, bytes, fileName, basis, load, use, BYTES_PER_INPUT_BYTE * basis + FIXED_BYTES, -1);
        }

        /** An input that is only loaded. */
        public Input(String description, byte[] bytes, String fileName, long basis, Callable<?> load) {
            this(description, bytes, fileName, basis, load, loaded -> loaded);
        }

        /**
         * A compressed bomb: a small file that expands to far more than the loader may take. It
         * must be refused, after reading at most {@code allowedRead} bytes of the file (not the
         * whole bomb) and allocating at most {@code allowedAllocation}.
         */
        public static Input bomb(String description, byte[] bytes, String fileName, Callable<?> load,
                                 long allowedAllocation, long allowedRead) {
            return new Input(description, bytes, fileName, bytes.length, load, loaded -> {
                throw new AssertionError("a bomb loaded: " + loaded);
            }, allowedAllocation, allowedRead);
        }
    }

    /** What is done with a loaded input; it may refuse it with an InputException too. */
    @FunctionalInterface
    public interface Use {
        Object on(Object loaded) throws Exception;
    }

    /** Inputs per property: {@code rnnclust.fuzz.tries}, default 100. */
    public static int tries() {
        return Integer.getInteger("rnnclust.fuzz.tries", 100);
    }

    /**
     * Draws {@link #tries()} inputs with {@code draw} (or only the one named by
     * {@code rnnclust.fuzz.seed}), checks each, and fails listing every failing input with its seed.
     */
    public static void forAll(String property, Function<SplittableRandom, Input> draw) {
        forAll(property, tries(), draw);
    }

    /** {@link #forAll(String, Function)} with {@code tries} inputs instead of {@link #tries()}. */
    public static void forAll(String property, int tries, Function<SplittableRandom, Input> draw) {
        String replay = System.getProperty("rnnclust.fuzz.seed");
        long[] seeds;
        if (replay != null && !replay.isBlank()) {
            seeds = new long[] {parseSeed(replay.strip())};
        } else {
            seeds = new long[tries];
            long base = mix(property.hashCode());
            for (int i = 0; i < seeds.length; i++) seeds[i] = mix(base + i * 0x9E3779B97F4A7C15L);
        }
        Stats stats = new Stats();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (long seed : seeds) {
            Input input = draw.apply(new SplittableRandom(seed));
            String problem = check(input, stats);
            if (problem == null) continue;
            failures.add(String.format("%s: %s%n    input: %s%n    replay: -Drnnclust.fuzz.seed=0x%x%s",
                    property, problem, input.description(), seed, save(input)));
            if (failures.size() >= MAX_FAILURES) break;
        }
        stats.failures = failures.size();
        stats.seconds = (System.nanoTime() - start) / 1e9;
        if (Boolean.getBoolean("rnnclust.fuzz.stats")) System.out.println(stats.line(property));
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + stats.tries + " inputs broke the contract"
                    + (failures.size() >= MAX_FAILURES ? " (stopped there)" : "") + ":\n" + String.join("\n", failures));
        }
    }

    /** A seed as printed (0x and 16 hex digits, read as unsigned), or in decimal. */
    private static long parseSeed(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    /** Runs one input's loader on the worker thread; returns what went wrong, or null. */
    private static String check(Input input, Stats stats) {
        Future<long[]> result = worker.submit(() -> {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long readBefore = ThreadIo.bytesRead();
            long loaded = 0;
            long loading = -1;
            long read = -1;
            try {
                Object content = input.load().call();
                loading = THREADS.getCurrentThreadAllocatedBytes() - before;
                read = ThreadIo.bytesRead() - readBefore;
                input.use().on(content);
                loaded = 1;
            } catch (InputException e) {
                String m = e.getMessage();
                if (m == null || m.isBlank() || m.contains("\n")) {
                    throw new AssertionError("InputException without a one-line message: '" + m + "'", e);
                }
            }
            long total = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (read < 0) read = ThreadIo.bytesRead() - readBefore;
            return new long[] {loaded, loading < 0 ? total : loading, total, readBefore < 0 ? -1 : read};
        });
        stats.tries++;
        long[] outcome;
        try {
            outcome = result.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            worker.shutdownNow();
            worker = newWorker();  // the stuck thread is a daemon and cannot block the JVM's exit
            return "no result within " + TIMEOUT_S + " s (a hang?)";
        } catch (ExecutionException e) {
            return "threw " + stackHead(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (outcome[0] == 1) stats.loaded++; else stats.refused++;
        if (outcome[1] > stats.mostAllocated) {
            stats.mostAllocated = outcome[1];
            stats.mostAllocatedBasis = input.basis();
        }
        stats.mostInUse = Math.max(stats.mostInUse, outcome[2] - outcome[1]);
        if (input.allowedRead() >= 0) stats.mostRead = Math.max(stats.mostRead, outcome[3]);
        if (outcome[1] > input.allowedAllocation()) {
            return "allocated " + outcome[1] + " bytes for " + input.basis() + " bytes of input (allowed "
                    + input.allowedAllocation() + ")";
        }
        if (input.allowedRead() >= 0 && outcome[3] > input.allowedRead()) {
            return "read " + outcome[3] + " bytes of a " + input.bytes().length + "-byte file (allowed " + input.allowedRead() + ")";
        }
        return null;
    }

    /** The exception and where it came from: enough to find the bug without the full trace. */
    private static String stackHead(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t));
        StackTraceElement[] trace = t.getStackTrace();
        for (int i = 0; i < Math.min(6, trace.length); i++) sb.append("\n        at ").append(trace[i]);
        return sb.toString();
    }

    private static String save(Input input) {
        try {
            Files.createDirectories(FAILURES);
            Path p = FAILURES.resolve(SAVED.incrementAndGet() + "-" + input.fileName());
            Files.write(p, input.bytes());
            Files.writeString(FAILURES.resolve(p.getFileName() + ".txt"), input.description() + "\n", StandardCharsets.UTF_8);
            return " (input saved as " + p + ")";
        } catch (IOException ignored) {
            return "";  // the message still says what failed and how to replay it
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** SplitMix64's finaliser: turns a counter into well-spread seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Per property: inputs tried, loaded, refused, failing; the largest allocations (loading, use)
     * and, for bombs, the most bytes read from a file; wall time.
     */
    private static final class Stats {
        long tries, loaded, refused, failures, mostAllocated, mostAllocatedBasis, mostInUse, mostRead;
        double seconds;

        String line(String property) {
            return String.format("fuzz %-12s tries %6d  loaded %6d  refused %6d  failures %d  "
                            + "largest allocation %.2f MiB (input of %d bytes)%s%s  %.1f s",
                    property, tries, loaded, refused, failures, mostAllocated / 1048576.0, mostAllocatedBasis,
                    mostInUse == 0 ? "" : String.format("  largest in use %.2f MiB", mostInUse / 1048576.0),
                    mostRead == 0 ? "" : String.format("  most read %.2f MiB", mostRead / 1048576.0), seconds);
        }
    }

    // ---------------------------------------------------------------- drawing helpers

    /**
     * An integer in [lo, hi]; one time in ten exactly lo or hi, since the bounds are where parsers
     * break (a single series, a single step).
     */
    public static int between(SplittableRandom r, int lo, int hi) {
        if (r.nextInt(10) == 0) return r.nextBoolean() ? lo : hi;
        return r.nextInt(lo, hi + 1);
    }

    /** One of the given values, uniformly. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... values) {
        return values[r.nextInt(values.length)];
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
}
