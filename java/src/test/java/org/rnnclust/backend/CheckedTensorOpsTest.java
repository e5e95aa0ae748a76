package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The one checked layer in front of every backend's ops, exercised on the CPU backend: each op
 * refuses a range outside its buffer, a bad size or scalar, a foreign or closed buffer, and a
 * refused call has written nothing.
 */
class CheckedTensorOpsTest {
    private static final float[] A = {1, 2, 3, 4, 5, 6, 7, 8};
    private static final float[] B = {-1, -2, -3, -4, -5, -6, -7, -8};

    private static Backend backend;
    private static TensorOps ops;
    private DeviceBuffer a;
    private DeviceBuffer b;
    private DeviceBuffer w;

    @BeforeAll
    static void open() {
        backend = Backends.open("cpu", 2);
        ops = backend.tensorOps();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @BeforeEach
    void fill() {
        a = ops.allocate(8);
        b = ops.allocate(8);
        w = ops.allocate(1);
        ops.upload(A, a);
        ops.upload(B, b);
    }

    /** Whatever was refused, nothing was written. */
    @AfterEach
    void untouched() {
        assertArrayEquals(A, ops.toHost(a));
        assertArrayEquals(B, ops.toHost(b));
        a.close();
        b.close();
        w.close();
    }

    private static void outside(Executable call) {
        assertThrows(IndexOutOfBoundsException.class, call);
    }

    private static void invalid(Executable call) {
        assertThrows(IllegalArgumentException.class, call);
    }

    @Test
    void memoryOpsRefuseRangesOutsideTheirBuffersAndArrays() {
        outside(() -> ops.upload(new float[4], 0, b, 6, 4));
        outside(() -> ops.upload(new float[4], 2, b, 0, 4));
        outside(() -> ops.upload(new float[4], -1, b, 0, 2));
        float[] host = {9, 9, 9, 9};
        outside(() -> ops.download(a, 6, host, 0, 4));
        outside(() -> ops.download(a, 0, host, 2, 4));
        assertArrayEquals(new float[] {9, 9, 9, 9}, host, "a refused download wrote into the array");
        invalid(() -> ops.allocate(-1));
        outside(() -> ops.zero(b, 5, 4));
        outside(() -> ops.zero(b, -1, 2));
        outside(() -> ops.copy(a, 0, b, 6, 4));
        outside(() -> ops.copy(a, 5, b, 0, 4));
        outside(() -> ops.transpose01(2, 3, 2, a, 0, b, 0));
        invalid(() -> ops.transpose01(-2, -2, 1, a, 0, b, 0));
    }

    @Test
    void blasAndElementwiseOpsRefuseBadShapes() {
        invalid(() -> ops.gemm(false, false, -1, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, b, 0, 2));
        invalid(() -> ops.gemm(false, false, 2, 2, 2, 1f, a, 0, 1, a, 0, 2, 0f, b, 0, 2));
        outside(() -> ops.gemm(false, false, 2, 2, 2, 1f, a, 0, 2, a, 0, 2, 0f, b, 6, 2));
        outside(() -> ops.gemm(true, false, 3, 2, 2, 1f, a, 0, 3, a, 5, 2, 0f, b, 0, 2));
        outside(() -> ops.addRowVector(2, 4, a, b, 2, 4));
        invalid(() -> ops.addRowVector(2, 4, a, b, 0, 3));
        outside(() -> ops.addRowVector(1, 9, a, b, 0, 9));
        outside(() -> ops.addColumnSums(2, 4, a, 0, 4, b, 6));
        outside(() -> ops.addColumnSums(3, 4, a, 0, 4, b, 0));
        outside(() -> ops.sumSquares(a, 4, 5));
        invalid(() -> ops.sumSquares(List.of(a, b), new long[] {8}));
        outside(() -> ops.sumSquares(List.of(a, b), new long[] {8, 9}));
        outside(() -> ops.scale(b, 0, 9, 2f));
        outside(() -> ops.axpy(4, 1f, a, 0, b, 5));
        outside(() -> ops.axpy(4, 1f, a, 5, b, 0));
    }

    @Test
    void lossesAndSoftClusteringRefuseBadShapesAndScalars() {
        outside(() -> ops.mseLoss(2, 4, a, 0, a, 0, w, 0));
        invalid(() -> ops.mseLoss(-2, -4, a, 0, a, 0, w, 0));
        outside(() -> ops.mseLossBackward(1, 4, a, 0, a, 0, w, 0, 1f, b, 5));
        outside(() -> ops.mseLossBackward(1, 4, a, 0, a, 0, w, 1, 1f, b, 0));
        for (float alpha : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            invalid(() -> ops.studentTAssign(2, 2, 2, alpha, a, 0, a, b, 0));
            invalid(() -> ops.studentTKlBackward(2, 2, 2, alpha, a, 0, a, a, 0, a, 0, 1f, b, 0, b));
        }
        invalid(() -> ops.studentTAssign(-2, -2, -2, 1f, a, 0, a, b, 0));
        outside(() -> ops.studentTAssign(2, 2, 2, 1f, a, 0, a, b, 5));
        outside(() -> ops.studentTAssign(2, 2, 3, 1f, a, 4, a, b, 0));
        outside(() -> ops.decTarget(2, 5, a, 0, b, 0));
        invalid(() -> ops.decTarget(-2, -5, a, 0, b, 0));
        outside(() -> ops.klDivergence(3, 3, a, 0, a, 0));
        outside(() -> ops.studentTKlBackward(2, 2, 2, 1f, a, 0, a, a, 0, a, 0, 1f, b, 0, w));
        outside(() -> ops.studentTKlBackward(2, 2, 2, 1f, a, 0, a, a, 0, a, 0, 1f, b, 5, b));
    }

    @Test
    void poolingRefusesWindowsOutsideItsStepsAndBadSlopes() {
        // a and b hold 8 floats: 4 steps of 2 rows; 2 windows of 2 steps would fit.
        invalid(() -> ops.maxPoolLeakyRelu(4, 2, 2, 3, 2, 0.3f, a, 0, b, 0));
        invalid(() -> ops.maxPoolLeakyRelu(4, 2, 2, 0, 2, 0.3f, a, 0, b, 0));
        invalid(() -> ops.maxPoolLeakyRelu(4, 2, 2, 2, 0, 0.3f, a, 0, b, 0));
        for (float slope : new float[] {0f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            invalid(() -> ops.maxPoolLeakyRelu(4, 2, 2, 2, 2, slope, a, 0, b, 0));
            invalid(() -> ops.maxPoolLeakyReluBackward(4, 2, 2, 2, 2, slope, a, 0, b, 0, b, 0));
        }
        outside(() -> ops.maxPoolLeakyRelu(5, 2, 2, 2, 2, 0.3f, a, 0, b, 0));
        outside(() -> ops.maxPoolLeakyRelu(4, 2, 2, 2, 2, 0.3f, a, 0, b, 5));
        outside(() -> ops.maxPoolLeakyReluBackward(4, 2, 2, 2, 2, 0.3f, a, 0, b, 0, b, 1));
    }

    @Test
    void adamRefusesStepZeroAndShortBuffers() {
        invalid(() -> ops.adam(8, b, 0, a, 0, a, 0, a, 0, 1e-3, 0.9, 0.999, 1e-8, 0, 0));
        outside(() -> ops.adam(8, b, 0, a, 0, a, 1, a, 0, 1e-3, 0.9, 0.999, 1e-8, 0, 1));
        outside(() -> ops.adam(9, b, 0, a, 0, a, 0, a, 0, 1e-3, 0.9, 0.999, 1e-8, 0, 1));
    }

    @Test
    void cellOpsRefuseBuffersTooShortForTheirShapes() {
        // batch 1, hidden 2: gate blocks of 8 (LSTM) or 6 (GRU), states of 2, biases of 8 or 6.
        invalid(() -> ops.lstmForward(1, 2, a, 0, a, 0, a, a, a, 0, a, 0, a, 0, b, 0, b, 2, b, 0, 1, b, 0));
        outside(() -> ops.lstmForward(1, 2, a, 0, a, 0, a, a, a, 0, a, 0, a, 0, b, 0, b, 2, b, 4, 2, b, 1));
        outside(() -> ops.lstmBackward(1, 2, a, 0, a, 0, a, 0, a, 0, null, 0, 2, b, 0, b, 2, b, 1));
        outside(() -> ops.lstmBackward(1, 2, a, 0, a, 0, a, 0, a, 0, a, 7, 2, b, 0, b, 2, b, 0));
        outside(() -> ops.gruForward(1, 2, a, 0, a, 0, a, a, a, 0, a, 0, b, 0, b, 2, 2, b, 1));
        outside(() -> ops.gruForward(1, 3, a, 0, a, 0, a, a, a, 0, a, 0, b, 0, b, 3, 3, b, 0));
        outside(() -> ops.gruBackward(1, 2, a, 0, a, 0, a, 0, null, 0, 2, b, 0, b, 0, b, 3));
        outside(() -> ops.rnnTanhForward(1, 9, a, 0, a, 0, a, a, a, 0, a, 0, b, 0, b, 0, 9));
        outside(() -> ops.rnnTanhBackward(1, 2, a, 8, a, 0, null, 0, 2, b, 0, b, 0));
        invalid(() -> ops.rnnTanhBackward(1, 2, a, 0, a, 0, a, 0, 1, b, 0, b, 0));
    }

    @Test
    void forwardSequenceChecksItsBuffersAndTheCpuLeavesTheLoopToTheSteps() {
        // T = 1, B = 1, H = 1 LSTM: x projections, W_hh, biases and workspace of 4, mask 1, state slots 2.
        assertFalse(ops.forwardSequence(4, 1, 1, 1, false, true, a, a, a, a, a, a, a, b, 0, 1, b));
        assertFalse(ops.forwardSequence(3, 1, 1, 1, true, false, a, a, a, a, a, a, null, b, 7, 1, b));
        invalid(() -> ops.forwardSequence(1, 1, 1, 1, false, true, a, a, a, a, a, a, a, b, 0, 1, b));
        invalid(() -> ops.forwardSequence(4, -1, 1, 1, false, true, a, a, a, a, a, a, a, b, 0, 1, b));
        // H = 2: W_hh needs 16 floats; the output row one past b's end; the workspace 4 past it.
        outside(() -> ops.forwardSequence(4, 1, 1, 2, false, true, a, a, a, a, a, a, a, b, 0, 2, b));
        outside(() -> ops.forwardSequence(4, 1, 1, 1, false, true, a, a, a, a, a, a, a, b, 8, 1, b));
        outside(() -> ops.forwardSequence(4, 2, 1, 1, false, true, a, a, a, a, a, a, a, b, 0, 1, w));
        // An LSTM needs its cell-state slots.
        invalid(() -> ops.forwardSequence(4, 1, 1, 1, false, true, a, a, a, a, a, a, null, b, 0, 1, b));
    }

    @Test
    void backwardSequenceChecksItsBuffersAndTheCpuLeavesTheLoopToTheSteps() {
        // T = 1, B = 1, H = 1 LSTM: workspace and gate gradients 4, mask and dh 1, state slots 2, W_hh 4.
        assertFalse(ops.backwardSequence(4, 1, 1, 1, false, true, a, a, a, a, null, 0, 1, a, b, b, b, b));
        assertFalse(ops.backwardSequence(3, 1, 1, 1, true, false, a, a, a, null, a, 7, 1, a, b, null, b, b));
        invalid(() -> ops.backwardSequence(2, 1, 1, 1, false, true, a, a, a, a, null, 0, 1, a, b, b, b, b));
        invalid(() -> ops.backwardSequence(4, 1, -1, 1, false, true, a, a, a, a, null, 0, 1, a, b, b, b, b));
        // The output gradient's row one past a's end; W_hh of H = 2 (16 floats); gate gradients in w (1).
        outside(() -> ops.backwardSequence(4, 1, 1, 1, false, true, a, a, a, a, a, 8, 1, a, b, b, b, b));
        outside(() -> ops.backwardSequence(4, 1, 1, 2, false, true, a, a, a, a, null, 0, 2, a, b, b, b, b));
        outside(() -> ops.backwardSequence(4, 1, 1, 1, false, true, a, a, a, a, null, 0, 1, a, b, b, w, b));
        // An LSTM needs its cell states and dc.
        invalid(() -> ops.backwardSequence(4, 1, 1, 1, false, true, a, a, a, null, null, 0, 1, a, b, b, b, b));
        invalid(() -> ops.backwardSequence(4, 1, 1, 1, false, true, a, a, a, a, null, 0, 1, a, b, null, b, b));
    }

    @Test
    void foreignAndClosedBuffersAreRefused() {
        try (Backend other = Backends.open("cpu", 1); DeviceBuffer foreign = other.tensorOps().allocate(8)) {
            invalid(() -> ops.copy(foreign, 0, b, 0, 1));
            invalid(() -> ops.axpy(1, 1f, a, 0, foreign, 0));
            invalid(() -> ops.sumSquares(List.of(a, foreign), new long[] {1, 1}));
            assertThrows(IllegalArgumentException.class, () -> other.tensorOps().zero(b));
        }
        DeviceBuffer closed = ops.allocate(2);
        closed.close();
        assertThrows(IllegalStateException.class, () -> ops.zero(closed));
        assertThrows(IllegalStateException.class, () -> ops.copy(closed, 0, b, 0, 1));
        assertTrue(closed.toString().contains("closed"), closed.toString());
    }

    /** The per-thread lanes a row range runs on check as the ops object itself does, on its buffers. */
    @Test
    void rowRangeLanesAcceptTheOwnersBuffersAndCheckTheirRanges() {
        AtomicInteger ranges = new AtomicInteger();
        try (DeviceBuffer sums = ops.allocate(128); Backend other = Backends.open("cpu", 1);
             DeviceBuffer foreign = other.tensorOps().allocate(1)) {
            ops.forEachRowRange(128, 1L << 30, (lane, from, to) -> {
                ranges.incrementAndGet();
                lane.upload(new float[] {from}, 0, sums, from, 1);
                assertThrows(IndexOutOfBoundsException.class, () -> lane.zero(sums, 124, 8));
                assertThrows(IllegalArgumentException.class, () -> lane.zero(foreign));
            });
            float[] host = ops.toHost(sums);
            assertEquals(2, ranges.get(), "the rows should split into two ranges");
            assertEquals(64f, host[64]);
            assertEquals(0f, host[127]);
        }
    }
}
