package org.rnnclust.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rnnclust.Setting;
import org.rnnclust.backend.TensorOps;
import org.rnnclust.backend.cpu.CpuOps;
import org.rnnclust.data.PaddedSequences;
import org.rnnclust.nn.Adam;
import org.rnnclust.nn.SequenceAutoencoder;

/**
 * The training loop with the batch loss left on the device (pretraining's reconstruction) against
 * the same loop with the loss brought to the host after every batch (the objective seen through
 * its host-only method, which the loop checks at once, as before device scalars): the same epoch
 * losses, gradient norms and weights to the bit, and on divergence the same exception (epoch,
 * batch, message), found at the epoch's end instead of at the batch.
 */
class DeviceLossLoopTest {
    /**
     * A loop over 20 rows in batches of 4 whose objective writes its own gradient and loss: at
     * batch {@code bad} of epoch 2, a NaN loss, or an infinite gradient (then the norm); the loss
     * goes to the device unless {@code hostLoss}.
     */
    static String divergence(boolean hostLoss, boolean nanLoss, int bad) {
        try (TensorOps ops = new CpuOps(1); SequenceAutoencoder m = new SequenceAutoencoder(ops, TrainerTest.SPEC, 3);
             Adam adam = new Adam(ops, m.parameters(), 1e-3, 0)) {
            org.rnnclust.nn.Parameter p = m.parameters().get(0);
            TrainingLoop.Objective objective = new TrainingLoop.Objective() {
                @Override
                public TrainingLoop.BatchLoss forwardBackward(BatchLoader loader, org.rnnclust.nn.SequenceMask mask,
                                                             int[] order, int from, int count, int epoch, int batch) {
                    return forwardBackward(loader, mask, order, from, count, epoch, batch, null);
                }

                @Override
                public TrainingLoop.BatchLoss forwardBackward(BatchLoader loader, org.rnnclust.nn.SequenceMask mask,
                                                             int[] order, int from, int count, int epoch, int batch,
                                                             TrainingLoop.DeviceLoss out) {
                    boolean diverged = epoch == 1 && batch == bad;
                    float[] g = new float[(int) p.size()];
                    java.util.Arrays.fill(g, 0.01f * (batch + 1));
                    if (diverged && !nanLoss) g[1] = Float.POSITIVE_INFINITY;
                    m.zeroGrad();
                    ops.upload(g, p.grad());
                    double loss = diverged && nanLoss ? Double.NaN : 1.0 / (batch + 1);
                    if (hostLoss || out == null) return new TrainingLoop.BatchLoss(loss, count, 0.5);
                    ops.setScalars(new double[] {loss}, out.scalars(), out.slot());
                    return TrainingLoop.BatchLoss.onDevice(count, 0.5);
                }
            };
            TrainingLoop.Settings settings = new TrainingLoop.Settings("training", 3, 4, 1, 1.0, 0, 0, "do better",
                    List.of(Setting.LEARNING_RATE));
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
                    new TrainingLoop(ops, settings, null, null).run(20, null, objective, adam,
                            TrainingLoop.Progress.START, pr -> {}));
            assertEquals(2, e.epoch());
            return e.getMessage();
        }
    }

    @ParameterizedTest(name = "NaN loss {0}, batch {1}")
    @CsvSource({"true, 0", "true, 3", "false, 2", "false, 4"})
    void aNonFiniteLossOrNormNamesItsBatch(boolean nanLoss, int bad) {
        String host = divergence(true, nanLoss, bad);
        assertEquals(host, divergence(false, nanLoss, bad));
        assertTrue(host.contains("epoch 2, batch " + (bad + 1) + " (" + (nanLoss ? "loss NaN" : "gradient norm Infinity")),
                host);
    }

    record Run(List<Double> losses, List<Double> norms, List<Double> batchLosses, Map<String, float[]> weights) {}

    static Run run(TrainConfig cfg, boolean hostLoss) {
        PaddedSequences data = TrainerTest.data();
        try (TensorOps ops = new CpuOps(2); SequenceAutoencoder m = new SequenceAutoencoder(ops, TrainerTest.SPEC, 11);
             Adam adam = new Adam(ops, m.parameters(), cfg.lr(), cfg.weightDecay())) {
            Trainer.Pretraining objective = new Trainer(ops, cfg, null).new Pretraining(m, data, null, null);
            // A lambda has only the host-loss method: the loop's default sends it there.
            TrainingLoop.Objective used = hostLoss ? objective::forwardBackward : objective;
            List<Double> norms = new ArrayList<>();
            List<Double> batchLosses = new ArrayList<>();
            TrainingListener listener = new TrainingListener() {
                @Override
                public void batchFinished(int epoch, int batch, double loss) {
                    batchLosses.add(loss);
                }

                @Override
                public void epochFinished(Epoch e) {
                    norms.add(e.gradNorm());
                }
            };
            TrainingLoop.Settings settings = new TrainingLoop.Settings("training", cfg.epochs(), cfg.batchSize(),
                    cfg.seed(), cfg.clipNorm(), 0, cfg.minDelta(), "lower the learning rate",
                    List.of(Setting.LEARNING_RATE));
            TrainingLoop.Outcome out = new TrainingLoop(ops, settings, listener, null).run(data, used, adam,
                    TrainingLoop.Progress.START, p -> {});
            return new Run(out.progress().lossHistory(), norms, batchLosses, TrainedModel.weightsOf(m));
        }
    }

    @ParameterizedTest(name = "clip {0}")
    @CsvSource({"1.0", "0", "1e-3"})
    void deviceLossesTrainAsHostLossesDo(double clip) {
        TrainConfig cfg = new TrainConfig(3, 7, 1e-2, 0, clip, 0, 1e-3, 11);
        Run device = run(cfg, false);
        Run host = run(cfg, true);
        assertEquals(host.losses(), device.losses());
        assertEquals(host.norms(), device.norms());
        TrainerTest.assertSameWeights(host.weights(), device.weights());
        // The listener hears the host's batch losses, and NaN for those left on the device.
        assertTrue(host.batchLosses().stream().allMatch(Double::isFinite), host.batchLosses().toString());
        assertTrue(device.batchLosses().stream().allMatch(d -> d.isNaN()), device.batchLosses().toString());
        assertEquals(host.batchLosses().size(), device.batchLosses().size());
    }

    /** Each over the limit of the zeros-loss, at batch 2 or 3 of epoch 1. */
    @ParameterizedTest(name = "lr {0}")
    @CsvSource({"1e30", "1e6", "1e3"})
    void divergenceNamesTheSameBatch(double lr) {
        TrainConfig cfg = new TrainConfig(4, 7, lr, 0, 0, 0, 1e-3, 11);
        TrainingDivergedException host = assertThrows(TrainingDivergedException.class, () -> run(cfg, true));
        TrainingDivergedException device = assertThrows(TrainingDivergedException.class, () -> run(cfg, false));
        assertEquals(host.getMessage(), device.getMessage());
        assertEquals(host.epoch(), device.epoch());
        assertTrue(device.getMessage().contains("batch"), device.getMessage());
    }
}
