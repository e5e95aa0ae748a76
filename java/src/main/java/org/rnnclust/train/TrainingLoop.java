package org.rnnclust.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.rnnclust.CancelledException;
import org.rnnclust.Setting;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.SequenceMask;

/**
 * The one training loop, written once above the backend: epochs of shuffled mini-batches; per batch
 * the objective's forward and backward, the divergence checks, global-norm clipping and an Adam
 * step; early stopping on a loss plateau; a hook after every epoch (where checkpoints are written),
 * also called at the batch boundary where a cancellation stops the run.
 * Pretraining ({@link Trainer}: reconstruction) and refinement ({@link Refinement}: DEC's KL, or
 * IDEC's reconstruction + γ·KL) are objectives of this loop.
 *
 * <p>Reproducible: each epoch's order comes from (seed, epoch) alone and the CPU ops are
 * deterministic, so a run resumed from the saved {@link Progress}, parameters and optimizer state
 * ends exactly where the uninterrupted run does. A run cancelled within an epoch saves its
 * {@link EpochPosition}: the batches done and the epoch's running sums. Nothing else of the epoch
 * needs saving: its batch order is drawn again from (seed, epoch), each batch's randomness
 * (input dropout) from (seed, epoch, batch), so the rest of the epoch runs as it would have.
 */
final class TrainingLoop {
    /**
     * A batch loss this many times the loss of predicting zeros for that batch (plus 1e-3, for
     * all-zero data) means the run has diverged even while the numbers stay finite: with a huge
     * learning rate the saturated cells keep the loss near 1e13 for ever instead of overflowing.
     * Depends on the batch alone, so a resumed run stops where the uninterrupted one would.
     */
    static final double DIVERGED_FACTOR = 1e6;

    /**
     * How the loop runs.
     *
     * @param phase     what is trained, for messages ("training", "refinement")
     * @param patience  stop after this many epochs without a relative improvement of minDelta (0: never)
     * @param remedy    what to change when it diverges, in words ("lower the learning rate or ...")
     * @param remedySettings the settings {@code remedy} speaks of
     */
    record Settings(String phase, int epochs, int batchSize, long seed, double clipNorm, int patience,
                    double minDelta, String remedy, List<Setting> remedySettings) {}

    /**
     * Where training stands after {@code epochs} completed epochs: what a checkpoint saves.
     *
     * @param inEpoch how far into the next epoch a cancelled run got; null at an epoch boundary
     */
    record Progress(int epochs, int steps, double bestLoss, int epochsSinceBest, List<Double> lossHistory,
                    EpochPosition inEpoch) {
        static final Progress START = new Progress(0, 0, Double.POSITIVE_INFINITY, 0, List.of(), null);

        /** The epochs this progress needs, at least: the completed ones and the one it stopped in. */
        int epochsStarted() {
            return inEpoch == null ? epochs : epochs + 1;
        }
    }

    /**
     * How far into an epoch a cancelled run got: {@code batches} done (at least 1), the sum of their
     * weighted losses and of their weights (for the epoch's mean loss) and the last gradient norm.
     */
    record EpochPosition(int batches, double lossSum, double weight, double lastNorm) {}

    /** What the loop optimizes: one implementation per training objective. */
    interface Objective {
        /**
         * Called before each batch with the optimizer steps taken so far; false ends training
         * before that batch (refinement's convergence test).
         */
        default boolean beforeBatch(int steps) {
            return true;
        }

        /** Whether a resumed objective had already finished (then no epoch runs). */
        default boolean finished() {
            return false;
        }

        /**
         * Zeroes the gradients, runs forward and backward on the batch just loaded into
         * {@code loader} (rows {@code order[from, from + count)}) and returns its loss.
         */
        BatchLoss forwardBackward(BatchLoader loader, SequenceMask mask, int[] order, int from, int count, int epoch,
                                  int batch);

        /** After every epoch that ran at least one batch, before the epoch hook. */
        default void epochFinished() {}
    }

    /**
     * One batch's loss.
     *
     * @param weight          its weight in the epoch's mean loss
     * @param zerosLoss       the loss an output of zeros would have on the batch, for the divergence
     *                        check; NaN where the objective has no such reference
     */
    record BatchLoss(double loss, double weight, double zerosLoss) {}

    /**
     * Saves the progress so far (the checkpoint hook): after every completed epoch, and at the batch
     * boundary where a cancellation stops the run.
     */
    @FunctionalInterface
    interface CheckpointHook {
        void save(Progress progress);
    }

