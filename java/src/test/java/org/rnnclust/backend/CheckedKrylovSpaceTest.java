package org.rnnclust.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The checks in front of every backend's Krylov space and of the matrices it takes, on the CPU
 * backend: malformed compressed rows, and calls out of the solver's order or past the basis, are
 * refused before any backend code runs; the counts follow what was appended.
 */
class CheckedKrylovSpaceTest {
    /** The path graph 0 − 1 − 2, unit weights and scale. */
    private static ScaledSparseMatrix path() {
        return new ScaledSparseMatrix(3, new int[] {0, 1, 3, 4}, new int[] {1, 0, 2, 1}, new double[] {1, 1, 1, 1},
                new double[] {1, 1, 1});
    }

    private static void invalid(Executable call) {
        assertThrows(IllegalArgumentException.class, call);
    }

    @Test
    void malformedMatricesAreRefused() {
        double[] one = {1, 1, 1};
        invalid(() -> new ScaledSparseMatrix(0, new int[] {0}, new int[0], new double[0], new double[0]));
        invalid(() -> new ScaledSparseMatrix(3, new int[] {0, 1, 3}, new int[] {1, 0, 2}, new double[] {1, 1, 1}, one));
        invalid(() -> new ScaledSparseMatrix(3, new int[] {0, 2, 1, 3}, new int[] {1, 0, 2}, new double[] {1, 1, 1}, one));
        invalid(() -> new ScaledSparseMatrix(3, new int[] {0, 1, 2, 3}, new int[] {1, 3, 0}, new double[] {1, 1, 1}, one));
        invalid(() -> new ScaledSparseMatrix(3, new int[] {0, 1, 2, 3}, new int[] {1, 2, 0}, new double[] {1, 1}, one));
    }

    @Test
    void callsOutOfOrderOrPastTheBasisAreRefused() {
        try (Backend backend = Backends.open("cpu", 1); KrylovSpace s = backend.krylovSpace(path(), 3)) {
            assertEquals(3, s.rows());
            invalid(() -> s.setCandidates(new double[5], 2));
            invalid(() -> s.appendCandidate(0, 1e-10));       // no candidates yet
            invalid(() -> s.multiply(0));                     // no basis yet
            assertThrows(IllegalStateException.class, s::ritzVectors);
            s.setCandidates(new double[] {1, 0, 0, 0, 0, 0, 2, 0, 0}, 3);
            assertTrue(s.appendCandidate(0, 1e-10));
            assertFalse(s.appendCandidate(1, 1e-10), "a zero vector is in every span");
            assertFalse(s.appendCandidate(2, 1e-10), "a multiple of the first");
            assertEquals(1, s.size());
            invalid(() -> s.appendCandidate(3, 1e-10));
            invalid(() -> s.appendCandidate(0, 1.5));
            s.multiply(0);
            assertEquals(1, s.projection(0).length);
            assertEquals(0.0, s.projection(0)[0], 0.0, "e0·A·e0 for the path graph");
            invalid(() -> s.candidatesFromProducts(0, 2));
            invalid(() -> s.residuals(new double[2], new double[] {0}, 1));
            invalid(() -> s.residuals(new double[1], new double[] {0}, 2));
            s.candidatesFromProducts(0, 1);                   // A·e0 = e1
            assertEquals(1, s.candidates());
            assertTrue(s.appendCandidate(0, 1e-10));
            assertEquals(2, s.size());
            s.multiply(1);
            double[] r = s.residuals(new double[] {1, 0}, new double[] {0}, 1);
            assertEquals(1.0, r[0], 1e-15, "‖A·e0 − 0‖ = ‖e1‖");
            assertEquals(3, s.ritzVectors().length);
        }
    }
}
