package org.rnnclust.api;

/**
 * What a fit did, beside the model it made.
 *
 * @param pretraining        the autoencoder's pretraining (trained here, resumed, or reused)
 * @param reusedSeconds      the time of a pretraining this fit started from instead of training
 *                           (0 when it trained), so that a reused pretraining still counts in cost
 * @param initial            the first clustering of the training embeddings (k-means or spectral)
 * @param initialIterations  its winning k-means run's Lloyd iterations
 * @param initialConverged   whether that run converged before its iteration limit
 * @param beforeRefinement   the model before refinement (pretrained network, first centroids), or
 *                           null when there was no refinement
 * @param refinement         the refinement, or null when there was none
 * @param training           the final model's assignment of the training sequences
 * @param seconds            wall time of the fit
 */
public record FitReport(Pretraining pretraining, double reusedSeconds, Assignment initial, int initialIterations,
                        boolean initialConverged, SequenceClusteringModel beforeRefinement, RefinementSummary refinement, Assignment training,
                        double seconds) {}
