/**
 * rnnclust: clustering sequences with recurrent autoencoders. This root package holds what every
 * layer shares: the exception types ({@link org.rnnclust.InputException} for bad input,
 * {@link org.rnnclust.CancelledException}), {@link org.rnnclust.Setting} and the GPU's
 * {@link org.rnnclust.Precision}. The public API is
 * {@code org.rnnclust.api}.
 */
package org.rnnclust;
