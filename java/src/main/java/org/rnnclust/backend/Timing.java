package org.rnnclust.backend;

import java.util.Arrays;

/**
 * Repeated wall-clock timings of one piece of work, after untimed warm-up runs (the JIT compiles the
 * hot loops during those). The median is the figure to quote; min and max show the noise.
 */
public record Timing(double[] runsMs) {

    /** Something to time; it may throw nothing checked. */
    @FunctionalInterface
    public interface Work {
        void run();
    }

    public static Timing measure(int warmup, int repeat, Work work) {
        return measure(warmup, repeat, work, Timing::wallClockMs);
    }

    /**
     * The same with another clock: {@code clock} runs the work it is given and returns the
     * milliseconds it took (a backend's device-side timing, e.g. CUDA events).
     */
    public static Timing measure(int warmup, int repeat, Work work, java.util.function.ToDoubleFunction<Runnable> clock) {
        if (repeat < 1 || warmup < 0) throw new IllegalArgumentException("need repeat >= 1, warmup >= 0");
        for (int i = 0; i < warmup; i++) work.run();
        double[] ms = new double[repeat];
        for (int i = 0; i < repeat; i++) ms[i] = clock.applyAsDouble(work::run);
        return new Timing(ms);
    }

    /**
     * As {@link #measure}, but a slow piece of work gets fewer runs: when the first warm-up run
     * shows that all runs would take more than {@code budgetMs}, it runs one warm-up and as many
     * timed runs as fit in the budget, at least 3 (a median needs them).
     */
    public static Timing measureWithin(double budgetMs, int warmup, int repeat, Work work) {
        return measureWithin(budgetMs, warmup, repeat, work, Timing::wallClockMs);
    }

    /** {@link #measureWithin} with another clock for the timed runs (the budget uses the wall clock). */
    public static Timing measureWithin(double budgetMs, int warmup, int repeat, Work work,
                                       java.util.function.ToDoubleFunction<Runnable> clock) {
        if (repeat < 1 || warmup < 0) throw new IllegalArgumentException("need repeat >= 1, warmup >= 0");
        if (warmup == 0) return measure(0, repeat, work, clock);
        double firstMs = wallClockMs(work::run);
        if (firstMs * (warmup + repeat) <= budgetMs) return measure(warmup - 1, repeat, work, clock);
        int fits = (int) Math.min(repeat, Math.max(3, Math.floor(budgetMs / Math.max(firstMs, 1e-3))));
        return measure(0, fits, work, clock);
    }

    private static double wallClockMs(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    public double medianMs() {
        double[] s = runsMs.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2;
    }

    public double minMs() {
        return Arrays.stream(runsMs).min().orElseThrow();
    }

    public double maxMs() {
        return Arrays.stream(runsMs).max().orElseThrow();
    }
}
