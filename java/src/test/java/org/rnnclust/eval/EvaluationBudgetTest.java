package org.rnnclust.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The autoencoder's epochs: the step budget over rows × steps, clamped, and shared by the members
 * of a fit of several (each trains its share, so the fit costs about what one network does).
 */
class EvaluationBudgetTest {
    @Test
    void epochsAreTheStepBudgetOverRowsTimesStepsClampedAndSharedByTheMembers() {
        EvaluationBudget one = EvaluationBudget.defaults();
        assertEquals(1000, one.rnnEpochs(100, 32), "30,000,000 / 3,200 = 9,375, clamped to 1000");
        assertEquals(937, one.rnnEpochs(1000, 32), "30,000,000 / 32,000");
        assertEquals(937, one.rnnEpochs(60000, 32), "at most 1000 rows train");
        assertEquals(100, one.rnnEpochs(1000, 10000), "at least 100");
        EvaluationBudget three = one.withMembers(3);
        assertEquals(333, three.rnnEpochs(100, 32));
        assertEquals(312, three.rnnEpochs(1000, 32));
        assertEquals(33, three.rnnEpochs(1000, 10000));
        assertEquals(1, EvaluationBudget.quick().withMembers(7).rnnEpochs(200, 32), "at least one epoch each");
    }
}
