package org.rnnclust.train;

/**
 * How to train an autoencoder. The defaults suit UCR-sized data (hundreds to thousands of series).
 *
 * @param epochs       passes over the data at most
 * @param batchSize    sequences per optimizer step
 * @param lr           Adam learning rate
 * @param weightDecay  L2 penalty as in torch.optim.Adam (0 = none)
 * @param clipNorm     global gradient-norm clipping threshold (0 = off)
 * @param patience     stop after this many epochs without a relative loss improvement of minDelta
 *                     (0 = never stop early)
 * @param minDelta     relative improvement that counts (1e-3 = 0.1 %)
 * @param seed         initialisation and shuffling; the same seed gives the same model
 * @param inputDropout fraction of input values set to 0 during pretraining, the target staying the
 *                     clean input (a denoising autoencoder, as DEC pretrains its stacked autoencoder
 *                     with 20 %); 0 = plain reconstruction
 * @param objective    what pretraining minimises: the reconstruction, NT-Xent between two augmented
 *                     views, or both
 * @param temperature  NT-Xent's temperature τ (unused by the reconstruction alone)
 * @param realFakeWeight the weight of DTCR's auxiliary task, telling real series from fakes with
 *                     shuffled steps ({@link RealFakeTask}); 0 = off. With the reconstruction alone.
 * @param privacy      DP-SGD in place of plain mini-batches ({@link DpSgdConfig}); null = none. With
 *                     the reconstruction alone: the other objectives couple the sequences of a batch,
 *                     which per-sequence clipping cannot bound. {@code clipNorm} and {@code patience}
 *                     go unused then.
 */
public record TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double clipNorm, int patience,
                          double minDelta, long seed, double inputDropout, PretrainingObjective objective,
                          double temperature, double realFakeWeight, DpSgdConfig privacy)
        implements java.io.Serializable {
    public static final int DEFAULT_EPOCHS = 150;
    public static final int DEFAULT_BATCH = 32;
    public static final double DEFAULT_LR = 3e-3;
    public static final double DEFAULT_CLIP = 1.0;
    public static final int DEFAULT_PATIENCE = 10;
    public static final double DEFAULT_MIN_DELTA = 1e-3;
    /** SimCLR's choice for small batches. */
    public static final double DEFAULT_TEMPERATURE = 0.5;

    public TrainConfig {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (!(clipNorm >= 0)) throw new IllegalArgumentException("clip norm must be >= 0, got " + clipNorm);
        if (patience < 0) throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("min delta must be >= 0, got " + minDelta);
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new IllegalArgumentException("input dropout must be in [0, 1), got " + inputDropout);
        }
        if (objective == null) throw new IllegalArgumentException("pretraining objective missing");
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (inputDropout > 0 && objective.contrasts()) {
            throw new IllegalArgumentException("input dropout is for the reconstruction alone; the contrastive "
                    + "objective draws its own views");
        }
        if (!(realFakeWeight >= 0) || !Double.isFinite(realFakeWeight)) {
            throw new IllegalArgumentException("the real-versus-fake weight must be >= 0, got " + realFakeWeight);
        }
        if (realFakeWeight > 0 && (objective != PretrainingObjective.RECONSTRUCTION || inputDropout > 0)) {
            throw new IllegalArgumentException("the real-versus-fake task goes with the plain reconstruction objective "
                    + "(no input dropout, not contrastive)");
        }
        if (privacy != null && (objective != PretrainingObjective.RECONSTRUCTION || realFakeWeight > 0)) {
            throw new IllegalArgumentException("differentially private training goes with the reconstruction objective "
                    + "alone: the contrastive loss and the real-versus-fake task couple the sequences of a batch");
        }
    }

    /** No differential privacy. */
    public TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double clipNorm, int patience,
                       double minDelta, long seed, double inputDropout, PretrainingObjective objective,
                       double temperature, double realFakeWeight) {
        this(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout, objective,
                temperature, realFakeWeight, null);
    }

    /** No real-versus-fake task. */
    public TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double clipNorm, int patience,
                       double minDelta, long seed, double inputDropout, PretrainingObjective objective,
                       double temperature) {
        this(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout, objective,
                temperature, 0);
    }

    /** The reconstruction objective. */
    public TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double clipNorm, int patience,
                       double minDelta, long seed, double inputDropout) {
        this(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout,
                PretrainingObjective.RECONSTRUCTION, DEFAULT_TEMPERATURE);
    }

    /** Plain reconstruction (no input dropout). */
    public TrainConfig(int epochs, int batchSize, double lr, double weightDecay, double clipNorm, int patience,
                       double minDelta, long seed) {
        this(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, 0.0);
    }

    public static TrainConfig defaults(long seed) {
        return new TrainConfig(DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_LR, 0, DEFAULT_CLIP, DEFAULT_PATIENCE,
                DEFAULT_MIN_DELTA, seed);
    }

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(e, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout, objective,
                temperature, realFakeWeight, privacy);
    }

    public TrainConfig withSeed(long s) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, s, inputDropout, objective,
                temperature, realFakeWeight, privacy);
    }

    public TrainConfig withLr(double l) {
        return new TrainConfig(epochs, batchSize, l, weightDecay, clipNorm, patience, minDelta, seed, inputDropout, objective,
                temperature, realFakeWeight, privacy);
    }

    public TrainConfig withObjective(PretrainingObjective o, double t) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout, o, t,
                realFakeWeight, privacy);
    }

    public TrainConfig withRealFakeTask(double weight) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout,
                objective, temperature, weight, privacy);
    }

    public TrainConfig withPrivacy(DpSgdConfig p) {
        return new TrainConfig(epochs, batchSize, lr, weightDecay, clipNorm, patience, minDelta, seed, inputDropout,
                objective, temperature, realFakeWeight, p);
    }
}
