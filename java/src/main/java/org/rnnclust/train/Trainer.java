package org.rnnclust.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.rnnclust.CancelledException;
import org.rnnclust.InputException;
import org.rnnclust.Setting;
import org.rnnclust.backend.DeviceBuffer;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.Parameter;
import org.rnnclust.nn.Autoencoder;
import org.rnnclust.nn.ContrastiveLoss;
import org.rnnclust.nn.SequenceAutoencoder;
import org.rnnclust.nn.SequenceMask;

/**
 * Pretraining of an autoencoder ({@link Autoencoder}): the {@link TrainingLoop} with the masked
 * reconstruction MSE (optionally from a corrupted input: a denoising autoencoder), a contrastive
 * loss between augmented views, or both ({@link PretrainingObjective}), checkpointed after every
 * epoch in the {@value CheckpointFile#PRETRAINING} section.
 *
 * <p>Reproducible: parameters come from the seed, each epoch's order from (seed, epoch), each
 * batch's input dropout or contrastive views from (seed, epoch, batch), and the CPU ops are
 * deterministic, so the same seed gives a bitwise-identical model, and a resumed run ends with the
 * uninterrupted run's model.
 */
public final class Trainer {
    private final TensorOps ops;
    private final TrainConfig config;
    private final TrainingListener listener;
    private final BooleanSupplier cancelled;
    private RandomGenerator privacyRandom;  // null: a SecureRandom

    public Trainer(TensorOps ops, TrainConfig config, TrainingListener listener) {
        this(ops, config, listener, null);
    }

