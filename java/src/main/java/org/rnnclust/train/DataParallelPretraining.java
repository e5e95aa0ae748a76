package org.rnnclust.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Autoencoder;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.SequenceMask;

/**
 * Synchronous data-parallel pretraining: the reconstruction objective's training loop (the same
 * epochs, batch order, divergence checks, clipping and Adam as {@link Trainer}) with each batch's
 * gradient computed where its rows live. For every batch the driver hands the current weights and
 * the batch's row indices to a {@link Gradients} (Spark: a broadcast and a treeAggregate); each
 * holder of rows returns its {@link Share}: the gradient and loss of the masked MSE over its rows
 * of the batch, times their valid steps, and the steps. The masked MSE is a mean over the batch's
 * valid steps, so the sum of the shares divided by the sum of the steps is the batch's gradient: on
 * the same batches the weights are single-process training's, up to float rounding.
 *
 * <p>The plain reconstruction objective only: input dropout, the contrastive objective and the
 * real-vs-fake task draw per-batch randomness over the whole batch and are refused.
 */
public final class DataParallelPretraining {
    private DataParallelPretraining() {}

    /**
     * Some rows' part of a batch: {@code weightedGradient} and {@code weightedLoss} are their masked
     * MSE's gradient (all parameters, in {@link #weights} order) and value times {@code validSteps};
     * {@code squaresPerChannel} is the sum of their squared values over the channels, so that the
     * sum over a batch divided by its valid steps is the loss of predicting zeros (the divergence
     * check's reference).
     */
    public record Share(float[] weightedGradient, double weightedLoss, long validSteps, double squaresPerChannel)
            implements Serializable {
        /** Both shares' rows together. */
        public Share plus(Share other) {
            float[] g = weightedGradient.clone();
            for (int i = 0; i < g.length; i++) g[i] += other.weightedGradient[i];
            return new Share(g, weightedLoss + other.weightedLoss, validSteps + other.validSteps,
                    squaresPerChannel + other.squaresPerChannel);
        }
    }

    /** Computes the sum of the shares of a batch's rows at the given weights. */
    @FunctionalInterface
    public interface Gradients {
        Share sum(float[] weights, int[] rows);
    }

