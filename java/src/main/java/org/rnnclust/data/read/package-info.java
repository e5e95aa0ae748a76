/**
 * Readers of the formats sequences come in: UCR/UEA {@code .tsv}/{@code .txt} and {@code .ts},
 * IDX (MNIST), CSV, ARFF and NPY, each possibly gzip-compressed, read whole, in chunks or as a
 * one-pass sample; {@link org.rnnclust.data.read.Readers}
 * picks one by name or content. A bad file is one {@link org.rnnclust.InputException} line naming
 * the file, the line or record and the problem.
 */
package org.rnnclust.data.read;
