package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Run counts of {@link Timing}: what ran and what was timed, counted, not timed. */
class TimingTest {
    @Test
    void fastWorkGetsEveryWarmupAndTimedRun() {
        AtomicInteger calls = new AtomicInteger();
        Timing t = Timing.measureWithin(60_000, 4, 7, calls::incrementAndGet);
        assertEquals(11, calls.get());
        assertEquals(7, t.runsMs().length);
    }

    @Test
    void slowWorkGetsOneWarmupAndAtLeastThreeRuns() {
        AtomicInteger calls = new AtomicInteger();
        Timing t = Timing.measureWithin(30, 5, 10, () -> {
            calls.incrementAndGet();
            sleep(20);
        });
        // 15 runs of >= 20 ms do not fit 30 ms: one warm-up, then the minimum of 3 timed runs.
        assertEquals(4, calls.get());
        assertEquals(3, t.runsMs().length);
    }

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, new Timing(new double[] {3, 1, 2}).medianMs());
        assertEquals(2.5, new Timing(new double[] {4, 1, 3, 2}).medianMs());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
