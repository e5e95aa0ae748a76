/**
 * The evaluation protocol of the published tables: every method of {@code org.rnnclust.api} on
 * every dataset of a folder (fit on TRAIN without labels, score TEST), over seeds, under a fixed
 * budget, into {@code results.md} and {@code results.json}.
 */
package org.rnnclust.eval;
