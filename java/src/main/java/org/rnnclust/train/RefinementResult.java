package org.rnnclust.train;

import java.util.List;

/**
 * What a refinement ended with.
 *
 * @param centroids       refined centroids [k, D]
 * @param labels          argmax of the soft assignment (= nearest centroid) of every sequence under
 *                        the refined encoder
 * @param inertia         the sum of those sequences' squared distances to their refined centroid
 * @param epochs          epochs run (a partial last epoch counts)
 * @param steps           optimizer steps
 * @param labelChange     fraction of labels changed between the last two target updates
 * @param converged       whether that fraction fell below the tolerance (else the epoch limit stopped it)
 * @param klHistory       mean KL(P‖Q) of each epoch's batches
 * @param reconstructionHistory mean reconstruction loss of each epoch's batches (IDEC; empty for DEC)
 * @param labelChangeHistory    label change at each target update after the first
 * @param intervalKl      per completed target interval, {KL(P‖Q) over all data when P was set, KL of
 *                        the same P against Q at the next update}: what the steps in between reduced
 * @param seconds         wall time
 */
public record RefinementResult(float[] centroids, int[] labels, double inertia, int epochs, int steps, double labelChange,
                               boolean converged, List<Double> klHistory, List<Double> reconstructionHistory,
                               List<Double> labelChangeHistory, List<double[]> intervalKl, double seconds) {}
