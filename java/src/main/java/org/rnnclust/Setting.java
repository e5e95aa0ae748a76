package org.rnnclust;

/**
 * A setting a user can change to get past an error. Messages below the command line speak of
 * settings in words ("lower the learning rate"); an {@link InputException} also lists the settings
 * it means, and the command line names their flags in its one-line message.
 */
public enum Setting {
    /** The recurrent cell (lstm, gru, rnn). */
    CELL,
    /** A bidirectional encoder. */
    BIDIRECTIONAL,
    /** The hidden size of every recurrent layer. */
    HIDDEN,
    /** The recurrent layers of the encoder and of the decoder. */
    LAYERS,
    /** The dilation of each encoder layer. */
    DILATIONS,
    /** The size of the embedding. */
    LATENT,
    /** The number of clusters. */
    CLUSTERS,
    /** How the first clustering of the embeddings is made (k-means or spectral). */
    CLUSTER_INIT,
    /** k-means++ restarts. */
    KMEANS_RESTARTS,
    /** Lloyd iterations per k-means restart. */
    KMEANS_MAX_ITERATIONS,
    /** k-means' convergence tolerance. */
    KMEANS_TOLERANCE,
    /** Mini-batch k-means' batch size. */
    KMEANS_BATCH_SIZE,
    /** How k-means picks its starting centres (k-means++ or k-means||). */
    KMEANS_SEEDING,
    /** k-Shape's random starts. */
    KSHAPE_RESTARTS,
    /** k-Shape's iterations per start. */
    KSHAPE_MAX_ITERATIONS,
    /** The Sakoe–Chiba band of DTW k-means, a fraction of the length. */
    DTW_WINDOW,
    /** DTW k-means' k-means++ starts. */
    DTW_KMEANS_RESTARTS,
    /** DTW k-means' assignment rounds per start. */
    DTW_KMEANS_MAX_ITERATIONS,
    /** DBA updates of each DTW k-means centroid per round. */
    DBA_ITERATIONS,
    /** Which device computes: auto, cpu, cuda, cuda:N, cuda:N,M,... */
    DEVICE,
    /** CPU worker threads. */
    THREADS,
    /** The GPU memory k-means may use before streaming from host memory. */
    MAX_DEVICE_MEMORY,
    /** The CPU's deterministic mode: the same bits on any x86-64 machine. */
    DETERMINISTIC,
    /** Sequences per optimizer step. */
    BATCH_SIZE,
    /** Passes over the data in pretraining, at most. */
    EPOCHS,
    /** Adam's learning rate for pretraining. */
    LEARNING_RATE,
    /** The global gradient-norm clipping threshold. */
    CLIP_NORM,
    /** DP-SGD's per-sequence gradient clipping norm. */
    DP_MAX_GRAD_NORM,
    /** DP-SGD's noise multiplier σ. */
    DP_NOISE_MULTIPLIER,
    /** The δ at which DP-SGD's ε is reported. */
    DP_DELTA,
    /** The ε at which DP-SGD stops. */
    DP_TARGET_EPSILON,
    /** The pretraining objective (reconstruction, contrastive, both). */
    OBJECTIVE,
    /** The weight of the real-versus-fake task. */
    REAL_FAKE,
    /** The refinement after the first clustering (DEC, IDEC, none). */
    REFINE,
    /** Adam's learning rate for DEC/IDEC refinement. */
    REFINE_LEARNING_RATE,
    /** The rows spectral clustering builds its graph on. */
    SPECTRAL_MAX_ROWS,
    /** How missing values are handled (refuse or interpolate). */
    MISSING_VALUES,
    /** How sequences are normalised (znorm, standardize, minmax, none). */
    NORMALIZATION,
    /** Outlier clipping at a multiple of the median absolute deviation. */
    OUTLIER_CLIP,
    /** How sequences of different lengths are made alike (pad or resample). */
    LENGTH_POLICY,
    /** The steps every sequence is resampled to. */
    RESAMPLE_LENGTH,
    /** The methods an evaluation compares. */
    METHODS,
    /** How many seeds an evaluation runs. */
    SEEDS,
    /** Autoencoders pretrained per fit, combined by the consensus of their clusterings. */
    MEMBERS,
    /** The recurrent-layer shapes a benchmark times. */
    BENCH_SHAPES,
    /** The k-means shapes a benchmark times. */
    BENCH_KMEANS_SHAPES,
    /** A benchmark's timed runs. */
    BENCH_REPEAT,
    /** A benchmark's untimed runs before them. */
    BENCH_WARMUP,
    /** Points a k-means benchmark reads instead of generating them. */
    BENCH_POINTS
}