    /** How a run ended. {@code stoppedEarly}: the loss plateau stopped it before the epoch limit. */
    record Outcome(Progress progress, boolean stoppedEarly, double seconds) {}

    private final TensorOps ops;
    private final Settings settings;
    private final TrainingListener listener;
    private final BooleanSupplier cancelled;
    private final PrivateSgd privacy;  // null: plain mini-batches

    TrainingLoop(TensorOps ops, Settings settings, TrainingListener listener, BooleanSupplier cancelled) {
        this(ops, settings, listener, cancelled, null);
    }

    /**
     * A loop whose steps are DP-SGD's when {@code privacy} is given: Poisson-sampled batches,
     * per-sequence clipping and noise ({@link PrivateSgd}) in place of the global-norm clipping;
     * the loss plateau stops nothing then (it is computed from the private data).
     */
    TrainingLoop(TensorOps ops, Settings settings, TrainingListener listener, BooleanSupplier cancelled,
                 PrivateSgd privacy) {
        this.ops = ops;
        this.settings = privacy == null ? settings : new Settings(settings.phase(), settings.epochs(),
                settings.batchSize(), settings.seed(), 0, 0, settings.minDelta(), settings.remedy(),
                settings.remedySettings());
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.cancelled = cancelled == null ? () -> false : cancelled;
        this.privacy = privacy;
    }

    /** Trains from {@code start} until the epoch limit, a plateau, or the objective ends it. */
    Outcome run(PaddedSequences data, Objective objective, Adam adam, Progress start, CheckpointHook checkpoint) {
        try (BatchLoader loader = new BatchLoader(ops, data, Math.min(settings.batchSize(), data.n()))) {
            return run(data.n(), loader, objective, adam, start, checkpoint);
        }
    }

    /**
     * {@link #run(PaddedSequences, Objective, Adam, Progress, CheckpointHook)} over {@code n} rows
     * that {@code loader} loads; a null loader hands the objective no batch (null loader and mask):
     * it gets its batch's rows from the order alone (data-parallel training, whose rows live on
     * other machines).
     */
    Outcome run(int n, BatchLoader loader, Objective objective, Adam adam, Progress start, CheckpointHook checkpoint) {
        if (privacy != null && loader == null) throw new IllegalArgumentException("private training needs its rows here");
        long t0 = System.nanoTime();
        int batchSize = Math.min(settings.batchSize(), n);
        int batches = batchesPerEpoch(n, settings.batchSize());
        List<Double> history = new ArrayList<>(start.lossHistory());
        double best = start.bestLoss();
        int since = start.epochsSinceBest();
        int steps = start.steps();
        boolean early = false;
        boolean stop = objective.finished();
        for (int epoch = start.epochs(); epoch < settings.epochs() && !stop; epoch++) {
            // Checked before the epoch, not after, so that a run resumed from the checkpoint of
            // the epoch that hit the plateau stops exactly where the uninterrupted run did.
            if (settings.patience() > 0 && since >= settings.patience()) {
                early = true;
                break;
            }
            EpochPosition resumeAt = epoch == start.epochs() ? start.inEpoch() : null;
            long epochStart = System.nanoTime();
            listener.epochStarted(epoch + 1, batches);
            int[] order = permutation(settings.seed(), n, epoch);
            double lossSum = resumeAt == null ? 0 : resumeAt.lossSum();
            double weight = resumeAt == null ? 0 : resumeAt.weight();
            double lastNorm = resumeAt == null ? 0 : resumeAt.lastNorm();
            int ran = resumeAt == null ? 0 : resumeAt.batches();
            for (int b = resumeAt == null ? 0 : resumeAt.batches(); b < batches; b++) {
                if (cancelled.getAsBoolean()) {
                    // Saved before the objective hears of batch b: the resumed run starts with it.
                    checkpoint.save(new Progress(history.size(), steps, best, since, List.copyOf(history),
                            b == 0 ? null : new EpochPosition(b, lossSum, weight, lastNorm)));
                    throw new CancelledException(settings.phase() + " stopped before batch " + (b + 1) + " of "
                            + batches + " in epoch " + (epoch + 1));
                }
                if (!objective.beforeBatch(steps)) {
                    stop = true;
                    break;
                }
                if (privacy != null && !privacy.mayStep()) {  // the target ε is spent
                    stop = true;
                    break;
                }
                BatchLoss loss;
                if (privacy == null) {
                    int from = b * batchSize;
                    int count = Math.min(batchSize, n - from);
                    SequenceMask mask = loader == null ? null : loader.load(order, from, count);
                    loss = objective.forwardBackward(loader, mask, order, from, count, epoch, b);
                    checkLoss(loss, epoch, b);
                    lastNorm = settings.clipNorm() > 0 ? adam.clipGradients(settings.clipNorm()) : adam.gradientNorm();
                } else {
                    loss = privateBatch(n, loader, objective, epoch, b);
                    lastNorm = privacy.meanNorm();
                }
                if (!Double.isFinite(lastNorm) && !(privacy != null && loss.weight() == 0)) {
                    throw diverged(epoch, b, "gradient norm " + lastNorm);
                }
                adam.step();
                if (privacy != null) privacy.account();
                steps++;
                ran++;
                if (loss.weight() > 0) {
                    lossSum += loss.loss() * loss.weight();
                    weight += loss.weight();
                }
                listener.batchFinished(epoch + 1, b + 1, loss.loss());
            }
            if (ran == 0) break;  // the objective ended training before this epoch's first batch
            objective.epochFinished();
            if (privacy != null) privacy.epochFinished();
            // NaN when every batch was empty (possible with Poisson sampling alone).
            double epochLoss = weight > 0 ? lossSum / weight : Double.NaN;
            history.add(epochLoss);
            boolean improved = epochLoss < best * (1 - settings.minDelta());
            if (improved) {
                best = epochLoss;
                since = 0;
            } else {
                since++;
            }
            checkpoint.save(new Progress(history.size(), steps, best, since, List.copyOf(history), null));
            listener.epochFinished(new TrainingListener.Epoch(epoch + 1, settings.epochs(), epochLoss, lastNorm,
                    (System.nanoTime() - epochStart) / 1e9, improved, Double.NaN,
                    privacy == null ? Double.NaN : privacy.epsilon()));
        }
        return new Outcome(new Progress(history.size(), steps, best, since, List.copyOf(history), null), early,
                (System.nanoTime() - t0) / 1e9);
    }

