/**
 * Preprocessing fitted on training data and applied alike to any later data: normalisation,
 * outlier clipping, missing values and unequal lengths
 * ({@link org.rnnclust.data.prep.Preprocessor}), and the prepared training and test sets of a job
 * ({@link org.rnnclust.data.prep.PreparedData}).
 */
package org.rnnclust.data.prep;
