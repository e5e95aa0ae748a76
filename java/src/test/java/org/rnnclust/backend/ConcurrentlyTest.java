package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rnnclust.backend.cpu.CpuOps;

/**
 * {@link TensorOps#concurrently} on the CPU: the reference runs every task once, in index order,
 * on the ops object itself (so the bits of code written over it are those of a plain loop), with
 * one lane; bad arguments are refused. The test backend that runs the tasks on threads of their own
 * runs each once, really at the same time, and passes a task's exception on.
 */
class ConcurrentlyTest {
    @Test
    void theCpuRunsEachTaskOnceInOrderOnItself() {
        try (CpuOps ops = new CpuOps(2)) {
            assertEquals(1, ops.concurrentLanes());
            List<Integer> order = new ArrayList<>();
            List<TensorOps> on = new ArrayList<>();
            ops.concurrently(5, (lane, i) -> {
                order.add(i);
                on.add(lane);
            });
            assertEquals(List.of(0, 1, 2, 3, 4), order);
            for (TensorOps lane : on) assertSame(ops, lane);
            order.clear();
            ops.concurrently(0, (lane, i) -> order.add(i));
            assertTrue(order.isEmpty());
        }
    }

    @Test
    void theCpuIssuesTheTasksOpsInOrder() {
        // Task i writes i + 1 over the whole buffer: in order, the last one's value stays.
        try (CpuOps ops = new CpuOps(2); DeviceBuffer b = ops.allocate(4)) {
            ops.concurrently(3, (lane, i) -> {
                for (int j = 0; j < 4; j++) lane.upload(new float[] {i + 1}, 0, b, j, 1);
            });
            assertEquals(3f, ops.toHost(b)[3]);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (CpuOps ops = new CpuOps(1)) {
            assertThrows(IllegalArgumentException.class, () -> ops.concurrently(-1, (lane, i) -> { }));
            assertThrows(NullPointerException.class, () -> ops.concurrently(2, null));
        }
    }

    @Test
    void theThreadedTestBackendRunsTheTasksAtOnce() throws Exception {
        try (CpuOps ops = CpuOps.runningTasksConcurrently(2)) {
            assertTrue(ops.concurrentLanes() > 1);
            // Each task waits for all the others: only tasks running at the same time get past it.
            CountDownLatch all = new CountDownLatch(3);
            AtomicBoolean timedOut = new AtomicBoolean();
            List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
            ops.concurrently(3, (lane, i) -> {
                all.countDown();
                try {
                    if (!all.await(10, TimeUnit.SECONDS)) timedOut.set(true);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                ran.add(i);
            });
            assertTrue(!timedOut.get(), "the tasks did not run at the same time");
            List<Integer> sorted = new ArrayList<>(ran);
            Collections.sort(sorted);
            assertEquals(List.of(0, 1, 2), sorted);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ops.concurrently(2, (lane, i) -> {
                if (i == 1) throw new IllegalStateException("task 1 failed");
            }));
            assertEquals("task 1 failed", e.getMessage());
        }
    }
}
