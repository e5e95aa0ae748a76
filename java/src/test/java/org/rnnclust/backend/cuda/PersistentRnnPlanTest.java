package org.rnnclust.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cut and the choice of the persistent recurrent kernel ({@link PersistentRnn#plan}), without a
 * GPU, on an H100's numbers (132 SMs, 227 KiB of shared memory per block) and an A100's (108,
 * 163 KiB): every plan covers every unit and batch row exactly once, fits one block per SM and the
 * shared memory, and meets the kernel's launch contract (rnn_persist.cu); no other such cut costs
 * less by the plan's count; a W_hh too large for the SMs' shared memory gets no plan; the anchor
 * shapes get the path the class note documents.
 */
class PersistentRnnPlanTest {
    static final int H100_SMS = 132;
    static final int H100_SHARED = 227 * 1024;
    static final int A100_SMS = 108;
    static final int A100_SHARED = 163 * 1024;

    @Test
    void everyPlanCoversTheShapeAndFitsTheDevice() {
        int[] batches = {1, 2, 7, 31, 32, 33, 64, 100, 256, 512, 1000, 4096};
        int[] hiddens = {1, 3, 7, 31, 32, 64, 100, 128, 131, 132, 133, 255, 256, 300, 512, 700, 1024};
        int[][] devices = {{H100_SMS, H100_SHARED}, {A100_SMS, A100_SHARED}, {4, 48 * 1024}};
        int plans = 0;
        for (int[] d : devices) {
            for (int gates : new int[] {3, 4}) {
              for (boolean backward : new boolean[] {false, true}) {
                // Forward: G·units rows of H; backward: units rows of G·H (columns of W_hh).
                for (int b : batches) {
                    for (int h : hiddens) {
                        PersistentRnn.Plan p = PersistentRnn.plan(gates, b, h, d[0], d[1], backward);
                        String what = (backward ? "backward" : "forward") + " G=" + gates + " B=" + b + " H=" + h
                                + " SMs=" + d[0] + ": " + p;
                        int length = backward ? gates * h : h;
                        int rowsPerUnit = backward ? 1 : gates;
                        if (p == null) {
                            // No plan only where the weights of ⌈H/SMs⌉ units and one staged row overflow a
                            // block even at the widest row stride (the kernel pads rows by kSplit mod 32).
                            long units = (h + d[0] - 1) / d[0];
                            assertTrue((rowsPerUnit * units + 1) * ((length + 31) / 32 * 32 + 31) * 4 > d[1], what);
                            continue;
                        }
                        long ld = (length + 31) / 32 * 32 + p.kSplit() % 32;
                        plans++;
                        assertTrue(p.units() >= 1 && (long) p.units() * p.unitSlices() >= h
                                && (long) p.units() * (p.unitSlices() - 1) < h, "unit slices " + what);
                        assertTrue(p.rowsPerSlice() >= 1 && (long) p.rowsPerSlice() * p.batchSlices() >= b
                                && (long) p.rowsPerSlice() * (p.batchSlices() - 1) < b, "batch slices " + what);
                        assertTrue(p.grid() <= d[0], "one block per SM at most " + what);
                        assertTrue(Integer.bitCount(p.kSplit()) == 1 && p.kSplit() <= 32, "kSplit " + what);
                        assertTrue(p.threads() % 32 == 0 && p.threads() <= PersistentRnn.THREADS
                                && p.threads() % p.kSplit() == 0, "threads " + what);
                        assertTrue(p.chunkRows() >= 1 && p.chunkRows() <= p.rowsPerSlice(), "chunk " + what);
                        assertEquals((rowsPerUnit * (long) p.units() + p.chunkRows()) * ld * 4, p.sharedBytes(),
                                "shared " + what);
                        assertTrue(p.sharedBytes() <= d[1], "shared memory " + what);
                    }
                }
              }
            }
        }
        assertTrue(plans > 800, "plans checked: " + plans);
    }

    @Test
    void weightsTooLargeForTheSmsGetNoPlan() {
        // LSTM H = 2048 on an H100: 16 units per block, 4·16 rows of 2049 floats = 512 KiB > 227 KiB.
        assertNull(PersistentRnn.plan(4, 64, 2048, H100_SMS, H100_SHARED, false));
        assertNull(PersistentRnn.plan(4, 64, 2048, H100_SMS, H100_SHARED, true));
        // H = 1024 fits an H100 (8 units: 128 KiB), not an A100 (10 units: 160 KiB + a state row > 163 KiB).
        assertNotNull(PersistentRnn.plan(4, 64, 1024, H100_SMS, H100_SHARED, false));
        assertNull(PersistentRnn.plan(4, 64, 1024, A100_SMS, A100_SHARED, false));
        assertNull(PersistentRnn.plan(4, 0, 64, H100_SMS, H100_SHARED, false));
    }

    /** The anchor shapes (batch, hidden) and the path the rule picks on an H100, as PersistentRnn documents. */
    @ParameterizedTest
    @CsvSource({
        "4, 256, 128, true",
        "4, 64, 256, true",
        "4, 32, 64, true",
        "4, 512, 256, false",
        "3, 256, 128, true",
    })
    void anchorShapesTakeTheDocumentedPath(int gates, int batch, int hidden, boolean persistent) {
        for (boolean backward : new boolean[] {false, true}) {
            PersistentRnn.Plan p = PersistentRnn.plan(gates, batch, hidden, H100_SMS, H100_SHARED, backward);
            assertNotNull(p, "every anchor shape fits an H100");
            assertEquals(persistent, p.preferred(), (backward ? "backward " : "forward ") + p);
            // The estimate behind the rule: shared-memory loads per block and step.
            long items = (long) p.rowsPerSlice() * p.units();
            long loads = backward ? items * 2 * gates * hidden : items * hidden * (gates + 1);
            assertEquals(loads <= PersistentRnn.PREFERRED_BLOCK_STEP_LOADS, p.preferred());
        }
    }

    /**
     * No cut with one block per SM costs less (products plus staged rows, as PersistentRnn.plan
     * counts them) than the chosen one: every units-per-block and batch-slice count, those that fit
     * even at the widest row stride.
     */
    @ParameterizedTest
    @CsvSource({
        "4, 256, 128", "4, 64, 256", "4, 32, 64", "4, 512, 256", "3, 256, 128", "4, 37, 7", "3, 70, 300",
        "4, 1, 1000", "3, 1000, 33",
    })
    void theChosenCutCostsLeast(int gates, int batch, int hidden) {
        for (boolean backward : new boolean[] {false, true}) {
            PersistentRnn.Plan p = PersistentRnn.plan(gates, batch, hidden, H100_SMS, H100_SHARED, backward);
            int length = backward ? gates * hidden : hidden;
            int rowsPerUnit = backward ? 1 : gates;
            long chosen = cost(gates, hidden, backward, p.rowsPerSlice(), p.units());
            long widest = (length + 31) / 32 * 32 + 31;
            for (int units = 1; units <= hidden; units++) {
                int unitSlices = (hidden + units - 1) / units;
                if (unitSlices > H100_SMS || (rowsPerUnit * (long) units + 1) * widest * 4 > H100_SHARED) continue;
                for (int slices = 1; slices <= Math.min(batch, H100_SMS / unitSlices); slices++) {
                    int rows = (batch + slices - 1) / slices;
                    assertTrue(cost(gates, hidden, backward, rows, units) >= chosen,
                            "units " + units + " rows " + rows + " beat " + p);
                }
            }
        }
    }

    private static long cost(int gates, int hidden, boolean backward, long rows, long units) {
        long items = rows * units;
        long length = backward ? (long) gates * hidden : hidden;
        long products = backward ? items * 2 * length : items * hidden * (gates + 1);
        return products + 3 * rows * length;
    }

    @Test
    void theModeComesFromTheSystemPropertyAndIsStepwiseUnlessNamed() {
        String before = System.getProperty(PersistentRnn.PROPERTY);
        try {
            System.clearProperty(PersistentRnn.PROPERTY);
            assertEquals(PersistentRnn.Mode.STEPWISE, PersistentRnn.Mode.fromProperty());
            System.setProperty(PersistentRnn.PROPERTY, " Auto ");
            assertEquals(PersistentRnn.Mode.AUTO, PersistentRnn.Mode.fromProperty());
            System.setProperty(PersistentRnn.PROPERTY, "persistent");
            assertEquals(PersistentRnn.Mode.PERSISTENT, PersistentRnn.Mode.fromProperty());
            System.setProperty(PersistentRnn.PROPERTY, "fast");
            assertEquals(PersistentRnn.Mode.STEPWISE, PersistentRnn.Mode.fromProperty());
        } finally {
            if (before == null) System.clearProperty(PersistentRnn.PROPERTY);
            else System.setProperty(PersistentRnn.PROPERTY, before);
        }
    }

    @Test
    void theDocumentedCutOfLstm256x128() {
        // 2 × 64 blocks of 64 units and 4 rows: each block stages 4 rows a step, not 256.
        PersistentRnn.Plan p = PersistentRnn.plan(4, 256, 128, H100_SMS, H100_SHARED, false);
        assertEquals(64, p.units());
        assertEquals(2, p.unitSlices());
        assertEquals(4, p.rowsPerSlice());
        assertEquals(64, p.batchSlices());
    }

    @Test
    void smallBatchesShareEachDotProductAmongThreads() {
        // B = 32, H = 64: 4 × 32 blocks of 16 units and one row, 16 items: 16 threads share each.
        PersistentRnn.Plan p = PersistentRnn.plan(4, 32, 64, H100_SMS, H100_SHARED, false);
        assertEquals(1, p.rowsPerSlice());
        assertEquals(16, p.kSplit());
        assertEquals(256, p.threads());
        // B = 1, H = 7: one item per block, but each thread keeps at least 4 terms of 7 (kSplit 1).
        PersistentRnn.Plan q = PersistentRnn.plan(3, 1, 7, H100_SMS, H100_SHARED, false);
        assertEquals(1, q.kSplit());
        assertEquals(32, q.threads());
        assertFalse(q.grid() > 7);
    }
}
