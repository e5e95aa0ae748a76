package org.rnnclust.api;

import java.util.List;

/**
 * What a DEC/IDEC refinement did.
 *
 * @param epochs                epochs run (a partial last epoch counts)
 * @param steps                 optimizer steps
 * @param labelChange           fraction of labels changed between the last two target updates
 * @param converged             whether that fraction fell below the tolerance (else the epoch limit stopped it)
 * @param klHistory             mean KL(P‖Q) of each epoch's batches
 * @param reconstructionHistory mean reconstruction loss of each epoch's batches (IDEC; empty for DEC)
 * @param seconds               wall time
 */
public record RefinementSummary(int epochs, int steps, double labelChange, boolean converged, List<Double> klHistory,
                                List<Double> reconstructionHistory, double seconds) {}