    /** The model's parameters as one vector, in its namedParameters order. */
    public static float[] weights(Autoencoder model) {
        int size = Math.toIntExact(model.parameterCount());
        float[] out = new float[size];
        int at = 0;
        for (Parameter p : model.namedParameters().values()) {
            float[] v = p.get();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** Sets the model's parameters from a vector of {@link #weights}. */
    public static void setWeights(Autoencoder model, float[] weights) {
        if (weights.length != model.parameterCount()) {
            throw new IllegalArgumentException(weights.length + " weights for a model of " + model.parameterCount());
        }
        int at = 0;
        for (Parameter p : model.namedParameters().values()) {
            int n = Math.toIntExact(p.size());
            p.set(Arrays.copyOfRange(weights, at, at + n));
            at += n;
        }
    }

    /**
     * The share of {@code rows} (preprocessed as the training data, any number of a batch's rows)
     * at {@code weights}: what each holder of rows computes.
     */
    public static Share share(TensorOps ops, Autoencoder model, float[] weights, PaddedSequences rows) {
        setWeights(model, weights);
        int[] all = new int[rows.n()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        try (BatchLoader loader = new BatchLoader(ops, rows, rows.n())) {
            SequenceMask mask = loader.load(all, 0, rows.n());
            model.zeroGrad();
            double loss = model.forward(loader.input(), mask);
            model.backward();
            long steps = mask.validSteps();
            float[] g = new float[weights.length];
            int at = 0;
            for (Parameter p : model.namedParameters().values()) {
                float[] v = p.gradient();
                for (int i = 0; i < v.length; i++) g[at + i] = v[i] * steps;
                at += v.length;
            }
            double squares = 0;
            for (double s : Trainer.sumsOfSquares(rows)) squares += s;
            return new Share(g, loss * steps, steps, squares / rows.channels());
        }
    }

    /**
     * Trains {@code model} (on the driver: its parameters are the weights every step hands out) over
     * {@code n} rows for {@code config}'s epochs, each batch's gradient from {@code gradients}.
     */
    public static TrainingResult train(TensorOps ops, Autoencoder model, TrainConfig config, int n,
                                       Gradients gradients, TrainingListener listener) {
        return train(ops, model, config, n, gradients, listener, CheckpointFile.none());
    }

    /**
     * As {@link #train(TensorOps, Autoencoder, TrainConfig, int, Gradients, TrainingListener)},
     * continuing from {@code checkpoint}'s pretraining section when it has one and saving it after
     * every epoch, as {@link Trainer} does: a resumed run ends with the uninterrupted run's weights.
     */
    public static TrainingResult train(TensorOps ops, Autoencoder model, TrainConfig config, int n,
                                       Gradients gradients, TrainingListener listener, CheckpointFile checkpoint) {
        if (config.inputDropout() > 0 || config.realFakeWeight() > 0 || config.objective() != PretrainingObjective.RECONSTRUCTION) {
            throw new InputException("data-parallel training takes the reconstruction objective without input dropout "
                    + "or the real-vs-fake task");
        }
        if (config.privacy() != null) {
            throw new InputException("data-parallel training has no differentially private mode: train on one machine");
        }
        long start = System.nanoTime();
        Map<String, Parameter> named = new LinkedHashMap<>(model.namedParameters());
        TrainingLoop.Settings settings = new TrainingLoop.Settings("training", config.epochs(), config.batchSize(),
                config.seed(), config.clipNorm(), config.patience(), config.minDelta(),
                "lower the learning rate or the clipping norm", List.of(Setting.LEARNING_RATE, Setting.CLIP_NORM));
        TrainingLoop.Objective objective = (loader, mask, order, from, count, epoch, batch) -> {
            Share s = gradients.sum(weights(model), Arrays.copyOfRange(order, from, from + count));
            if (s.validSteps() == 0) throw new IllegalStateException("a batch without valid steps");
            float scale = 1f / s.validSteps();
            int at = 0;
            for (Parameter p : named.values()) {
                int size = Math.toIntExact(p.size());
                float[] g = new float[size];
                for (int i = 0; i < size; i++) g[i] = s.weightedGradient()[at + i] * scale;
                ops.upload(g, 0, p.grad(), 0, size);
                at += size;
            }
            return new TrainingLoop.BatchLoss(s.weightedLoss() / s.validSteps(), s.validSteps(),
                    s.squaresPerChannel() / s.validSteps());
        };
        List<String> names = List.copyOf(named.keySet());
        try (Adam adam = new Adam(ops, List.copyOf(named.values()), config.lr(), config.weightDecay())) {
            CheckpointFile.Section saved = checkpoint.section(CheckpointFile.PRETRAINING);
            TrainingLoop.Progress from = saved == null ? TrainingLoop.Progress.START
                    : checkpoint.restoreLoop(CheckpointFile.PRETRAINING, saved, named, names, adam,
                            TrainingLoop.batchesPerEpoch(n, config.batchSize()));
            checkpoint.requireWithin(from, config.epochs(), "training");
            TrainingLoop.Outcome outcome;
            try {
                outcome = new TrainingLoop(ops, settings, listener, null).run(n, null, objective, adam, from,
                        p -> checkpoint.save(CheckpointFile.PRETRAINING, CheckpointFile.loopSection(p, named, names, adam)));
            } catch (TrainingDivergedException e) {
                throw e.withNote(checkpoint.keptNote(e.epoch() - 1));
            }
            TrainingLoop.Progress p = outcome.progress();
            return new TrainingResult(p.epochs(), p.lossHistory(), outcome.stoppedEarly(),
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