    private void checkLoss(BatchLoss loss, int epoch, int b) {
        if (!Double.isFinite(loss.loss())) throw diverged(epoch, b, "loss " + loss.loss());
        if (loss.loss() > DIVERGED_FACTOR * (loss.zerosLoss() + 1e-3)) {  // false when zerosLoss is NaN
            throw diverged(epoch, b, String.format(java.util.Locale.ROOT,
                    "loss %.3g, over 10^6 times the %.3g of predicting zeros", loss.loss(), loss.zerosLoss()));
        }
    }

    /**
     * One DP-SGD step's gradients: a Poisson-sampled batch, each of its sequences' gradient on its
     * own (a batch of one) clipped and summed, then noise; returns the batch's mean loss (NaN, of
     * weight 0, for an empty batch).
     */
    private BatchLoss privateBatch(int n, BatchLoader loader, Objective objective, int epoch, int b) {
        int[] members = privacy.drawBatch();
        privacy.startStep();
        double lossSum = 0;
        double weight = 0;
        for (int k = 0; k < members.length; k++) {
            SequenceMask mask = loader.load(members, k, 1);
            // A distinct, non-negative batch number per sequence for the objective's own draws (input dropout).
            int draw = (int) (((long) b * n + k) & Integer.MAX_VALUE);
            BatchLoss one = objective.forwardBackward(loader, mask, members, k, 1, epoch, draw);
            checkLoss(one, epoch, b);
            double norm = privacy.addClipped();
            if (!Double.isFinite(norm)) throw diverged(epoch, b, "gradient norm " + norm + " of one sequence");
            lossSum += one.loss() * one.weight();
            weight += one.weight();
        }
        privacy.finishStep();
        return new BatchLoss(weight > 0 ? lossSum / weight : Double.NaN, weight, Double.NaN);
    }

    /** The batches of an epoch over {@code n} rows in batches of {@code batchSize} (the last one may be short). */
    static int batchesPerEpoch(int n, int batchSize) {
        int b = Math.min(batchSize, n);
        return (n + b - 1) / b;
    }

    private TrainingDivergedException diverged(int epoch, int batch, String what) {
        return new TrainingDivergedException(epoch + 1, settings.phase() + " diverged in epoch " + (epoch + 1)
                + ", batch " + (batch + 1) + " (" + what + "): " + settings.remedy(),
                settings.remedySettings().toArray(new Setting[0]));
    }

    /** A permutation of 0..n-1 drawn from (seed, epoch) alone, so a resumed run draws the same. */
    static int[] permutation(long seed, int n, int epoch) {
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1)));
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
