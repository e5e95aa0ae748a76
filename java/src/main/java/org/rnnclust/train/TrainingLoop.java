package org.rnnclust.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.rnnclust.CancelledException;
import org.rnnclust.Setting;
import org.rnnclust.backend.DeviceScalars;
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

        /**
         * {@link #forwardBackward(BatchLoader, SequenceMask, int[], int, int, int, int)}, free to leave
         * the batch's loss on the device in {@code out} (then it returns {@link BatchLoss#onDevice}),
         * so that the step need not wait for the device. By default the loss comes to the host.
         */
        default BatchLoss forwardBackward(BatchLoader loader, SequenceMask mask, int[] order, int from, int count,
                                          int epoch, int batch, DeviceLoss out) {
            return forwardBackward(loader, mask, order, from, count, epoch, batch);
        }

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
    record BatchLoss(double loss, double weight, double zerosLoss, boolean onDevice) {
        /** A loss computed on the host. */
        BatchLoss(double loss, double weight, double zerosLoss) {
            this(loss, weight, zerosLoss, false);
        }

        /** A loss the objective left in its {@link DeviceLoss} slot ({@link #loss} is NaN here). */
        static BatchLoss onDevice(double weight, double zerosLoss) {
            return new BatchLoss(Double.NaN, weight, zerosLoss, true);
        }
    }

    /** Where an objective may leave its batch's loss: {@code scalars[slot]}, on the device. */
    record DeviceLoss(DeviceScalars scalars, int slot) {}

    // The loop's device scalars: the batch loss, the squared gradient norm, then the epoch's record
    // (TensorOps.recordBatch: loss sum, last norm, first diverged batch and its values).
    private static final int LOSS = 0;
    private static final int NORM_SQUARES = 1;
    private static final int RECORD = 2;
    private static final int SCALARS = RECORD + TensorOps.BATCH_RECORD;

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
        // Every epoch reads every sequence: the set may stay on the device (BatchLoader).
        try (BatchLoader loader = new BatchLoader(ops, data, Math.min(settings.batchSize(), data.n()), true)) {
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
        // DP-SGD's steps read every sequence's norm on the host anyway: its scalars stay there.
        try (DeviceScalars scalars = privacy == null ? ops.allocateScalars(SCALARS) : null) {
            return run(n, loader, objective, adam, start, checkpoint, scalars);
        }
    }

    /**
     * The loop. Without privacy, a batch's loss (where the objective leaves it on the device), its
     * gradient norm, the clipping and the epoch's running sums stay on the device
     * ({@link TensorOps#recordBatch}): the host reads them at the end of the epoch, where a
     * cancellation stops it, or at once after a batch whose objective brought its loss to the host
     * anyway. Divergence is found then, and reported at the first diverged batch, as at once.
     */
    private Outcome run(int n, BatchLoader loader, Objective objective, Adam adam, Progress start,
                        CheckpointHook checkpoint, DeviceScalars scalars) {
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
            if (scalars != null) ops.setScalars(new double[] {lossSum, lastNorm, -1, 0, 0, 0}, scalars, RECORD);
            boolean unread = false;  // batches whose record the host has not read
            int ran = resumeAt == null ? 0 : resumeAt.batches();
            for (int b = resumeAt == null ? 0 : resumeAt.batches(); b < batches; b++) {
                if (cancelled.getAsBoolean()) {
                    if (unread) {
                        double[] r = readRecord(scalars, epoch);
                        lossSum = r[0];
                        lastNorm = r[1];
                    }
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
                    loss = objective.forwardBackward(loader, mask, order, from, count, epoch, b,
                            new DeviceLoss(scalars, LOSS));
                    adam.gradientSquares(scalars, NORM_SQUARES);
                    if (settings.clipNorm() > 0) adam.clipGradients(settings.clipNorm(), scalars, NORM_SQUARES);
                    ops.recordBatch(scalars, loss.onDevice() ? LOSS : -1, loss.loss(), loss.weight(), loss.zerosLoss(),
                            DIVERGED_FACTOR * (loss.zerosLoss() + 1e-3), NORM_SQUARES, b, RECORD);
                    unread = true;
                    if (!loss.onDevice()) {
                        // The objective waited for the device already: one more read checks this batch now.
                        double[] r = readRecord(scalars, epoch);
                        lossSum = r[0];
                        lastNorm = r[1];
                        unread = false;
                    }
                } else {
                    loss = privateBatch(n, loader, objective, epoch, b);
                    lastNorm = privacy.meanNorm();
                    if (!Double.isFinite(lastNorm) && loss.weight() != 0) {
                        throw diverged(epoch, b, "gradient norm " + lastNorm);
                    }
                    if (loss.weight() > 0) lossSum += loss.loss() * loss.weight();
                }
                adam.step();
                if (privacy != null) privacy.account();
                steps++;
                ran++;
                if (loss.weight() > 0) weight += loss.weight();
                // A loss left on the device reaches the listener only as the epoch's mean.
                listener.batchFinished(epoch + 1, b + 1, loss.loss());
            }
            if (unread) {
                double[] r = readRecord(scalars, epoch);
                lossSum = r[0];
                lastNorm = r[1];
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

    /**
     * The epoch's record from the device (loss sum, last norm, ...); throws the divergence of its
     * first diverged batch, with the message the batch would have had at once.
     */
    private double[] readRecord(DeviceScalars scalars, int epoch) {
        double[] r = java.util.Arrays.copyOfRange(ops.readScalars(scalars), RECORD, RECORD + TensorOps.BATCH_RECORD);
        if (r[2] >= 0) {
            int b = (int) r[2];
            checkLoss(new BatchLoss(r[3], 0, r[4]), epoch, b);
            throw diverged(epoch, b, "gradient norm " + r[5]);
        }
        return r;
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
