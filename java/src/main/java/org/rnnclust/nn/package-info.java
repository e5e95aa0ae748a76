/**
 * The networks, above the backend: RNN, LSTM and GRU layers with backpropagation through time
 * (PyTorch's parameter layout and gate order), linear layers, the sequence autoencoder, the
 * Student-t soft assignment of DEC, and Adam.
 */
package org.rnnclust.nn;
