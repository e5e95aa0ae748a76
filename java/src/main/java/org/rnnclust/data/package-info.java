/**
 * The data model every layer shares: {@link org.rnnclust.data.Dataset} (labelled or not, any
 * length, any number of channels) and {@link org.rnnclust.data.PaddedSequences} (the padded,
 * row-major form the engine computes on), with seeded row samples. It uses nothing else of the
 * engine: readers, preprocessing, generators and the NPY format live in its sub-packages.
 */
package org.rnnclust.data;
