package org.rnnclust.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.io.ModelFile;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * The training loop, written once above the backend: shuffled mini-batches, masked MSE, global-norm
 * clipping, Adam, early stopping on a loss plateau, a checkpoint after every epoch.
 *
 * <p>Reproducible: parameters come from the seed, each epoch's order from (seed, epoch), and the CPU
 * ops are deterministic, so the same seed gives a bitwise-identical model, and a run resumed from a
 * checkpoint ends with the same model as one that was never interrupted.
 */
public final class Trainer {
    /**
     * A batch loss this many times the loss of predicting zeros for that batch (plus 1e-3, for
     * all-zero data) means the run has diverged even while the numbers stay finite: with a huge
     * learning rate the saturated cells keep the loss near 1e13 for ever instead of overflowing.
     * Depends on the batch alone, so a resumed run stops where the uninterrupted one would.
     */
    static final double DIVERGED_FACTOR = 1e6;

    private final TensorOps ops;
    private final TrainConfig config;
    private final TrainingListener listener;

    public Trainer(TensorOps ops, TrainConfig config, TrainingListener listener) {
        this.ops = ops;
        this.config = config;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /**
     * Trains {@code model} on {@code data}.
     *
     * @param checkpoint where to write the checkpoint after each epoch, or null for none
     * @param resume     a checkpoint to continue from (its file name, for messages), or null
     * @param run        saved in each checkpoint (the caller's configuration, checked on resume)
     */
    public TrainingResult train(SequenceAutoencoder model, PaddedSequences data, Path checkpoint,
                                Path resume, ModelFile.Loaded resumed, ObjectNode run) {
        long start = System.nanoTime();
        try (Adam adam = new Adam(ops, model.parameters(), config.lr(), config.weightDecay());
             BatchLoader loader = new BatchLoader(ops, data, config.batchSize())) {
            Checkpoint.State state = resumed == null
                    ? new Checkpoint.State(0, 0, Double.POSITIVE_INFINITY, 0, List.of())
                    : Checkpoint.restore(resume, resumed, model, adam);
            List<Double> history = new ArrayList<>(state.lossHistory());
            double best = state.bestLoss();
            int since = state.epochsSinceBest();
            int n = data.n();
            double[] squares = sumsOfSquares(data);
            int batches = (n + config.batchSize() - 1) / config.batchSize();
            boolean early = false;
            for (int epoch = state.epochs(); epoch < config.epochs(); epoch++) {
                // Checked before the epoch, not after, so that a run resumed from the checkpoint of
                // the epoch that hit the plateau stops exactly where the uninterrupted run did.
                if (config.patience() > 0 && since >= config.patience()) {
                    early = true;
                    break;
                }
                long t0 = System.nanoTime();
                listener.epochStarted(epoch + 1, batches);
                int[] order = order(n, epoch);
                double lossSum = 0;
                long weight = 0;
                double lastNorm = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * config.batchSize();
                    int count = Math.min(config.batchSize(), n - from);
                    var mask = loader.load(order, from, count);
                    model.zeroGrad();
                    double loss = config.inputDropout() > 0
                            ? model.forward(loader.corrupted(config.inputDropout(), noise(epoch, b)), loader.input(), mask)
                            : model.forward(loader.input(), mask);
                    if (!Double.isFinite(loss)) throw diverged(epoch, b, "loss " + loss, checkpoint, epoch);
                    double zeros = zeroPredictionLoss(data, squares, order, from, count);
                    if (loss > DIVERGED_FACTOR * (zeros + 1e-3)) {
                        throw diverged(epoch, b, String.format(java.util.Locale.ROOT,
                                "loss %.3g, over 10^6 times the %.3g of predicting zeros", loss, zeros), checkpoint, epoch);
                    }
                    model.backward();
                    lastNorm = config.clipNorm() > 0 ? adam.clipGradients(config.clipNorm()) : adam.gradientNorm();
                    if (!Double.isFinite(lastNorm)) throw diverged(epoch, b, "gradient norm " + lastNorm, checkpoint, epoch);
                    adam.step();
                    lossSum += loss * mask.validSteps();
                    weight += mask.validSteps();
                    listener.batchFinished(epoch + 1, b + 1, loss);
                }
                double epochLoss = lossSum / weight;
                history.add(epochLoss);
                boolean improved = epochLoss < best * (1 - config.minDelta());
                if (improved) {
                    best = epochLoss;
                    since = 0;
                } else {
                    since++;
                }
                if (checkpoint != null) {
                    Checkpoint.write(checkpoint, model, adam,
                            new Checkpoint.State(epoch + 1, adam.steps(), best, since, history), run);
                }
                listener.epochFinished(new TrainingListener.Epoch(epoch + 1, config.epochs(), epochLoss, lastNorm,
                        (System.nanoTime() - t0) / 1e9, improved));
            }
            return new TrainingResult(history.size(), List.copyOf(history), early, (System.nanoTime() - start) / 1e9);
        }
    }

    /** Per sequence, the sum of its squared values over its valid steps. */
    private static double[] sumsOfSquares(PaddedSequences data) {
        double[] out = new double[data.n()];
        float[] v = data.values();
        for (int i = 0; i < out.length; i++) {
            int base = i * data.rowSize();
            double s = 0;
            for (int k = 0; k < data.lengths()[i] * data.channels(); k++) s += (double) v[base + k] * v[base + k];
            out[i] = s;
        }
        return out;
    }

    /** The masked MSE that an output of zeros would have on the batch order[from, from + count). */
    private static double zeroPredictionLoss(PaddedSequences data, double[] squares, int[] order, int from, int count) {
        double sum = 0;
        long values = 0;
        for (int b = from; b < from + count; b++) {
            sum += squares[order[b]];
            values += (long) data.lengths()[order[b]] * data.channels();
        }
        return values == 0 ? 0 : sum / values;
    }

    /** Batch b of epoch e's input-dropout draws, from (seed, e, b) alone: a resumed run draws the same. */
    private SplittableRandom noise(int epoch, int batch) {
        return new SplittableRandom(config.seed() * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL * ((long) epoch << 32 | batch));
    }

    /** The order of epoch e: a permutation drawn from (seed, e) alone, so a resumed run draws the same. */
    int[] order(int n, int epoch) {
        return permutation(config.seed(), n, epoch);
    }

    /** A permutation of 0..n-1 drawn from (seed, epoch) alone. */
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

    private static TrainingDivergedException diverged(int epoch, int batch, String what, Path checkpoint, int goodEpochs) {
        String kept = checkpoint == null ? ""
                : goodEpochs > 0 ? "; the last good checkpoint (epoch " + goodEpochs + ") is kept in " + checkpoint
                : "; no epoch completed, so there is no checkpoint";
        return new TrainingDivergedException(epoch + 1, "training diverged in epoch " + (epoch + 1) + ", batch "
                + (batch + 1) + " (" + what + "): lower --lr or --clip" + kept);
    }

    /**
     * The embeddings [N, D] of all sequences, in order, computed in batches.
     */
    public static float[] embed(TensorOps ops, SequenceAutoencoder model, PaddedSequences data, int batchSize) {
        int n = data.n();
        int d = model.spec().latent();
        float[] out = new float[Math.multiplyExact(n, d)];
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        try (BatchLoader loader = new BatchLoader(ops, data, batchSize)) {
            for (int from = 0; from < n; from += batchSize) {
                int count = Math.min(batchSize, n - from);
                var mask = loader.load(identity, from, count);
                ops.download(model.embed(loader.input(), mask), 0, out, from * d, count * d);
            }
        }
        return out;
    }
}
