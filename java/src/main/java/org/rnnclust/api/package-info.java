/**
 * The public Java API: everything a program needs to cluster sequences, and what the command line,
 * the evaluation and the benchmarks themselves call. Nothing here is needed from
 * {@code org.rnnclust.cli}.
 *
 * <ul>
 *   <li>{@link org.rnnclust.api.SequenceClusterer}: the recurrent pipeline, configured by a builder
 *       (autoencoder, training, first clustering, DEC/IDEC refinement, seed); {@code fit} returns an
 *       immutable {@link org.rnnclust.api.SequenceClusteringModel} with {@code embed},
 *       {@code predict}, {@code scores}, {@code save} and {@code load}.</li>
 *   <li>{@link org.rnnclust.api.Device}: the CPU or a GPU, opened by name (auto, cpu, cuda:N).</li>
 *   <li>{@link org.rnnclust.api.FitOptions} and {@link org.rnnclust.api.FitListener}: progress,
 *       cancellation, checkpoints and resume, or a start from a {@link org.rnnclust.api.Pretraining}.</li>
 *   <li>{@link org.rnnclust.api.Methods}: every clustering method (raw k-means, PCA + k-means, the
 *       random-forest baseline, the recurrent autoencoder) behind one
 *       {@link org.rnnclust.api.ClusteringMethod} interface, as {@code evaluate} compares them.</li>
 *   <li>{@link org.rnnclust.api.OutputFolder}, {@link org.rnnclust.api.OutputClaim},
 *       {@link org.rnnclust.api.NpyFiles}, {@link org.rnnclust.api.TorchRecurrent}: result files
 *       written all or nothing, one run at a time per output, NumPy output, and running a PyTorch
 *       recurrent network from its state_dict.</li>
 * </ul>
 *
 * Data come in as {@link org.rnnclust.data.Dataset} (read with
 * {@link org.rnnclust.data.read.Readers}, generated with {@link org.rnnclust.data.gen.Cbf}, or built
 * from arrays); scores are {@link org.rnnclust.metrics.ClusteringScores}. Bad input is an
 * {@link org.rnnclust.InputException} with one line naming the file, record or setting.
 *
 * <p>Thread safety: settings objects and models are immutable and may be shared; a model computes
 * on its device, and a CPU device may serve several threads at once, a CUDA device one.
 */
package org.rnnclust.api;
