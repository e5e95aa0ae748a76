/**
 * Training, written once above the backend: the one training loop ({@code TrainingLoop}) and its
 * objectives, the autoencoder's pretraining ({@link org.rnnclust.train.Trainer}) and DEC/IDEC
 * refinement ({@link org.rnnclust.train.Refinement}); the checkpoint file with its named sections
 * ({@link org.rnnclust.train.CheckpointFile}) and the saved model
 * ({@link org.rnnclust.train.TrainedModel}).
 */
package org.rnnclust.train;