    /** @param cancelled polled before every batch; when it answers true, training stops with a CancelledException */
    public Trainer(TensorOps ops, TrainConfig config, TrainingListener listener, BooleanSupplier cancelled) {
        this.ops = ops;
        this.config = config;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /**
     * Draws a private run's batches and noise from {@code random} instead of a {@link
     * java.security.SecureRandom}: for tests, which need repeatable draws; never for a model to be
     * released (anyone who can repeat the draws can subtract the noise).
     */
    Trainer withPrivacyRandom(RandomGenerator random) {
        this.privacyRandom = random;
        return this;
    }

    /** Trains {@code model} on {@code data} without checkpoints. */
    public TrainingResult train(Autoencoder model, PaddedSequences data) {
        return train(model, data, CheckpointFile.none());
    }

    /**
     * Trains {@code model} on {@code data}, continuing from the checkpoint's pretraining section
     * when it has one (where it stopped, within an epoch too), and saving that section after every
     * epoch and where a cancellation stops it. The checkpoint may come from a run with a lower
     * epoch limit: training continues it up to this one.
     */
    public TrainingResult train(Autoencoder model, PaddedSequences data, CheckpointFile checkpoint) {
        long start = System.nanoTime();
        PrivacySpent spent;
        int maxBatch = Math.min(config.batchSize(), data.n());
        // DTCR's classifier trains beside the network (one Adam, one checkpoint) and is dropped after.
        RealFakeTask realFake = config.realFakeWeight() > 0
                ? new RealFakeTask(ops, model.embeddingSize(), maxBatch, config.realFakeWeight(),
                        config.seed() ^ 0x5DEECE66DL)
                : null;
        Map<String, Parameter> named = new LinkedHashMap<>(model.namedParameters());
        if (realFake != null) for (Parameter p : realFake.parameters()) named.put(RealFakeTask.PREFIX + p.name(), p);
        List<String> names = List.copyOf(named.keySet());
        TrainingLoop.Settings settings = new TrainingLoop.Settings("training", config.epochs(), config.batchSize(),
                config.seed(), config.clipNorm(), config.patience(), config.minDelta(),
                "lower the learning rate or the clipping norm", List.of(Setting.LEARNING_RATE, Setting.CLIP_NORM));
        try (RealFakeTask task = realFake;
             Adam adam = new Adam(ops, List.copyOf(named.values()), config.lr(), config.weightDecay())) {
            CheckpointFile.Section saved = checkpoint.section(CheckpointFile.PRETRAINING);
            TrainingLoop.Progress from = saved == null ? TrainingLoop.Progress.START
                    : checkpoint.restoreLoop(CheckpointFile.PRETRAINING, saved, named, names, adam,
                            TrainingLoop.batchesPerEpoch(data.n(), config.batchSize()));
            checkpoint.requireWithin(from, config.epochs(), "training");
            TrainingLoop.Outcome outcome;
            try (DeviceBuffer embeddingGradient = config.objective().contrasts()
                    ? ops.allocate((long) maxBatch * model.embeddingSize()) : null;
                 PrivateSgd privacy = config.privacy() == null ? null : privacy(named, data, checkpoint, saved, from)) {
                outcome = new TrainingLoop(ops, settings, listener, cancelled, privacy).run(data,
                        new Pretraining(model, data, embeddingGradient, task), adam, from,
                        p -> checkpoint.save(CheckpointFile.PRETRAINING,
                                withPrivacy(CheckpointFile.loopSection(p, named, names, adam), privacy)));
                spent = privacy == null ? null : privacy.spent();
            } catch (TrainingDivergedException e) {
                throw e.withNote(checkpoint.keptNote(e.epoch() - 1));
            } catch (CancelledException e) {
                throw new CancelledException(e.getMessage() + checkpoint.cancelledNote());
            }
            TrainingLoop.Progress p = outcome.progress();
            return new TrainingResult(p.epochs(), p.lossHistory(), outcome.stoppedEarly(),
                    (System.nanoTime() - start) / 1e9, spent);
        }
    }

    /** DP-SGD over every trained parameter, its accounting continued from the checkpoint's section when resumed. */
    private PrivateSgd privacy(Map<String, Parameter> named, PaddedSequences data, CheckpointFile checkpoint,
                               CheckpointFile.Section saved, TrainingLoop.Progress from) {
        JsonNode state = saved == null ? null : saved.fields().get(PRIVACY);
        if (saved != null && state == null) {
            throw new InputException("the checkpoint's training ran without differential privacy");
        }
        PrivateSgd p = new PrivateSgd(ops, List.copyOf(named.values()), config.privacy(), data.n(),
                config.batchSize(), config.epochs(), privacyRandom,
                state == null ? null : PrivateSgd.Saved.read(checkpoint, state));
        if (p.steps() != from.steps()) {
            p.close();
            throw new InputException("the checkpoint's privacy accounting counts " + p.steps()
                    + " steps, its training " + from.steps());
        }
        return p;
    }

    /** The checkpoint section's field holding a private run's accounting ({@link PrivateSgd#state}). */
    static final String PRIVACY = "privacy";

    private static CheckpointFile.Section withPrivacy(CheckpointFile.Section s, PrivateSgd privacy) {
        if (privacy != null) s.fields().set(PRIVACY, privacy.state());
        return s;
    }

    /**
     * The objective of pretraining ({@link TrainConfig#objective}): the masked MSE of the
     * reconstruction of the (clean) batch, NT-Xent between the embeddings of two random views of it,
     * or both (the reconstruction then reads the second view: the network learns to undo the
     * augmentations as a denoising autoencoder does).
     */
    final class Pretraining implements TrainingLoop.Objective {
        private final Autoencoder model;
        private final PaddedSequences data;
        private final double[] squares;
        private final DeviceBuffer embeddingGradient;  // [batch, D]: NT-Xent's gradient for one view
        private final float[] z1;
        private final float[] z2;
        private final float[] dz1;
        private final float[] dz2;
        private final RealFakeTask realFake;  // null: none

        Pretraining(Autoencoder model, PaddedSequences data, DeviceBuffer embeddingGradient, RealFakeTask realFake) {
            this.model = model;
            this.realFake = realFake;
            this.data = data;
            this.squares = sumsOfSquares(data);
            this.embeddingGradient = embeddingGradient;
            int size = embeddingGradient == null ? 0 : Math.toIntExact(embeddingGradient.size());
            this.z1 = new float[size];
            this.z2 = new float[size];
            this.dz1 = new float[size];
            this.dz2 = new float[size];
        }

        @Override
        public TrainingLoop.BatchLoss forwardBackward(BatchLoader loader, SequenceMask mask, int[] order, int from,
                                                      int count, int epoch, int batch) {
            return forwardBackward(loader, mask, order, from, count, epoch, batch, null);
        }

        /** The reconstruction alone leaves its loss on the device when {@code out} is given. */
        @Override
        public TrainingLoop.BatchLoss forwardBackward(BatchLoader loader, SequenceMask mask, int[] order, int from,
                                                      int count, int epoch, int batch, TrainingLoop.DeviceLoss out) {
            model.zeroGrad();
            double zeros = zeroPredictionLoss(data, squares, order, from, count);
            PretrainingObjective objective = config.objective();
            if (realFake != null) {
                realFake.zeroGrad();
                // The fakes first: the real batch's forward must be the last, for the reconstruction's backward.
                model.embed(loader.fakes(noise(epoch, batch)), mask);
                double task = realFake.lossAndBackward(model.embedding(), count, false);
                model.backward(0f, realFake.embeddingGradient());
                double loss = model.forward(loader.input(), mask);
                task += realFake.lossAndBackward(model.embedding(), count, true);
                model.backward(1f, realFake.embeddingGradient());
                // A classifier that knows nothing costs log 2: the task's part of the divergence reference.
                return new TrainingLoop.BatchLoss(loss + task, mask.validSteps(),
                        zeros + config.realFakeWeight() * Math.log(2));
            }
            if (!objective.contrasts()) {
                DeviceBuffer x = config.inputDropout() > 0
                        ? loader.corrupted(config.inputDropout(), noise(epoch, batch)) : loader.input();
                if (out != null) {
                    model.forward(x, loader.input(), mask, out.scalars(), out.slot());
                    model.backward();
                    return TrainingLoop.BatchLoss.onDevice(mask.validSteps(), zeros);
                }
                double loss = model.forward(x, loader.input(), mask);
                model.backward();
                return new TrainingLoop.BatchLoss(loss, mask.validSteps(), zeros);
            }
            int n = count * model.embeddingSize();
            SplittableRandom views = noise(epoch, batch);
            DeviceBuffer first = loader.view(0, views);
            DeviceBuffer second = loader.view(1, views);
            ops.download(model.embed(first, mask), 0, z1, 0, n);
            double reconstruction = 0;
            if (objective.reconstructs()) {
                reconstruction = model.forward(second, loader.input(), mask);
            } else {
                model.embed(second, mask);
            }
            ops.download(model.embedding(), 0, z2, 0, n);
            double contrastive = ContrastiveLoss.lossAndGradient(z1, z2, count, model.embeddingSize(),
                    config.temperature(), dz1, dz2);
            ops.upload(dz2, 0, embeddingGradient, 0, n);
            model.backward(objective.reconstructs() ? 1f : 0f, embeddingGradient);
            model.embed(first, mask);  // the first view's activations again, for its backward
            ops.upload(dz1, 0, embeddingGradient, 0, n);
            model.backward(0f, embeddingGradient);
            // Uninformative embeddings cost log(2B − 1): the contrastive part of the divergence reference.
            double uninformative = Math.log(2.0 * count - 1);
            return objective.reconstructs()
                    ? new TrainingLoop.BatchLoss(reconstruction + contrastive, mask.validSteps(), zeros + uninformative)
                    : new TrainingLoop.BatchLoss(contrastive, count, uninformative);
        }
    }

    /** Per sequence, the sum of its squared values over its valid steps. */
    static double[] sumsOfSquares(PaddedSequences data) {
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
    static double zeroPredictionLoss(PaddedSequences data, double[] squares, int[] order, int from, int count) {
        double sum = 0;
        long values = 0;
        for (int b = from; b < from + count; b++) {
            sum += squares[order[b]];
            values += (long) data.lengths()[order[b]] * data.channels();
        }
        return values == 0 ? 0 : sum / values;
    }

    /**
     * Batch b of epoch e's random draws (input dropout, contrastive views), from (seed, e, b) alone:
     * a resumed run draws the same.
     */
    private SplittableRandom noise(int epoch, int batch) {
        return new SplittableRandom(config.seed() * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL * ((long) epoch << 32 | batch));
    }

    /** The embeddings [N, D] of all sequences, in order, computed in batches of {@code batchSize}. */
    /**
     * The autoencoder's reconstructions of {@code data}, in its layout [n, maxLength, channels]
     * (zeros past each sequence's length), {@code batchSize} sequences at a time.
     */
    public static float[] reconstruct(TensorOps ops, SequenceAutoencoder model, PaddedSequences data, int batchSize) {
        int n = data.n();
        int t = data.maxLength();
        int c = data.channels();
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(n, t), c)];
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) identity[i] = i;
        try (BatchLoader loader = new BatchLoader(ops, data, batchSize)) {
            for (int from = 0; from < n; from += batchSize) {
                int count = Math.min(batchSize, n - from);
                SequenceMask mask = loader.load(identity, from, count);
                model.forward(loader.input(), loader.input(), mask);
                int steps = mask.steps();
                float[] timeMajor = new float[steps * count * c];
                ops.download(model.reconstruction(), 0, timeMajor, 0, timeMajor.length);
                for (int b = 0; b < count; b++) {
                    int length = data.lengths()[from + b];
                    for (int s = 0; s < length; s++) {
                        System.arraycopy(timeMajor, (s * count + b) * c, out, ((from + b) * t + s) * c, c);
                    }
                }
            }
        }
        return out;
    }

    public static float[] embed(TensorOps ops, Autoencoder model, PaddedSequences data, int batchSize) {
        int n = data.n();
        int d = model.embeddingSize();
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
